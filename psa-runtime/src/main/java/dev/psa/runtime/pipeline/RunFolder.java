package dev.psa.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.io.Locations;

/**
 * A run folder and the bookkeeping that makes stages resumable: {@code state/<stage>.json} records
 * the fingerprint a stage started with and whether it finished. A stage whose recorded fingerprint
 * differs from the current one has its folders cleared before it runs again; an interrupted stage
 * with the same fingerprint resumes (per-image outputs that exist are kept).
 */
public final class RunFolder {
    /** What is recorded about a stage. */
    public record StageState(String fingerprint, boolean done, String started, String finished, double seconds,
                             Map<String, Object> summary) {
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The lock file that keeps two processes from writing one run folder. */
    public static final String LOCK = ".psa-lock";
    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);

    private final Path root;

    /** Opens (creating) a run folder; a clear error when it cannot be written. */
    public RunFolder(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath();
        try {
            AtomicFiles.createDirectories(this.root.resolve("state"));
        } catch (IOException e) {
            throw new PsaException("run folder " + this.root + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(this.root)) {
            throw new PsaException("run folder " + this.root + " is not writable");
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String child) {
        return root.resolve(child);
    }

    /** The fingerprint of a stage: its config keys' values and the upstream fingerprints. */
    public static String fingerprint(Stage stage, Map<String, String> resolvedConfig, Map<Stage, String> upstream) {
        return fingerprint(stage, resolvedConfig, upstream, Map.of());
    }

    /**
     * The fingerprint of a stage: its config keys' values, the upstream fingerprints and the
     * digests of the input files it reads (e.g. the model file: name → SHA-256).
     */
    public static String fingerprint(Stage stage, Map<String, String> resolvedConfig, Map<Stage, String> upstream,
            Map<String, String> inputFiles) {
        Map<String, String> parts = new TreeMap<>();
        inputFiles.forEach((k, v) -> parts.put("file:" + k, v));
        resolvedConfig.forEach((k, v) -> {
            for (String p : stage.configPrefixes()) {
                if (k.startsWith(p)) {
                    parts.put(k, v);
                }
            }
        });
        for (Stage u : stage.upstreamStages()) {
            parts.put("@" + u.id(), requireNonNull(upstream.get(u), "upstream fingerprint of " + u.id()));
        }
        return digest(parts);
    }

    /** A fingerprint of named parts (16 hex digits of the SHA-256 of their sorted "name=value" lines). */
    static String digest(Map<String, String> parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(parts).forEach((k, v) -> md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the values given to the last command on this folder are kept. */
    static final String CONFIG = "state/config.json";

    /**
     * Keeps the values a command was given (preset, file, {@code --set}), so that a later stage
     * command on this folder ({@code psa seeds --run DIR}) works with the same config.
     */
    public void recordConfig(Map<String, ComponentConfig.Value> values) {
        Map<String, Map<String, String>> doc = new TreeMap<>();
        values.forEach((k, v) -> {
            Map<String, String> entry = new LinkedHashMap<>(); // fixed field order: same values, same bytes
            entry.put("value", v.value());
            entry.put("source", v.source());
            doc.put(k, entry);
        });
        writeJson(CONFIG, doc);
    }

    /**
     * The values recorded by the last command on a run folder (source: "run folder DIR (was: SOURCE)"),
     * empty when none.
     */
    public static Map<String, ComponentConfig.Value> recordedConfig(Path root) {
        Path f = root.resolve(CONFIG);
        Map<String, ComponentConfig.Value> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            JSON.readTree(Files.readAllBytes(f)).fields().forEachRemaining(e -> out.put(e.getKey(), new ComponentConfig.Value(
                    e.getValue().path("value").asText(), "run folder " + root + " (was: "
                    + e.getValue().path("source").asText() + ")")));
        } catch (IOException e) {
            throw new PsaException(f + ": cannot read the run's recorded config: " + e.getMessage(), e);
        }
        return out;
    }

    public Optional<StageState> state(Stage stage) {
        Path f = stateFile(stage);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(f), StageState.class));
        } catch (IOException e) {
            throw new PsaException(f + ": unreadable stage state (" + e.getMessage() + "); delete it to re-run "
                    + stage.id(), e);
        }
    }

    /** Whether the stage finished with this fingerprint. */
    public boolean upToDate(Stage stage, String fingerprint) {
        return state(stage).map(s -> s.done() && s.fingerprint().equals(fingerprint)).orElse(false);
    }

    /**
     * Prepares a stage to run: when it was started or finished with another fingerprint (or
     * {@code force}), its folders are cleared; then it is recorded as started.
     *
     * @return whether earlier outputs were kept (a resume)
     */
    public boolean begin(Stage stage, String fingerprint, boolean force) {
        Optional<StageState> s = state(stage);
        boolean keep = !force && s.isPresent() && s.get().fingerprint().equals(fingerprint);
        if (!keep) {
            for (String folder : stage.folders()) {
                deleteTree(root.resolve(folder));
            }
        }
        writeState(stage, new StageState(fingerprint, false, Instant.now().toString(), null, 0,
                Map.of()));
        return keep && s.isPresent();
    }

    /** Records a stage as finished. */
    public void finish(Stage stage, String fingerprint, double seconds, Map<String, Object> summary) {
        String started = state(stage).map(StageState::started).orElse(null);
        writeState(stage, new StageState(fingerprint, true, started, Instant.now().toString(), seconds,
                new LinkedHashMap<>(summary)));
    }

    /**
     * Takes the run folder for this process ({@code .psa-lock}, released by the OS when the
     * process ends, however it ends; on a Hadoop file system a lock file, see {@link #lockFile}) and deletes the temporary files an interrupted run left.
     *
     * @return releases the folder
     * @throws PsaException when another process holds the folder
     */
    public AutoCloseable lock() {
        Path f = root.resolve(LOCK);
        if (!Locations.isLocal(root)) {
            return lockFile(f);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            FileChannel channel = ch;
            List<Path> stale = AtomicFiles.deleteTemporaries(root);
            if (!stale.isEmpty()) {
                LOG.info("deleted {} temporary files an interrupted run left in {}", stale.size(), root);
            }
            return () -> {
                lock.release();
                channel.close();
            };
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new PsaException("run folder " + root + " is in use by another psa process (" + f
                    + " is locked); wait for it to end or choose another --run folder");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new PsaException("run folder " + root + " cannot be used: " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * On a file system without OS locks (HDFS, S3): a lock file made with CREATE_NEW (one step on
     * the name node) naming its holder, deleted when released. A killed process leaves it behind:
     * the error then says which file to delete.
     */
    private AutoCloseable lockFile(Path f) {
        String holder = ProcessHandle.current().pid() + "@" + hostName() + " since " + Instant.now();
        try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write((holder + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            String other;
            try {
                other = Files.readString(f).trim();
            } catch (IOException r) {
                other = "unreadable";
            }
            throw new PsaException("run folder " + root + " is in use by another psa process (lock file " + f
                    + " exists, held by " + other + "); wait for it to end, or delete " + f
                    + " if that process is gone, or choose another --run folder");
        } catch (IOException e) {
            throw new PsaException("run folder " + root + " cannot be used: " + f + ": " + e.getMessage(), e);
        }
        try {
            List<Path> stale = AtomicFiles.deleteTemporaries(root);
            if (!stale.isEmpty()) {
                LOG.info("deleted {} temporary files an interrupted run left in {}", stale.size(), root);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(f);
            throw new PsaException("run folder " + root + " cannot be used: " + e.getMessage(), e);
        }
        return () -> Files.deleteIfExists(f);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // the lock file stays; the next run names it
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Writes any JSON value atomically under the run folder. */
    public void writeJson(String relative, Object value) {
        Path f = root.resolve(relative);
        try {
            AtomicFiles.write(f, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new PsaException("cannot write " + f + ": " + e.getMessage()
                    + " (earlier outputs of the run are untouched)", e);
        }
    }

    private Path stateFile(Stage stage) {
        return root.resolve("state").resolve(stage.id() + ".json");
    }

    private void writeState(Stage stage, StageState s) {
        writeJson("state/" + stage.id() + ".json", s);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new PsaException("cannot clear " + p + ": " + e.getMessage(), e);
        }
    }
}
