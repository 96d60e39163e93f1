package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's command-line contract, in child JVMs as from the {@code psa} launcher: {@code psa run
 * --set engine=spark --set spark.master=local[2]} completes and prints the same mIoU lines as the
 * local engine, and {@code psa cams --run DIR --set engine=spark --set spark.master=local[2]} writes
 * {@code cam/<id>.npz} for every image. psa-spark and Spark are on psa-cli's class path only at run
 * time; the engine is found by discovery.
 */
class SparkEngineCliIT {
    @TempDir
    Path dir;

    @Test
    void runAndCamsOnLocalTwoGiveTheLocalEnginesResults() throws Exception {
        Path config = TinyRun.config(dir, "tiny");
        ChildPsa local = TinyRun.runLocally(dir, config, dir.resolve("local"));

        Path run = dir.resolve("spark");
        // 2 ND4J threads per task, as the local engine has here (OMP_NUM_THREADS=2): the same arithmetic
        ChildPsa spark = ChildPsa.run(dir.resolve("logs"), ChildPsa.sparkOpens(), "run", "--config", config.toString(),
                "--run", run.toString(), "--set", "engine=spark", "--set", "spark.master=local[2]", "--set",
                "spark.psa.task-threads=2");
        assertThat(spark.exit()).as(spark.output()).isZero();
        assertThat(ChildPsa.miouLines(spark.out())).as(spark.out()).hasSize(1).isEqualTo(ChildPsa.miouLines(local.out()));

        JsonNode runJson = RunFiles.JSON.readTree(run.resolve("run.json").toFile());
        assertThat(runJson.at("/stages/cams/summary/engine/master").asText()).isEqualTo("local[2]");
        assertThat(runJson.at("/stages/cams/summary/engine/spark-version").asText()).startsWith("4.0.");

        ChildPsa cams = ChildPsa.run(dir.resolve("logs"), ChildPsa.sparkOpens(), "cams", "--run", run.toString(), "--set",
                "engine=spark", "--set", "spark.master=local[2]");
        assertThat(cams.exit()).as(cams.output()).isZero();
        try (Stream<Path> files = Files.list(run.resolve("cam"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz")).count())
                    .isEqualTo(TinyRun.IMAGES);
        }
        assertThat(cams.out()).contains("[cams]");
        System.out.println("psa run, spark local[2]:\n" + spark.out());
    }
}
