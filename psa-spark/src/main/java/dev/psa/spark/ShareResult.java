package dev.psa.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.StageSummary;

/**
 * What one task did with its share of images, sent back to the driver.
 *
 * @param total    images of the share
 * @param written  outputs written
 * @param skipped  outputs found complete
 * @param failures failed images (id, reason), in the share's order
 * @param seconds  the task's time on the share
 */
record ShareResult(int total, int written, int skipped, List<Failed> failures, double seconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One failed image. */
    record Failed(String id, String reason) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    ShareResult {
        failures = new ArrayList<>(failures);
    }

    static ShareResult of(StageSummary s) {
        return new ShareResult(s.total(), s.written(), s.skipped(),
                s.failures().stream().map(f -> new Failed(f.id(), f.reason())).toList(), s.seconds());
    }

    /** The shares' results as one summary of the stage, failures in share order. */
    static StageSummary merge(String stage, List<ShareResult> shares, double seconds) {
        int total = 0;
        int written = 0;
        int skipped = 0;
        List<ImageFailure> failures = new ArrayList<>();
        for (ShareResult r : shares) {
            total += r.total;
            written += r.written;
            skipped += r.skipped;
            r.failures.forEach(f -> failures.add(new ImageFailure(f.id(), stage, f.reason())));
        }
        return new StageSummary(stage, total, written, skipped, failures, seconds);
    }
}
