package dev.psa.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Locations;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against a real HDFS: an in-process MiniDFSCluster (one name node, one data node). */
class HadoopFileSystemProviderTest {
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

    private static Path dir(String name) throws IOException {
        Path d = Path.of(root.resolve("/t/" + name));
        Files.createDirectories(d);
        return d;
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
    void writesAndReadsBack() throws IOException {
        Path d = dir("rw");
        Path f = d.resolve("hello.txt");
        Files.writeString(f, "héllo hdfs");
        assertThat(Files.readString(f)).isEqualTo("héllo hdfs");
        assertThat(Files.readAllBytes(f)).hasSize("héllo hdfs".getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.size(f)).isEqualTo(11);
        assertThat(Files.isRegularFile(f)).isTrue();
        assertThat(Files.isDirectory(d)).isTrue();
        assertThat(Files.exists(d.resolve("nope"))).isFalse();
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        assertThat(a.size()).isEqualTo(11);
        assertThat(a.isDirectory()).isFalse();
        assertThat(a.lastModifiedTime().toMillis()).isPositive();
        Map<String, Object> m = Files.readAttributes(f, "basic:*");
        assertThat(m).containsEntry("size", 11L).containsEntry("isRegularFile", true).containsEntry("isDirectory", false);
        assertThat(Files.readAttributes(f, "size,isDirectory")).containsOnlyKeys("size", "isDirectory");
        // a seekable read channel: position, then read the tail
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            assertThat(ch.size()).isEqualTo(11);
            ch.position(7);
            ByteBuffer b = ByteBuffer.allocate(16);
            assertThat(ch.read(b)).isEqualTo(4);
            assertThat(new String(b.array(), 0, 4, StandardCharsets.UTF_8)).isEqualTo("hdfs");
            assertThat(ch.read(ByteBuffer.allocate(4))).isEqualTo(-1);
        }
        // append and CREATE_NEW
        try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
            out.write("!".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(f)).isEqualTo("héllo hdfs!");
        assertThatThrownBy(() -> Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.writeString(d.resolve("no/such/folder.txt"), "x"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void missingFilesAreNoSuchFile() throws IOException {
        Path d = dir("missing");
        Path f = d.resolve("absent.npz");
        assertThatThrownBy(() -> Files.readAllBytes(f)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/t/missing/absent.npz");
        assertThatThrownBy(() -> Files.newInputStream(f)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.size(f)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.delete(f)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> f.getFileSystem().provider().checkAccess(f)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.list(d.resolve("nofolder"))).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.deleteIfExists(f)).isFalse();
    }

    @Test
    void atomicFilesWriteThenRead() throws IOException {
        Path d = dir("atomic");
        Path f = d.resolve("cam/2007_000032.npz");
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        assertThat(AtomicFiles.write(f, content)).isEqualTo(f);
        assertThat(Files.readAllBytes(f)).isEqualTo(content);
        AtomicFiles.writeString(f, "second");
        assertThat(Files.readString(f)).isEqualTo("second");
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("2007_000032.npz");
        }
        assertThat(AtomicFiles.deleteTemporaries(d)).isEmpty();
    }

    @Test
    void halfWrittenTemporaryNeverAppearsUnderTheFinalName() throws IOException {
        Path d = dir("half");
        Path f = d.resolve("seeds.json");
        AtomicFiles.writeString(f, "old");
        IOException boom = new IOException("writer failed mid-file");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("new but half".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // while the temporary is being written, the final name still holds the old content
            assertThat(Files.readString(f)).isEqualTo("old");
            try (Stream<Path> s = Files.list(d)) {
                List<Path> tmp = s.filter(AtomicFiles::isTemporary).toList();
                assertThat(tmp).hasSize(1);
            }
            throw boom;
        })).isInstanceOf(AtomicFiles.WriteFailure.class).hasCause(boom);
        assertThat(Files.readString(f)).isEqualTo("old");
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("seeds.json");
        }
    }

    @Test
    void twoAttemptsWritingOneFileAtOnceLeaveOneWholeFile() throws Exception {
        // a task and its speculative copy (or a retry racing a slow first attempt) write the same output
        Path d = dir("speculative");
        Path f = d.resolve("cam/img_07.npz");
        byte[] a = new byte[200_000];
        byte[] b = new byte[150_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch bothWriting = new CountDownLatch(2);
            List<Future<Path>> attempts = new ArrayList<>();
            for (byte[] content : List.of(a, b)) {
                attempts.add(pool.submit(() -> AtomicFiles.write(f, out -> {
                    out.write(content, 0, content.length / 2);
                    bothWriting.countDown();
                    try {
                        bothWriting.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    out.write(content, content.length / 2, content.length - content.length / 2);
                })));
            }
            for (Future<Path> attempt : attempts) {
                assertThat(attempt.get()).isEqualTo(f);
            }
        } finally {
            pool.shutdown();
        }
        byte[] got = Files.readAllBytes(f);
        assertThat(got).satisfiesAnyOf(g -> assertThat(g).isEqualTo(a), g -> assertThat(g).isEqualTo(b));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("img_07.npz");
        }
    }

    @Test
    void moveReplacesAnExistingFileOnlyWhenAsked() throws IOException {
        Path d = dir("move");
        Path a = d.resolve("a.tmp");
        Path b = d.resolve("b.json");
        Files.writeString(a, "new");
        Files.writeString(b, "old");
        assertThatThrownBy(() -> Files.move(a, b)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(b)).isEqualTo("old");
        Files.move(a, b, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(b)).isEqualTo("new");
        assertThat(Files.exists(a)).isFalse();
        Files.move(b, d.resolve("c.json"));
        assertThat(Files.readString(d.resolve("c.json"))).isEqualTo("new");
        Files.copy(d.resolve("c.json"), d.resolve("d.json"));
        assertThat(Files.readString(d.resolve("d.json"))).isEqualTo("new");
        assertThat(Files.readString(d.resolve("c.json"))).isEqualTo("new");
    }

    @Test
    void foldersListCreateAndDelete() throws IOException {
        Path d = dir("list");
        Files.createDirectory(d.resolve("cam"));
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("cam"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("x/y"))).isInstanceOf(NoSuchFileException.class);
        Files.writeString(d.resolve("cam/b.npz"), "b");
        Files.writeString(d.resolve("cam/a.npz"), "a");
        Files.writeString(d.resolve("cam/c.txt"), "c");
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d.resolve("cam"), "*.npz")) {
            s.forEach(p -> names.add(d.relativize(p).toString()));
        }
        assertThat(names).containsExactlyInAnyOrder("cam/a.npz", "cam/b.npz");
        try (Stream<Path> w = Files.walk(d)) {
            assertThat(w.filter(Files::isRegularFile).count()).isEqualTo(3);
        }
        assertThatThrownBy(() -> Files.delete(d.resolve("cam"))).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(d.resolve("cam/c.txt"));
        assertThat(Files.exists(d.resolve("cam/c.txt"))).isFalse();
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
