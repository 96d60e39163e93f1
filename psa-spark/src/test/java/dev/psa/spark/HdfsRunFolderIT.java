package dev.psa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;

/**
 * Issue 19: the run folder on HDFS (an in-process MiniDFSCluster). A small demo run trained on a
 * local folder is copied to {@code hdfs://}, and its per-image stages (cams, seeds, walk) and eval
 * run there with the local engine and with {@code engine = spark} on {@code local[2]}: the same
 * mIoU as on the local folder, a CAM file for every image, no temporary or lock file left.
 */
class HdfsRunFolderIT {
    @TempDir
    static Path tmp;

    static TestHdfs cluster;
    static URI hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        cluster = TestHdfs.start(tmp.resolve("hdfs"));
        hdfs = cluster.uri();
    }

    @AfterAll
    static void stop() {
        SparkEngine.Contexts.stop();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void perImageStagesOnHdfsWithTheLocalAndTheSparkEngine() throws Exception {
        Path data = tmp.resolve("data");
        List<String> ids = SparkDemoData.write(data);
        List<String> keys = SparkDemoData.keys(data);

        Path local = tmp.resolve("local");
        long t0 = System.nanoTime();
        PsaRuntime.Result a = SparkDemoData.runLocally(local, keys);
        double localSeconds = (System.nanoTime() - t0) / 1e9;

        List<String> report = new ArrayList<>();
        for (String engine : List.of("local", "spark")) {
            // the run folder given as text, as on the command line (--run hdfs://host:port/runs/NAME)
            Path run = Path.of(hdfs.resolve("/runs/" + engine));
            assertThat(run.toUri().getScheme()).isEqualTo("hdfs");
            SparkDemoData.copyTrained(local, run);
            List<String> sets = new ArrayList<>(keys);
            if (engine.equals("spark")) {
                sets.addAll(List.of("engine=spark", "spark.master=local[2]", "spark.psa.task-threads=1"));
            }
            List<String> ran = new ArrayList<>();
            StageListener listener = new StageListener() {
                @Override
                public void started(String stage, boolean resumed) {
                    ran.add(stage);
                }
            };
            t0 = System.nanoTime();
            PsaRuntime.Result b = PsaRuntime.builder().preset("demo").sets(sets).build().run(run,
                    new PsaRuntime.RunOptions(Stage.TRAIN_CLS, Stage.EVAL, false, false, listener));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(ran).as(engine + ": the trainings are up to date; the per-image stages and eval ran on hdfs")
                    .containsExactly("cams", "seeds", "walk", "eval");
            for (String m : List.of("cam-miou", "seeds-miou", "rw-miou")) {
                assertThat(b.number(Stage.EVAL, m).orElseThrow()).as(engine + " " + m)
                        .isCloseTo(a.number(Stage.EVAL, m).orElseThrow(), within(0.01));
            }
            for (String id : ids) {
                assertThat(Files.isRegularFile(run.resolve("cam/" + id + ".npz"))).as(engine + " cam/" + id).isTrue();
                assertThat(Files.isRegularFile(run.resolve("rw/" + id + ".png"))).as(engine + " rw/" + id).isTrue();
            }
            double maxCamDiff = SparkDemoData.maxCamDiff(local, run, ids);
            assertThat(maxCamDiff).as(engine + ": largest CAM difference to the local folder's").isLessThanOrEqualTo(1e-6);
            try (Stream<Path> all = Files.walk(run)) {
                List<String> left = all.filter(p -> AtomicFiles.isTemporary(p)
                        || p.getFileName() != null && p.getFileName().toString().equals(RunFolder.LOCK))
                        .map(Path::toString).toList();
                assertThat(left).as(engine + ": no temporary or lock file left").isEmpty();
            }
            assertThat(Files.readString(run.resolve("run.json"))).contains("\"cams\"");
            if (engine.equals("local")) {
                // the report stage too: its HTML and tiles written to hdfs
                PsaRuntime.builder().preset("demo").sets(sets).build().run(run,
                        new PsaRuntime.RunOptions(Stage.REPORT, Stage.REPORT, false, false, StageListener.NONE));
                assertThat(Files.size(run.resolve("report/index.html"))).isPositive();
                assertThat(Files.readString(run.resolve("report/index.html"))).contains("mIoU");
            }
            report.add(String.format(Locale.ROOT, "%s engine on hdfs: cams..eval %.1f s, rw mIoU %.4f, max CAM diff %.3g",
                    engine, seconds, b.number(Stage.EVAL, "rw-miou").orElseThrow(), maxCamDiff));
        }
        System.out.printf(Locale.ROOT, "local folder: all stages %.1f s, rw mIoU %.4f; %s%n", localSeconds,
                a.number(Stage.EVAL, "rw-miou").orElseThrow(), String.join("; ", report));
    }
}
