package dev.psa.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.PsaException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private long files() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aFullDiskLeavesTheEarlierFileIntactAndNoTemporary() throws Exception {
        Path f = dir.resolve("out/a.json");
        AtomicFiles.writeString(f, "old content");
        String saved = System.getProperty(AtomicFiles.SIMULATE_FULL_DISK);
        System.setProperty(AtomicFiles.SIMULATE_FULL_DISK, dir.resolve("out").toString());
        try {
            assertThatThrownBy(() -> AtomicFiles.writeString(f, "new content that does not fit"))
                    .isInstanceOfSatisfying(AtomicFiles.WriteFailure.class, e -> {
                        assertThat(e.target()).isEqualTo(f);
                        assertThat(e.getMessage()).isEqualTo("No space left on device");
                    });
            AtomicFiles.writeString(dir.resolve("elsewhere.txt"), "outside the full folder");
        } finally {
            if (saved == null) {
                System.clearProperty(AtomicFiles.SIMULATE_FULL_DISK);
            } else {
                System.setProperty(AtomicFiles.SIMULATE_FULL_DISK, saved);
            }
        }
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("old content");
        assertThat(files()).isEqualTo(2);
    }

    @Test
    void aFileWhereAFolderShouldBeIsNamed() throws Exception {
        Files.writeString(dir.resolve("rw"), "in the way");
        assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("rw/x.png"), "x"))
                .isInstanceOf(AtomicFiles.WriteFailure.class)
                .hasMessage(dir.resolve("rw") + " is a file, not a folder");
        assertThatThrownBy(() -> AtomicFiles.createDirectories(dir.resolve("rw/a/b")))
                .hasMessage(dir.resolve("rw") + " is a file, not a folder");
        Files.createDirectories(dir.resolve("d/x.json"));
        Files.writeString(dir.resolve("d/x.json/keep"), "k");
        assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("d/x.json"), "x"))
                .hasMessage(dir.resolve("d/x.json") + " is a folder, not a file");
        assertThat(files()).isEqualTo(2);
    }

    @Test
    void writeFailuresAreRethrownAsFatalWithTheFileAndOtherErrorsAreNot() {
        AtomicFiles.WriteFailure w = new AtomicFiles.WriteFailure(dir.resolve("a.png"), "No space left on device",
                new java.io.IOException("No space left on device"));
        PsaException wrapped = new PsaException("a.png: cannot write: No space left on device", w);
        assertThatThrownBy(() -> AtomicFiles.rethrowWriteFailure(wrapped)).isInstanceOf(PsaException.class)
                .hasMessage("cannot write " + dir.resolve("a.png") + ": No space left on device").hasCause(wrapped);
        AtomicFiles.rethrowWriteFailure(new PsaException("x.png: corrupt PNG", new java.io.IOException("bad")));
    }

    @Test
    void temporariesLeftByAKilledWriterAreFoundAndDeleted() throws Exception {
        Path keep = AtomicFiles.writeString(dir.resolve("cam/a.npz"), "done");
        Path left = Files.createTempFile(dir.resolve("cam"), ".b.npz", ".tmp");
        Files.writeString(dir.resolve(".hidden"), "not ours");
        Files.writeString(dir.resolve("notes.tmp"), "not ours either");
        assertThat(AtomicFiles.isTemporary(left)).isTrue();
        assertThat(AtomicFiles.isTemporary(keep)).isFalse();
        assertThat(AtomicFiles.deleteTemporaries(dir)).containsExactly(left);
        assertThat(left).doesNotExist();
        assertThat(keep).exists();
        assertThat(files()).isEqualTo(3);
        assertThat(AtomicFiles.deleteTemporaries(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void writtenFilesAreReadableByEveryone() throws Exception {
        Path f = AtomicFiles.writeString(dir.resolve("report/index.html"), "<html></html>");
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .isEqualTo("rw-r--r--");
        }
        assertThat(Files.readString(f)).isEqualTo("<html></html>");
    }

    @Test
    void haltAfterWriteStopsTheJvmRightAfterTheNthMatchingFile() throws Exception {
        Process p = haltProbe(AtomicFiles.HALT_AFTER_WRITE + "=/x\\d\\.txt$:2");
        assertThat(p.exitValue()).isEqualTo(AtomicFiles.HALT_EXIT);
        assertThat(Files.readString(dir.resolve("x1.txt"))).isEqualTo("content 1");
        assertThat(Files.readString(dir.resolve("x2.txt"))).isEqualTo("content 2");
        assertThat(dir.resolve("x3.txt")).doesNotExist();
        assertThat(dir.resolve("other.txt")).exists(); // not matching: written, not counted
        assertThat(AtomicFiles.deleteTemporaries(dir)).isEmpty();
    }

    @Test
    void haltBeforeRenameLeavesACompleteTemporaryAndNoTarget() throws Exception {
        Process p = haltProbe(AtomicFiles.HALT_BEFORE_RENAME + "=/x\\d\\.txt$:2");
        assertThat(p.exitValue()).isEqualTo(AtomicFiles.HALT_EXIT);
        assertThat(dir.resolve("x1.txt")).exists();
        assertThat(dir.resolve("x2.txt")).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> tmp = s.filter(AtomicFiles::isTemporary).toList();
            assertThat(tmp).hasSize(1);
            assertThat(tmp.get(0).getFileName().toString()).startsWith(".x2.txt");
            assertThat(Files.readString(tmp.get(0))).isEqualTo("content 2");
        }
    }

    /** Runs {@link HaltProbe} in a child JVM with one hook property and waits for it. */
    private Process haltProbe(String property) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-D" + property, "-cp", System.getProperty("java.class.path"),
                HaltProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        return p;
    }

    /** Child process of the halt tests: writes other.txt, then x1.txt, x2.txt, x3.txt in DIR. */
    public static final class HaltProbe {
        public static void main(String[] args) throws Exception {
            Path d = Path.of(args[0]);
            AtomicFiles.writeString(d.resolve("x1.txt"), "content 1");
            AtomicFiles.writeString(d.resolve("other.txt"), "not counted");
            AtomicFiles.writeString(d.resolve("x2.txt"), "content 2");
            AtomicFiles.writeString(d.resolve("x3.txt"), "content 3");
            System.exit(0);
        }
    }
}
