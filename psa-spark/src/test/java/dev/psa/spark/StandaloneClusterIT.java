package dev.psa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.pipeline.Stage;

/**
 * Issue 19 on a real standalone cluster: a Spark master and two worker JVMs started from the test
 * class path on loopback (separate processes, each worker launching its executor JVM, as on a
 * cluster). cams → seeds → walk → eval of a trained small run, with the executor that writes
 * {@code cam/img_05.npz} killed right after that write (the {@link AtomicFiles#HALT_AFTER_WRITE} hook,
 * {@code Runtime.halt}: a deterministic point mid-stage). Spark retries the lost task; every output
 * is complete, none duplicated or half written, and equal to the local engine's.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Process> PROCESSES = new ArrayList<>();

    @AfterAll
    static void stopCluster() {
        SparkEngine.Contexts.stop();
        for (Process p : PROCESSES) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aKilledExecutorsTaskIsRetriedAndEveryOutputIsWrittenOnce() throws Exception {
        Path data = tmp.resolve("data");
        List<String> ids = SparkDemoData.write(data);
        List<String> keys = SparkDemoData.keys(data);
        Path local = tmp.resolve("local");
        PsaRuntime.Result a = SparkDemoData.runLocally(local, keys);

        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        for (int w = 1; w <= 2; w++) {
            Path work = Files.createDirectories(tmp.resolve("worker" + w));
            start("worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "2g", "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort()),
                    master);
        }

        Path cluster = tmp.resolve("cluster");
        SparkDemoData.copyTrained(local, cluster);
        List<String> sparkKeys = new ArrayList<>(keys);
        sparkKeys.addAll(List.of("engine=spark", "spark.master=" + master,
                "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
                "spark.executor.cores=1", "spark.cores.max=2", "spark.executor.memory=1g",
                // both executors registered before the first task, so the work is spread over both
                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "spark.scheduler.maxRegisteredResourcesWaitingTime=180s",
                "spark.executor.extraClassPath=" + System.getProperty("java.class.path"),
                "spark.executor.extraJavaOptions=" + String.join(" ", executorJvmOptions())
                        + " -D" + AtomicFiles.HALT_AFTER_WRITE + "=cam/img_05\\.npz:1",
                "spark.executorEnv.OMP_NUM_THREADS=1", "spark.psa.task-threads=1", "spark.psa.partitions=4"));
        long t0 = System.nanoTime();
        PsaRuntime.Result b = PsaRuntime.builder().preset("demo").sets(sparkKeys).build().run(cluster,
                new PsaRuntime.RunOptions(Stage.TRAIN_CLS, Stage.EVAL, false, false, StageListener.NONE));
        double seconds = (System.nanoTime() - t0) / 1e9;

        // the executor was killed at that write (exit 86) and its task ran again elsewhere
        List<String> halted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                if (Files.readString(f).contains("halted by " + AtomicFiles.HALT_AFTER_WRITE)) {
                    halted.add(tmp.relativize(f).toString());
                }
            }
        }
        assertThat(halted).as("executor logs with the halt").hasSize(1);

        for (Stage st : List.of(Stage.CAMS, Stage.SEEDS, Stage.WALK)) {
            assertThat(b.summaries().get(st)).as(st.id()).containsEntry("images", ids.size())
                    .containsEntry("failed", 0);
        }
        // the retried task found what the killed attempt had written complete (img_00 … img_05 of its share)
        int camWritten = ((Number) b.summaries().get(Stage.CAMS).get("written")).intValue();
        int camSkipped = ((Number) b.summaries().get(Stage.CAMS).get("skipped")).intValue();
        assertThat(camWritten + camSkipped).isEqualTo(ids.size());
        assertThat(camSkipped).as("outputs of the killed attempt kept").isPositive();
        for (String folder : List.of("cam", "cam-pred", "seeds", "rw")) {
            String ext = folder.equals("cam") ? ".npz" : ".png";
            try (Stream<Path> files = Files.list(cluster.resolve(folder))) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                        .as(folder + ": one complete file per image, no temporary")
                        .isEqualTo(ids.stream().map(id -> id + ext).toList());
            }
        }
        assertThat(SparkDemoData.maxCamDiff(local, cluster, ids)).isLessThanOrEqualTo(1e-6);
        assertThat(SparkDemoData.samePixels(local, cluster, "seeds", ids)).isGreaterThanOrEqualTo(0.9999);
        assertThat(SparkDemoData.samePixels(local, cluster, "rw", ids)).isGreaterThanOrEqualTo(0.9999);
        assertThat(b.number(Stage.EVAL, "rw-miou").orElseThrow())
                .isCloseTo(a.number(Stage.EVAL, "rw-miou").orElseThrow(), within(1e-4));

        JsonNode engine = JSON.readTree(cluster.resolve("run.json").toFile()).at("/stages/cams/summary/engine");
        assertThat(engine.path("master").asText()).isEqualTo(master);
        assertThat(engine.path("executors").asInt()).as(engine.toString()).isEqualTo(2);
        System.out.printf(Locale.ROOT, "standalone cluster (2 workers, 1 core each, one executor killed in cams):"
                + " cams..eval %.1f s; cams written %d, kept from the killed attempt %d; halted: %s%n", seconds, camWritten,
                camSkipped, halted);
    }

    /** Starts a Spark daemon JVM from the test class path; its output goes to {@code tmp/<name>.log}. */
    private static void start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(executorJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        // a worker builds its executors' command from SPARK_HOME; without a Spark distribution the
        // test mode takes the class path from spark.executor.extraClassPath alone
        pb.environment().put("SPARK_HOME", tmp.toString());
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        PROCESSES.add(pb.start());
    }

    /** Spark's Java 17 openings and ND4J's memory caps (the test JVM's own flags). */
    private static List<String> executorJvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Dorg.bytedeco") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty")) {
                out.add(a);
            }
        }
        out.add("-Dlogback.configurationFile=" + new File("src/test/resources/logback-cluster.xml").getAbsolutePath());
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
