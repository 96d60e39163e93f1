package dev.psa.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
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
import org.junit.jupiter.api.Test;

/**
 * What psa's stages do to a run folder, asked of the provider on one Hadoop file system: atomic
 * writes (temporary + rename over the target), reads, listings, folders, missing files as {@link
 * NoSuchFileException}. HDFS and S3 run the same cases; where the store itself differs (S3 cannot
 * append) {@link #appends()} says so.
 */
abstract class ProviderContract {
    /** A fresh folder {@code name} on the file system under test. */
    abstract Path dir(String name) throws IOException;

    /** Whether the file system can append to a file (HDFS yes, S3 no). */
    abstract boolean appends();

    @Test
    void writesAndReadsBack() throws IOException {
        Path d = dir("rw");
        Path f = d.resolve("hello.txt");
        Files.writeString(f, "héllo store");
        assertThat(Files.readString(f)).isEqualTo("héllo store");
        assertThat(Files.readAllBytes(f)).hasSize("héllo store".getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.size(f)).isEqualTo(12);
        assertThat(Files.isRegularFile(f)).isTrue();
        assertThat(Files.isDirectory(d)).isTrue();
        assertThat(Files.exists(d.resolve("nope"))).isFalse();
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        assertThat(a.size()).isEqualTo(12);
        assertThat(a.isDirectory()).isFalse();
        assertThat(a.lastModifiedTime().toMillis()).isPositive();
        Map<String, Object> m = Files.readAttributes(f, "basic:*");
        assertThat(m).containsEntry("size", 12L).containsEntry("isRegularFile", true).containsEntry("isDirectory", false);
        assertThat(Files.readAttributes(f, "size,isDirectory")).containsOnlyKeys("size", "isDirectory");
        // a seekable read channel: position, then read the tail
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            assertThat(ch.size()).isEqualTo(12);
            ch.position(7);
            ByteBuffer b = ByteBuffer.allocate(16);
            assertThat(ch.read(b)).isEqualTo(5);
            assertThat(new String(b.array(), 0, 5, StandardCharsets.UTF_8)).isEqualTo("store");
            assertThat(ch.read(ByteBuffer.allocate(4))).isEqualTo(-1);
        }
        if (appends()) {
            try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
                out.write("!".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(Files.readString(f)).isEqualTo("héllo store!");
        } else {
            // a clear error naming the file, the file unchanged
            assertThatThrownBy(() -> Files.newOutputStream(f, StandardOpenOption.APPEND))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith(f.toUri() + ": cannot append, " + f.toUri().getScheme()
                            + ":// does not support append");
            assertThat(Files.readString(f)).isEqualTo("héllo store");
        }
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
                .hasMessageContaining("/missing/absent.npz");
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
        // a task and its speculative copy (or a retry racing a slow first attempt) write the same output;
        // on S3A a replacing rename is delete + copy + delete and the attempts race between those steps
        // (it failed with "destination file exists" before move tried again): several rounds to meet the race
        for (int round = 0; round < 10; round++) {
            twoAttemptsAtOnce(dir("speculative" + round).resolve("cam/img_07.npz"));
        }
    }

    private static void twoAttemptsAtOnce(Path f) throws Exception {
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
        assertThat(Files.isDirectory(d.resolve("cam"))).isTrue();
    }
}
