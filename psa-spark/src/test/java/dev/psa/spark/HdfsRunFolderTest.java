package dev.psa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Locations;
import dev.psa.hadoop.HadoopPaths;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.engine.ImageJob;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.sweep.Sweep;
import dev.psa.runtime.sweep.SweepGrid;

/**
 * The run folder's bookkeeping on HDFS (an in-process MiniDFSCluster): the lock file that stands in
 * for an OS lock, its clear error, the text that travels to Spark executors, and sweeps refusing it.
 */
class HdfsRunFolderTest {
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
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theLockIsAFileWhileHeldAndASecondHolderIsToldWhichFile() throws Exception {
        RunFolder run = new RunFolder(Locations.path(hdfs.resolve("/runs/locked").toString()));
        Path lock = run.root().resolve(RunFolder.LOCK);
        // a temporary an interrupted run left is deleted when the folder is taken
        Path stale = run.root().resolve("cam/.img_01.npz123.tmp");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "half");
        assertThat(AtomicFiles.isTemporary(stale)).isTrue();
        try (AutoCloseable held = run.lock()) {
            assertThat(Files.exists(stale)).isFalse();
            assertThat(Files.readString(lock)).contains(String.valueOf(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> new RunFolder(run.root()).lock())
                    .isInstanceOf(PsaException.class)
                    .hasMessageContaining("in use by another psa process")
                    .hasMessageContaining(lock.toString())
                    .hasMessageContaining("delete " + lock);
        }
        assertThat(Files.exists(lock)).isFalse();
        try (AutoCloseable again = run.lock()) {
            assertThat(Files.exists(lock)).isTrue();
        }
    }

    @Test
    void theRunFolderTravelsToExecutorsAsItsUri() {
        Path root = Locations.path(hdfs.resolve("/runs/job").toString());
        String text = Locations.string(root);
        assertThat(text).isEqualTo(hdfs.resolve("/runs/job").toString());
        ImageJob job = new ImageJob("cams", "", text, Map.of(), Map.of());
        assertThat(Locations.path(job.runDir())).isEqualTo(root);
        // where the JDK's installed providers are not visible (an app jar's class loader), HadoopPaths serves the same path
        assertThat(HadoopPaths.get(URI.create(job.runDir()))).isEqualTo(root);
    }

    @Test
    void sweepsRefuseAHadoopFolderSayingWhy() {
        Path out = Locations.path(hdfs.resolve("/sweeps").toString());
        PsaRuntime rt = PsaRuntime.builder().preset("demo").build();
        SweepGrid grid = SweepGrid.of(rt.values(), List.of("rw.beta=8,16"));
        assertThatThrownBy(() -> Sweep.run(out.resolve("s"), "s", grid, rt.values(), rt.components(), false,
                new Sweep.Listener() { }))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("/sweeps/s")
                .hasMessageContaining("not on the local file system");
    }
}
