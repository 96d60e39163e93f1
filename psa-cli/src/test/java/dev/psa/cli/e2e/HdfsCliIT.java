package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import dev.psa.api.io.AtomicFiles;

/**
 * Issue 19 from the command line, in child JVMs: {@code psa run --run hdfs://…} (every stage, the
 * trainings' checkpoints included, on an in-process MiniDFSCluster) prints the mIoU lines of the same
 * run on a local folder, and {@code psa cams --run hdfs://… --set engine=spark --set
 * spark.master=local[2]} writes a CAM for every image there; no temporary or lock file is left.
 */
class HdfsCliIT {
    @TempDir
    static Path tmp;

    static MiniDFSCluster cluster;
    static URI hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        ((Logger) LoggerFactory.getLogger("org.apache.hadoop")).setLevel(Level.ERROR);
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = URI.create("hdfs://localhost:" + cluster.getNameNodePort() + "/");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void runAndCamsWithTheRunFolderOnHdfs() throws Exception {
        Path config = TinyRun.config(tmp, "tiny");
        ChildPsa local = ChildPsa.run(tmp.resolve("logs"), List.of(), "run", "--config", config.toString(), "--run",
                tmp.resolve("local").toString());
        assertThat(local.exit()).as(local.output()).isZero();

        String runUri = hdfs.resolve("/runs/tiny").toString();
        Path run = Path.of(URI.create(runUri));
        ChildPsa onHdfs = ChildPsa.run(tmp.resolve("logs"), List.of(), "run", "--config", config.toString(), "--run",
                runUri);
        assertThat(onHdfs.exit()).as(onHdfs.output()).isZero();
        assertThat(miouLines(onHdfs.out())).as(onHdfs.out()).isNotEmpty().isEqualTo(miouLines(local.out()));
        assertThat(Files.size(run.resolve("report/index.html"))).isPositive();
        assertThat(onHdfs.out()).contains("run folder: " + runUri).contains("[report]").contains(runUri + "/report/index.html");
        assertThat(Files.readString(run.resolve("logs/psa.log"))).isNotEmpty();

        ChildPsa cams = ChildPsa.run(tmp.resolve("logs"), sparkOpens(), "cams", "--run", runUri, "--set",
                "engine=spark", "--set", "spark.master=local[2]");
        assertThat(cams.exit()).as(cams.output()).isZero();
        assertThat(cams.out()).contains("[cams]");
        try (Stream<Path> files = Files.list(run.resolve("cam"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz")).count())
                    .isEqualTo(TinyRun.IMAGES);
        }
        try (Stream<Path> all = Files.walk(run)) {
            assertThat(all.filter(p -> AtomicFiles.isTemporary(p) || p.getFileName().toString().equals(".psa-lock"))
                    .map(Path::toString).toList()).as("no temporary or lock file left").isEmpty();
        }
        System.out.println("psa run --run " + runUri + ":\n" + onHdfs.out());
    }

    /** The mIoU lines without their times. */
    private static List<String> miouLines(String stdout) {
        return stdout.lines().filter(l -> l.contains("mIoU")).map(l -> l.replaceFirst("\\] [0-9.]+ s: ", "] "))
                .toList();
    }

    /** Spark's Java 17 openings (this JVM's, from the parent pom's spark.java.opens), as the launcher adds. */
    private static List<String> sparkOpens() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                out.add(a);
            }
        }
        return out;
    }
}
