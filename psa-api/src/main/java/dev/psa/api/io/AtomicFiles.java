package dev.psa.api.io;

import static java.util.Objects.requireNonNull;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.psa.api.PsaException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/** Writes files through a temporary sibling and a rename, so readers never see a partial file. */
public final class AtomicFiles {
    /**
     * Fault injection for tests of a full disk: when this system property names a folder, every
     * write of a file under it fails after its first bytes with "No space left on device", as on a
     * full disk, and goes through the same clean-up as a real failure. Not for production use.
     */
    public static final String SIMULATE_FULL_DISK = "psa.io.simulate-full-disk";

    /**
     * Test hook for deterministic kill/resume tests: {@code REGEX:N} halts the JVM
     * ({@link Runtime#halt(int)} with {@link #HALT_EXIT}, like a kill: no shutdown hooks, no
     * clean-up) right after the N-th file whose absolute path ({@code /}-separated) matches
     * {@code REGEX} (found anywhere in it) is renamed into place. Not for production use.
     */
    public static final String HALT_AFTER_WRITE = "psa.test.halt-after-write";

    /**
     * Test hook like {@link #HALT_AFTER_WRITE}, but the halt comes between writing (and flushing)
     * the N-th matching file's temporary and renaming it over the target: the run is left with a
     * complete temporary file and without the target.
     */
    public static final String HALT_BEFORE_RENAME = "psa.test.halt-before-rename";

    /** Exit status of a JVM halted by {@link #HALT_AFTER_WRITE} or {@link #HALT_BEFORE_RENAME}. */
    public static final int HALT_EXIT = 86;

    private static final HaltHook AFTER_WRITE = new HaltHook(HALT_AFTER_WRITE);
    private static final HaltHook BEFORE_RENAME = new HaltHook(HALT_BEFORE_RENAME);

    /** Names of the temporary files ({@code .<target name><random digits>.tmp}). */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\d+\\.tmp");

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * A file could not be written (full disk, a file where a folder should be, no permission): the
     * message says why in words, {@link #target()} is the file that was being written. Any earlier
     * content of the target is intact and no temporary file is left.
     */
    public static final class WriteFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path target;

        public WriteFailure(Path target, String reason, IOException cause) {
            super(reason, cause);
            this.target = requireNonNull(target, "target is null");
        }

        /** The file that was being written. */
        public Path target() {
            return target;
        }
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically: content goes to {@code .target.<random>.tmp} in the same
     * folder, is flushed to disk, then renamed over {@code target}. On failure the temporary file
     * is removed and any earlier {@code target} is left intact. On a file system other than the
     * default one (a run folder on HDFS) the provider's stream does the flush to disk as it closes.
     *
     * @throws WriteFailure when the file cannot be written (its message gives the reason)
     */
    public static Path write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            createDirectories(dir);
        } catch (WriteFailure w) {
            throw new WriteFailure(target, w.getMessage(), (IOException) w.getCause());
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            readableByAll(tmp);
        } catch (IOException e) {
            throw new WriteFailure(target, describe(e, dir), e);
        }
        try {
            try (OutputStream out = simulateFullDisk(target, Files.newOutputStream(tmp))) {
                writer.write(out);
                out.flush();
            }
            if (Locations.isLocal(tmp)) {
                try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            // other file systems (psa-hadoop's): their streams sync as they close (HDFS: hsync)
            BEFORE_RENAME.count(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            AFTER_WRITE.count(target);
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            if (e instanceof IOException io && !(e instanceof WriteFailure)) {
                String reason = Files.isDirectory(target) ? target + " is a folder, not a file" : describe(io, dir);
                throw new WriteFailure(target, reason, io);
            }
            throw e;
        }
    }

    /**
     * {@code createTempFile} makes files only their owner may read (0600); outputs of a run are
     * meant to be shared (a report served by a web server, a colleague's account): rw-r--r--.
     */
    private static void readableByAll(Path tmp) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Writes bytes atomically. */
    public static Path write(Path target, byte[] bytes) throws IOException {
        return write(target, out -> out.write(bytes));
    }

    /** Writes UTF-8 text atomically. */
    public static Path writeString(Path target, String text) throws IOException {
        return write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates a folder and its parents.
     *
     * @throws WriteFailure saying why in words, e.g. "{@code /runs/a} is a file, not a folder"
     */
    public static Path createDirectories(Path dir) throws WriteFailure {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WriteFailure(dir, describe(e, dir), e);
        }
    }

    /**
     * For per-item error handling: a failure to write an output (full disk, unwritable folder) is
     * not a bad item but stops the whole run, so it is rethrown as "cannot write FILE: REASON".
     *
     * @throws PsaException when a {@link WriteFailure} is among the causes of {@code e}
     */
    public static void rethrowWriteFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WriteFailure w) {
                throw new PsaException("cannot write " + w.target() + ": " + w.getMessage(), e);
            }
            if (t.getCause() == t) {
                break;
            }
        }
    }

    /** Whether a file name is one of this class's temporary files (left behind only by a killed process). */
    public static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        return name != null && TEMPORARY.matcher(name.toString()).matches();
    }

    /**
     * Deletes the temporary files a killed process left under {@code root} (a process that was
     * writing them would lose its write: call it only while no other process writes there).
     *
     * @return the files deleted
     */
    public static List<Path> deleteTemporaries(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found;
        try (Stream<Path> s = Files.walk(root)) {
            found = s.filter(p -> isTemporary(p) && Files.isRegularFile(p)).toList();
        }
        for (Path p : found) {
            Files.deleteIfExists(p);
        }
        return found;
    }

    /** The cause of an I/O failure in words; {@code folder} is the folder being created or written to. */
    private static String describe(IOException e, Path folder) {
        if (e instanceof WriteFailure) {
            return e.getMessage();
        }
        Path blocker = fileInTheWay(folder);
        if (blocker != null) {
            return blocker + " is a file, not a folder";
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder (" + n.getFile() + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The folder itself or its nearest existing ancestor when that is not a folder, else null. */
    private static Path fileInTheWay(Path folder) {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static OutputStream simulateFullDisk(Path target, OutputStream out) {
        String full = System.getProperty(SIMULATE_FULL_DISK);
        if (full == null || full.isBlank()
                || !target.toAbsolutePath().normalize().startsWith(Path.of(full).toAbsolutePath().normalize())) {
            return out;
        }
        return new FilterOutputStream(out) {
            private int room = 16;

            @Override
            public void write(int b) throws IOException {
                if (room-- <= 0) {
                    throw new IOException("No space left on device");
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };
    }

    /** One halt hook: reads its system property at each write, counts matching files, halts at the N-th. */
    private static final class HaltHook {
        private final String property;
        private final AtomicInteger matched = new AtomicInteger();
        private volatile String parsedFrom;
        private volatile Pattern pattern;
        private volatile int n;

        HaltHook(String property) {
            this.property = property;
        }

        void count(Path target) {
            String spec = System.getProperty(property);
            if (spec == null || spec.isBlank()) {
                return;
            }
            if (!spec.equals(parsedFrom)) {
                parse(spec);
            }
            String path = target.toAbsolutePath().normalize().toString().replace('\\', '/');
            if (pattern.matcher(path).find() && matched.incrementAndGet() == n) {
                System.err.println("halted by " + property + "=" + spec + " at " + path);
                System.err.flush();
                Runtime.getRuntime().halt(HALT_EXIT);
            }
        }

        private synchronized void parse(String spec) {
            int colon = spec.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(property + " = " + spec + ": expected REGEX:N");
            }
            pattern = Pattern.compile(spec.substring(0, colon));
            n = Integer.parseInt(spec.substring(colon + 1).trim());
            matched.set(0);
            parsedFrom = spec;
        }
    }
}
