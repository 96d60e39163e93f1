package dev.psa.crf.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Runs a loop over {@code [0, n)} in blocks on at most {@code threads} threads: the caller and
 * workers of the common fork-join pool, each taking the next block from a shared counter (so a
 * slow core does not hold up the others). Every element is computed by the same code whichever
 * thread runs it, so results do not depend on the thread count.
 */
public final class Parallel {
    /** A loop body over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final int threads;

    /** @param threads at most this many threads work at once; 1 runs everything on the caller */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    public int threads() {
        return threads;
    }

    /**
     * @param n     loop length
     * @param block elements per block (the unit of work one thread takes at a time)
     * @param body  called once per block, possibly concurrently
     */
    public void forRange(int n, int block, Range body) {
        if (n <= 0) {
            return;
        }
        int blocks = (int) ((n + (long) block - 1) / block);
        int workers = Math.min(threads, blocks);
        if (workers <= 1) {
            body.run(0, n);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        IntStream.range(0, workers).parallel().forEach(w -> {
            int b;
            while ((b = next.getAndIncrement()) < blocks) {
                int from = b * block;
                body.run(from, (int) Math.min(n, (long) from + block));
            }
        });
    }
}
