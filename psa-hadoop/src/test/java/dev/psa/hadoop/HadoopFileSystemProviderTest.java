package dev.psa.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.psa.api.io.Locations;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against a real HDFS: an in-process MiniDFSCluster (one name node, one data node); {@link ProviderContract}'s cases and HDFS's own. */
class HadoopFileSystemProviderTest extends ProviderContract {
    @TempDir
    static java.nio.file.Path base;

    static MiniDFSCluster cluster;
    static URI root;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        root = URI.create("hdfs://localhost:" + cluster.getNameNodePort() + "/");
        HadoopPaths.configure(cluster.getConfiguration(0));
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Override
    Path dir(String name) throws IOException {
        Path d = Path.of(root.resolve("/t/" + name));
        Files.createDirectories(d);
        return d;
    }

    @Override
    boolean appends() {
        return true;
    }

    @Test
    void installedProviderServesHdfsUris() {
        Path p = Path.of(root.resolve("/a/b.txt"));
        assertThat(p.getFileSystem().provider()).isInstanceOf(HadoopFileSystemProvider.Hdfs.class);
        assertThat(p).isEqualTo(HadoopPaths.get(root.resolve("/a/b.txt")));
        assertThat(p.toUri()).isEqualTo(root.resolve("/a/b.txt"));
        assertThat(Locations.path(Locations.string(p))).isEqualTo(p);
        assertThat(Locations.path(root.resolve("/a/b.txt").toString())).isEqualTo(p);
        assertThat(Locations.isLocal(p)).isFalse();
    }

    @Test
    void pathsResolveRelativizeAndNormalize() {
        Path r = Path.of(root.resolve("/runs/demo"));
        Path cam = r.resolve("cam").resolve("img1.npz");
        assertThat(cam.toString()).isEqualTo("/runs/demo/cam/img1.npz");
        assertThat(cam.getFileName().toString()).isEqualTo("img1.npz");
        assertThat(cam.getParent()).isEqualTo(r.resolve("cam"));
        assertThat(cam.getNameCount()).isEqualTo(4);
        assertThat(cam.getName(0).toString()).isEqualTo("runs");
        assertThat(cam.subpath(2, 4).toString()).isEqualTo("cam/img1.npz");
        assertThat(r.relativize(cam).toString()).isEqualTo("cam/img1.npz");
        assertThat(cam.relativize(r).toString()).isEqualTo("../..");
        assertThat(r.resolve(r.relativize(cam))).isEqualTo(cam);
        assertThat(r.resolve("cam/../seeds/./x.png").normalize().toString()).isEqualTo("/runs/demo/seeds/x.png");
        assertThat(cam.startsWith(r)).isTrue();
        assertThat(cam.startsWith("/runs")).isTrue();
        assertThat(r.startsWith(cam)).isFalse();
        assertThat(cam.endsWith("cam/img1.npz")).isTrue();
        assertThat(cam.isAbsolute()).isTrue();
        assertThat(r.relativize(cam).isAbsolute()).isFalse();
        assertThat(cam.getRoot().toString()).isEqualTo("/");
        assertThat(cam.resolveSibling("img2.npz").toString()).isEqualTo("/runs/demo/cam/img2.npz");
        assertThat(cam.toUri()).isEqualTo(root.resolve("/runs/demo/cam/img1.npz"));
        assertThat(cam.compareTo(r)).isPositive();
        List<String> parts = new ArrayList<>();
        cam.forEach(p -> parts.add(p.toString()));
        assertThat(parts).containsExactly("runs", "demo", "cam", "img1.npz");
        assertThat(cam.getFileSystem().getPathMatcher("glob:**/*.npz").matches(cam)).isTrue();
    }

    @Test
    void fileSystemsAreKeyedBySchemeAndAuthorityAndTakeAGivenConfiguration() throws IOException {
        // 127.0.0.1 rather than localhost: another authority, so another file system of the same provider
        URI other = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/");
        Configuration conf = new Configuration(cluster.getConfiguration(0));
        java.nio.file.FileSystem fs = FileSystems.newFileSystem(other, Map.of(HadoopPaths.CONF_KEY, conf));
        try {
            assertThat(fs.provider().getFileSystem(other)).isSameAs(fs);
            assertThatThrownBy(() -> FileSystems.newFileSystem(other, Map.of()))
                    .isInstanceOf(FileSystemAlreadyExistsException.class);
            Path p = fs.getPath("/t/keyed.txt");
            Files.createDirectories(p.getParent());
            Files.writeString(p, "same cluster");
            assertThat(Files.readString(Path.of(root.resolve("/t/keyed.txt")))).isEqualTo("same cluster");
            assertThat(p).isNotEqualTo(Path.of(root.resolve("/t/keyed.txt")));
        } finally {
            fs.close();
        }
        assertThat(fs.isOpen()).isFalse();
        assertThatThrownBy(() -> fs.provider().getFileSystem(other)).isInstanceOf(FileSystemNotFoundException.class);
    }

    @Test
    void readsThroughAnInputStream() throws IOException {
        Path f = dir("stream").resolve("x.bin");
        Files.write(f, new byte[] {1, 2, 3, 4});
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3, 4);
        }
        assertThatThrownBy(() -> Files.newInputStream(f.getParent())).hasMessageContaining("is a folder");
    }
}
