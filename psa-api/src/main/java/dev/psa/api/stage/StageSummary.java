package dev.psa.api.stage;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a per-image stage did.
 *
 * @param stage    the stage name ({@code cams}, {@code seeds}, {@code walk}, ...)
 * @param total    images in the split
 * @param written  images whose outputs were written in this run
 * @param skipped  images whose outputs existed and read back complete (resume)
 * @param failures images that failed (reported and skipped)
 * @param seconds  wall-clock time of the run
 */
public record StageSummary(String stage, int total, int written, int skipped, List<ImageFailure> failures,
                           double seconds) {
    public StageSummary {
        requireNonNull(stage, "stage is null");
        failures = List.copyOf(failures);
    }

    /** The summary as a JSON-ready map (stage state, run.json); failures as a count. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", total);
        m.put("written", written);
        m.put("skipped", skipped);
        m.put("failed", failures.size());
        m.put("seconds", seconds);
        return m;
    }

    /** One line for the command line, e.g. {@code cams: 300 images, 300 written, 0 skipped (already done), 0 failed, 12.3 s}. */
    public String line() {
        return String.format(Locale.ROOT, "%s: %d images, %d written, %d skipped (already done), %d failed, %.1f s",
                stage, total, written, skipped, failures.size(), seconds);
    }
}
