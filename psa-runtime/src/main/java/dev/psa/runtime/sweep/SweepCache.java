package dev.psa.runtime.sweep;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.runtime.pipeline.Failures;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.pipeline.StageCache;

/**
 * The content-addressed stage cache of a sweep: {@code <sweep>/.stages/<stage>/<fingerprint>/} holds
 * hard links to the files a stage wrote into its folders ({@link Stage#folders()}) and
 * {@code entry.json} (the stage's compute time, summary, failures and the variant that computed it).
 * An entry appears by renaming a finished temporary folder, so a killed sweep never leaves half an
 * entry. Restoring links the files into the variant's run folder and records the stage as finished
 * there, so every variant folder is a complete run folder ({@code psa run}, {@code psa report} work on
 * it). psa writes every file to a temporary name and renames it, so a linked file is never changed in
 * place by a later stage or run.
 */
public final class SweepCache implements StageCache {
    /** The cache folder under the sweep folder. */
    public static final String DIR = ".stages";
    static final String ENTRY = "entry.json";
    private static final String FILES = "files";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What the cache keeps about a stage.
     *
     * @param stage       the stage id
     * @param fingerprint its fingerprint
     * @param seconds     what computing it cost
     * @param summary     its summary
     * @param failures    the failures it recorded
     * @param computedIn  the run folder that computed it
     * @param stored      when it was stored
     */
    public record Entry(String stage, String fingerprint, double seconds, Map<String, Object> summary,
                        List<Failures.Failure> failures, String computedIn, String stored) {
    }

    private final Path root;

    public SweepCache(Path sweepDir) {
        this.root = requireNonNull(sweepDir, "sweepDir is null").toAbsolutePath().resolve(DIR);
    }

    /** The entry of a stage's fingerprint, if stored. */
    public Optional<Entry> entry(Stage stage, String fingerprint) {
        Path f = root.resolve(stage.id()).resolve(fingerprint).resolve(ENTRY);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(f), Entry.class));
        } catch (IOException e) {
            throw new PsaException(f + ": unreadable stage cache entry (" + e.getMessage() + "); delete "
                    + f.getParent() + " to compute the stage again", e);
        }
    }

    /** Every stored entry of a stage. */
    public List<Entry> entries(Stage stage) {
        Path dir = root.resolve(stage.id());
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (!AtomicFiles.isTemporary(p) && !p.getFileName().toString().contains(".tmp-")) {
                    entry(stage, p.getFileName().toString()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new PsaException(dir + ": cannot list: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public Optional<RunFolder.StageState> restore(Stage stage, String fingerprint, RunFolder run, Failures failures) {
        Optional<Entry> e = entry(stage, fingerprint);
        if (e.isEmpty() || failures.failFast() && !e.get().failures().isEmpty()) {
            return Optional.empty();
        }
        Entry entry = e.get();
        run.begin(stage, fingerprint, true); // clears the stage's folders, records it as started
        Path files = root.resolve(stage.id()).resolve(fingerprint).resolve(FILES);
        for (String folder : stage.folders()) {
            linkTree(files.resolve(folder), run.resolve(folder));
        }
        failures.clear(stage.id());
        failures.recordAll(entry.failures());
        run.finish(stage, fingerprint, entry.seconds(), entry.summary());
        return run.state(stage);
    }

    @Override
    public void store(Stage stage, String fingerprint, RunFolder run, List<Failures.Failure> failures) {
        Path dir = root.resolve(stage.id());
        Path target = dir.resolve(fingerprint);
        Path tmp = dir.resolve(fingerprint + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        RunFolder.StageState state = run.state(stage).orElseThrow(
                () -> new IllegalStateException("stage " + stage.id() + " has no state in " + run.root()));
        try {
            AtomicFiles.createDirectories(tmp.resolve(FILES));
            for (String folder : stage.folders()) {
                linkTree(run.resolve(folder), tmp.resolve(FILES).resolve(folder));
            }
            Entry entry = new Entry(stage.id(), fingerprint, state.seconds(), new LinkedHashMap<>(state.summary()),
                    failures, run.root().toString(), Instant.now().toString());
            AtomicFiles.write(tmp.resolve(ENTRY), JSON.writeValueAsBytes(entry));
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PsaException("stage cache " + target + ": cannot store " + stage.id() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes temporary entry folders a killed sweep left. */
    void deleteTemporaries() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path stageDir : s.toList()) {
                try (Stream<Path> t = Files.list(stageDir)) {
                    for (Path p : t.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
                        deleteTree(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new PsaException(root + ": cannot clean up: " + e.getMessage(), e);
        }
    }

    /** Hard-links every complete file under {@code from} to the same place under {@code to} (copies across file systems). */
    private static void linkTree(Path from, Path to) {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    AtomicFiles.createDirectories(q);
                } else if (Files.isRegularFile(p) && !AtomicFiles.isTemporary(p)) {
                    Files.deleteIfExists(q);
                    try {
                        Files.createLink(q, p);
                    } catch (UnsupportedOperationException | FileSystemException e) {
                        Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new PsaException("cannot link " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
