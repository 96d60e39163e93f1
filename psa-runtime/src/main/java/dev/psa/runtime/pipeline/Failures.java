package dev.psa.runtime.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;

/**
 * Per-image failures of a run ({@code failures.json}): recorded and reported, not fatal, unless
 * {@code --fail-fast}. A stage's old entries are replaced when it runs again.
 */
public final class Failures {
    /** One failed item. */
    public record Failure(String stage, String id, String reason) {
    }

    private final Path file;
    private final boolean failFast;
    private final List<Failure> items = Collections.synchronizedList(new ArrayList<>());

    public Failures(Path file, boolean failFast) {
        this.file = file;
        this.failFast = failFast;
        if (Files.exists(file)) {
            try {
                items.addAll(RunFolder.JSON.readValue(Files.readAllBytes(file), new TypeReference<List<Failure>>() { }));
            } catch (IOException e) {
                throw new PsaException(file + ": unreadable failure list: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the first failure stops the run (--fail-fast). */
    public boolean failFast() {
        return failFast;
    }

    /**
     * Forgets a stage's earlier failures (it is about to run again), with those recorded under
     * its sub-steps ({@code eval-cam}, {@code eval-rw} for {@code eval}).
     */
    public void clear(String stage) {
        items.removeIf(f -> f.stage().equals(stage) || f.stage().startsWith(stage + "-"));
        save();
    }

    /**
     * Records a failure; with fail-fast it is thrown instead.
     *
     * @throws PsaException when fail-fast
     */
    public void record(String stage, String id, String reason) {
        recordAll(List.of(new Failure(stage, id, reason)));
    }

    /**
     * Records several failures with one write of {@code failures.json}; with fail-fast the first is
     * thrown instead.
     *
     * @throws PsaException when fail-fast and the list is not empty
     */
    public void recordAll(List<Failure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        if (failFast) {
            Failure f = failures.get(0);
            throw new PsaException(f.stage() + ": " + f.id() + ": " + f.reason() + " (--fail-fast)");
        }
        synchronized (items) {
            for (Failure f : failures) {
                // a resumed stage retries the items that failed before: keep one entry per item
                items.removeIf(e -> e.stage().equals(f.stage()) && e.id().equals(f.id()));
                items.add(f);
            }
        }
        save();
    }

    public List<Failure> all() {
        synchronized (items) {
            return List.copyOf(items);
        }
    }

    public List<Failure> of(String stage) {
        return all().stream().filter(f -> f.stage().equals(stage)).toList();
    }

    private synchronized void save() {
        try {
            AtomicFiles.write(file, RunFolder.JSON.writeValueAsBytes(all()));
        } catch (IOException e) {
            throw new PsaException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
