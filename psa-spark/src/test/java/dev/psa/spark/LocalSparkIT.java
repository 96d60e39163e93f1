package dev.psa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.pipeline.Stage;

/**
 * Issue 19 on {@code local[2]}: the per-image stages (cams, seeds, walk) of a trained small demo
 * run, run again with {@code engine = spark}, give the local engine's outputs (CAMs within 1e-6,
 * seed and pseudo-label pixels ≥ 99.99 % identical, mIoU within 0.01); run.json records the engine;
 * an image that became unreadable is a failure entry naming it while every other image is written.
 */
class LocalSparkIT {
    @TempDir
    static Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopSpark() {
        SparkEngine.Contexts.stop();
    }

    @Test
    void localTwoGivesTheLocalEnginesOutputsAndRecordsBadImages() throws Exception {
        Path data = tmp.resolve("data");
        List<String> ids = SparkDemoData.write(data);
        List<String> keys = SparkDemoData.keys(data);

        Path local = tmp.resolve("local");
        long t0 = System.nanoTime();
        PsaRuntime.Result a = SparkDemoData.runLocally(local, keys);
        double localSeconds = (System.nanoTime() - t0) / 1e9;

        Path spark = tmp.resolve("spark");
        SparkDemoData.copyTrained(local, spark);
        List<String> ran = new ArrayList<>();
        AtomicInteger camProgress = new AtomicInteger();
        StageListener listener = new StageListener() {
            @Override
            public void started(String stage, boolean resumed) {
                ran.add(stage);
            }

            @Override
            public void progress(String stage, int done, int total, String item) {
                if (stage.equals("cams")) {
                    assertThat(total).isEqualTo(ids.size());
                    camProgress.set(done);
                }
            }
        };
        List<String> sparkKeys = new ArrayList<>(keys);
        // one ND4J thread per task, as the local engine here (OMP_NUM_THREADS=1 in failsafe): the same arithmetic
        sparkKeys.addAll(List.of("engine=spark", "spark.master=local[2]", "spark.psa.task-threads=1"));
        t0 = System.nanoTime();
        PsaRuntime.Result b = PsaRuntime.builder().preset("demo").sets(sparkKeys).build().run(spark,
                new PsaRuntime.RunOptions(Stage.TRAIN_CLS, Stage.EVAL, false, false, listener));
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(ran).as("the trainings are up to date; the per-image stages and eval ran")
                .containsExactly("cams", "seeds", "walk", "eval");
        assertThat(camProgress.get()).as("progress reported on the driver").isEqualTo(ids.size());
        for (Stage st : List.of(Stage.CAMS, Stage.SEEDS, Stage.WALK)) {
            assertThat(b.summaries().get(st)).as(st.id()).containsEntry("images", ids.size())
                    .containsEntry("written", ids.size()).containsEntry("failed", 0);
        }

        double maxCamDiff = SparkDemoData.maxCamDiff(local, spark, ids);
        assertThat(maxCamDiff).as("largest CAM difference").isLessThanOrEqualTo(1e-6);
        double seeds = SparkDemoData.samePixels(local, spark, "seeds", ids);
        double rw = SparkDemoData.samePixels(local, spark, "rw", ids);
        double camPred = SparkDemoData.samePixels(local, spark, "cam-pred", ids);
        assertThat(seeds).as("seed pixels equal").isGreaterThanOrEqualTo(0.9999);
        assertThat(rw).as("pseudo-label pixels equal").isGreaterThanOrEqualTo(0.9999);
        assertThat(camPred).isGreaterThanOrEqualTo(0.9999);
        for (String m : List.of("cam-miou", "seeds-miou", "rw-miou")) {
            assertThat(b.number(Stage.EVAL, m).orElseThrow()).as(m)
                    .isCloseTo(a.number(Stage.EVAL, m).orElseThrow(), within(1e-4));
        }

        // eval summed per-task confusion matrices (a reduce): the same eval files but for times and paths
        for (String stage : List.of("cam", "seeds", "rw")) {
            ObjectNode x = (ObjectNode) JSON.readTree(local.resolve("eval/" + stage + ".json").toFile());
            ObjectNode y = (ObjectNode) JSON.readTree(spark.resolve("eval/" + stage + ".json").toFile());
            for (ObjectNode o : List.of(x, y)) {
                o.remove(List.of("created", "predictions", "timings"));
            }
            assertThat(y).as("eval/" + stage + ".json").isEqualTo(x);
        }
        assertThat(b.summaries().get(Stage.EVAL)).containsKey("engine");

        JsonNode run = JSON.readTree(spark.resolve("run.json").toFile());
        JsonNode engine = run.at("/stages/cams/summary/engine");
        assertThat(engine.path("name").asText()).isEqualTo("spark");
        assertThat(engine.path("master").asText()).isEqualTo("local[2]");
        assertThat(engine.path("spark-version").asText()).startsWith("4.0.");
        assertThat(engine.path("executors").asInt()).isEqualTo(1);
        assertThat(engine.path("threads-per-task").asInt()).isEqualTo(1);
        assertThat(run.at("/components/engine/name").asText()).isEqualTo("spark");
        assertThat(run.at("/config/spark.master").asText()).isEqualTo("local[2]");
        System.out.printf(Locale.ROOT, "local[2] vs local: %d images; max CAM diff %.3g; seeds %.6f, rw %.6f equal;"
                + " local run %.1f s (all stages), spark cams..eval %.1f s; mIoU rw %.4f / %.4f%n", ids.size(),
                maxCamDiff, seeds, rw, localSeconds, sparkSeconds, a.number(Stage.EVAL, "rw-miou").orElseThrow(),
                b.number(Stage.EVAL, "rw-miou").orElseThrow());

        // an image unreadable since the data check: a failure entry naming it, every other image written
        Path broken = tmp.resolve("broken");
        SparkDemoData.copyTrained(local, broken);
        String victim = ids.get(11);
        byte[] garbage = new byte[500];
        new Random(7).nextBytes(garbage);
        Path victimFile = data.resolve("images/" + victim + ".png");
        byte[] original = Files.readAllBytes(victimFile);
        Files.write(victimFile, garbage);
        try {
            PsaRuntime.Result c = PsaRuntime.builder().preset("demo").sets(sparkKeys).build().run(broken,
                    new PsaRuntime.RunOptions(Stage.CAMS, Stage.CAMS, false, false, StageListener.NONE));
            assertThat(c.summaries().get(Stage.CAMS)).containsEntry("written", ids.size() - 1)
                    .containsEntry("failed", 1);
            // --fail-fast: the task throws, the job stops, the error is the stage's own, naming the image
            Path failFast = tmp.resolve("fail-fast");
            SparkDemoData.copyTrained(local, failFast);
            assertThatThrownBy(() -> PsaRuntime.builder().preset("demo").sets(sparkKeys).build().run(failFast,
                    new PsaRuntime.RunOptions(Stage.CAMS, Stage.CAMS, false, true, StageListener.NONE)))
                    .isInstanceOf(PsaException.class).hasMessageStartingWith("image " + victim + ": ")
                    .hasMessageContaining(victim + ".png");
        } finally {
            Files.write(victimFile, original);
        }
        JsonNode failures = JSON.readTree(broken.resolve("failures.json").toFile());
        assertThat(failures.size()).as(failures.toString()).isEqualTo(1);
        assertThat(failures.get(0).path("stage").asText()).isEqualTo("cams");
        assertThat(failures.get(0).path("id").asText()).isEqualTo(victim);
        assertThat(failures.get(0).path("reason").asText()).contains(victim + ".png");
        for (String id : ids) {
            assertThat(broken.resolve("cam/" + id + ".npz")).satisfies(f -> assertThat(Files.exists(f))
                    .as(f.toString()).isEqualTo(!id.equals(victim)));
        }
        try (var files = Files.list(broken.resolve("cam"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".npz")).toList())
                    .as("no temporary or half-written file left").isEmpty();
        }
    }
}
