package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
import dev.psa.data.DatasetTools;

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
        ChildPsa local = TinyRun.runLocally(tmp, config, tmp.resolve("local"));

        String runUri = hdfs.resolve("/runs/tiny").toString();
        Path run = Path.of(URI.create(runUri));
        ChildPsa onHdfs = ChildPsa.run(tmp.resolve("logs"), List.of(), "run", "--config", config.toString(), "--run",
                runUri);
        assertThat(onHdfs.exit()).as(onHdfs.output()).isZero();
        assertThat(ChildPsa.miouLines(onHdfs.out())).as(onHdfs.out()).isNotEmpty().isEqualTo(ChildPsa.miouLines(local.out()));
        assertThat(Files.size(run.resolve("report/index.html"))).isPositive();
        assertThat(onHdfs.out()).contains("run folder: " + runUri).contains("[report]").contains(runUri + "/report/index.html");
        assertThat(Files.readString(run.resolve("logs/psa.log"))).isNotEmpty();

        ChildPsa cams = ChildPsa.run(tmp.resolve("logs"), ChildPsa.sparkOpens(), "cams", "--run", runUri, "--set",
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

    @Test
    void datasetOnHdfs() throws Exception {
        // the same 30 images in the VOC layout, written by `psa data synth` onto HDFS and in-process locally
        String dataUri = hdfs.resolve("/data/shapes-voc").toString();
        Path onHdfs = Path.of(URI.create(dataUri));
        ChildPsa synth = ChildPsa.run(tmp.resolve("logs"), List.of(), "data", "synth", "--out", dataUri, "--n", "30");
        assertThat(synth.exit()).as(synth.output()).isZero();
        assertThat(synth.out()).contains("wrote 30 images (train 24, val 6)").contains(dataUri);
        Path local = tmp.resolve("shapes-voc");
        DatasetTools.synth(local, 30, 0);
        List<String> files;
        try (Stream<Path> all = Files.walk(local)) {
            files = all.filter(Files::isRegularFile).map(p -> local.relativize(p).toString()).sorted().toList();
        }
        assertThat(files).hasSize(30 * 3 + 4); // image, mask, annotation each; 3 split lists, classes.txt
        for (String f : files) {
            assertThat(Files.readAllBytes(onHdfs.resolve(f))).as(f).isEqualTo(Files.readAllBytes(local.resolve(f)));
        }

        // psa data stats reads the HDFS copy as it reads the local one
        ChildPsa statsHdfs = ChildPsa.run(tmp.resolve("logs"), List.of(), "data", "stats", dataUri);
        assertThat(statsHdfs.exit()).as(statsHdfs.output()).isZero();
        ChildPsa statsLocal = ChildPsa.run(tmp.resolve("logs"), List.of(), "data", "stats", local.toString());
        assertThat(statsLocal.exit()).as(statsLocal.output()).isZero();
        assertThat(statsHdfs.out()).startsWith("dataset " + dataUri + ": 30 masks in SegmentationClass")
                .isEqualTo(statsLocal.out().replace(local.toString(), dataUri));

        // a run whose data.root is the HDFS copy prints the mIoU lines of the same run reading the local copy
        Path localConfig = TinyRun.config(tmp, "voc-local", "data.name=voc2012", "data.root=" + local);
        Path hdfsConfig = TinyRun.config(tmp, "voc-hdfs", "data.name=voc2012", "data.root=" + dataUri);
        ChildPsa fromLocal = TinyRun.runLocally(tmp, localConfig, tmp.resolve("voc-local"));
        ChildPsa fromHdfs = TinyRun.runLocally(tmp, hdfsConfig, tmp.resolve("voc-hdfs"));
        assertThat(ChildPsa.miouLines(fromHdfs.out())).as(fromHdfs.out()).hasSize(1)
                .isEqualTo(ChildPsa.miouLines(fromLocal.out()));
        try (Stream<Path> cams = Files.list(tmp.resolve("voc-local/cam"))) {
            List<Path> npz = cams.filter(p -> p.toString().endsWith(".npz")).toList();
            assertThat(npz).hasSize(TinyRun.IMAGES);
            for (Path p : npz) {
                assertThat(Files.readAllBytes(tmp.resolve("voc-hdfs/cam").resolve(p.getFileName().toString())))
                        .as(p.getFileName().toString()).isEqualTo(Files.readAllBytes(p));
            }
        }
        assertThat(Files.readString(tmp.resolve("voc-hdfs/run.json"))).contains(dataUri);

        // a root whose scheme has no file system is a config error naming the key
        ChildPsa bad = ChildPsa.run(tmp.resolve("logs"), List.of(), "run", "--config", hdfsConfig.toString(),
                "--run", tmp.resolve("voc-bad").toString(), "--set", "data.root=nosuch://host/voc");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("data.root").contains("nosuch://host/voc").contains("no file system for scheme nosuch");
    }
}
