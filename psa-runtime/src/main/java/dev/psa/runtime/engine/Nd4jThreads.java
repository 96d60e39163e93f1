package dev.psa.runtime.engine;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's thread counts (process-wide): its own parallel loops ({@code maxThreads}; ND4J 1.0.0-M2.1 ignores changes to
 * it after start-up), the master threads that split its ops, and the BLAS library's. Engines set them for per-image work ({@code threads.per-image}, {@code spark.psa.task-threads}) and put
 * the previous ones back afterwards.
 */
public record Nd4jThreads(int max, int master, int blas) {

    /** The same count for all three. */
    public static Nd4jThreads of(int threads) {
        return new Nd4jThreads(threads, threads, threads);
    }

    /** The counts in effect now. */
    public static Nd4jThreads current() {
        Environment env = Nd4j.getEnvironment();
        return new Nd4jThreads(env.maxThreads(), env.maxMasterThreads(), Nd4j.factory().blas().getMaxThreads());
    }

    /** Makes these the counts in effect. */
    public void apply() {
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(max);
        env.setMaxMasterThreads(master);
        Nd4j.factory().blas().setMaxThreads(blas);
    }

    /** Restores the counts in effect before {@link #limit}. */
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs with {@code threads} threads until the returned handle is closed; 0 or less changes nothing.
     */
    public static Restore limit(int threads) {
        if (threads <= 0) {
            return () -> { };
        }
        Nd4jThreads before = current();
        of(threads).apply();
        return before::apply;
    }
}
