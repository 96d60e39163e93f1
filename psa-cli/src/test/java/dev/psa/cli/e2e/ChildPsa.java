package dev.psa.cli.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code psa} as a child JVM (the test's class path, main class {@code dev.psa.cli.Main}), one
 * ND4J thread and a small heap, with its standard output and error captured to files.
 */
final class ChildPsa {
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** Longest a child may run before the test gives up on it. */
    private static final long LIMIT_SECONDS = 240;

    final Process process;
    final Path stdout;
    final Path stderr;
    final long startNanos = System.nanoTime();

    private ChildPsa(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code psa ARGS}.
     *
     * @param logs     folder for the captured output
     * @param jvmProps {@code -Dkey=value} options for the child
     */
    static ChildPsa start(Path logs, List<String> jvmProps, String... args) throws IOException {
        return start(logs, jvmProps, Map.of(), args);
    }

    /** Starts {@code psa ARGS} with extra environment variables. */
    static ChildPsa start(Path logs, List<String> jvmProps, Map<String, String> env, String... args)
            throws IOException {
        Files.createDirectories(logs);
        int n = COUNT.incrementAndGet();
        Path out = logs.resolve("child-" + n + ".out");
        Path err = logs.resolve("child-" + n + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmProps);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.psa.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putAll(env);
        return new ChildPsa(pb.start(), out, err);
    }

    /** Runs {@code psa ARGS} to the end. */
    static ChildPsa run(Path logs, List<String> jvmProps, String... args) throws Exception {
        return run(logs, jvmProps, Map.of(), args);
    }

    /** Runs {@code psa ARGS} to the end, with extra environment variables. */
    static ChildPsa run(Path logs, List<String> jvmProps, Map<String, String> env, String... args) throws Exception {
        ChildPsa c = start(logs, jvmProps, env, args);
        c.waitFor();
        return c;
    }

    /** Waits for the end (at most {@value #LIMIT_SECONDS} s; then the child is killed and the test fails). */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("psa did not end within " + LIMIT_SECONDS + " s\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int exit() {
        return process.exitValue();
    }

    String out() {
        return read(stdout);
    }

    String err() {
        return read(stderr);
    }

    /** Both streams, for assertion messages. */
    String output() {
        return "--- stdout\n" + tail(out()) + "\n--- stderr\n" + tail(err());
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String tail(String s) {
        return s.length() > 6000 ? "…" + s.substring(s.length() - 6000) : s;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    /** The mIoU lines ({@code [eval] 1.1 s: mIoU % CAM 27.04, seeds 28.06, pseudo labels 24.83}) without the time. */
    static List<String> miouLines(String stdout) {
        return stdout.lines().filter(l -> l.contains("mIoU")).map(l -> l.replaceFirst("\\] [0-9.]+ s: ", "] "))
                .toList();
    }

    /** Spark's Java 17 openings (this JVM's, from the parent pom's spark.java.opens), as the launcher adds. */
    static List<String> sparkOpens() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("the test JVM lacks Spark's openings (psa-cli failsafe argLine)");
        }
        return out;
    }
}
