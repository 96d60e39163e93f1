package dev.psa.api.stage;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a stage gets when it runs, whatever runs it (the local pipeline runner, a Spark executor,
 * a test): where to write, whether it resumes, and where its failures and progress go.
 */
public interface StageContext {
    /** The running stage's id. */
    String stage();

    /** The run folder: the stage reads its upstream outputs and writes its own folders here. */
    Path runDir();

    /** Whether outputs of an interrupted attempt with the same fingerprint were kept (resume). */
    boolean resumed();

    /** Whether the first failed image stops the stage ({@code --fail-fast}). */
    boolean failFast();

    /** Where events go. */
    StageListener listener();

    /** Records that one image failed (in {@code failures.json}) and tells the listener. */
    void fail(String imageId, String reason);

    /** Progress of this stage, reported to the listener. */
    default Progress progress() {
        return (done, total, id) -> listener().progress(stage(), done, total, id);
    }

    /** Records every failure of a per-image stage's summary; returns the summary's map. */
    default Map<String, Object> record(StageSummary summary) {
        summary.failures().forEach(f -> fail(f.id(), f.reason()));
        return summary.toMap();
    }
}
