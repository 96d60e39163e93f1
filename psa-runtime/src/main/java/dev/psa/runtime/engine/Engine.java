package dev.psa.runtime.engine;

import java.util.Map;
import dev.psa.api.stage.ImageReduction;
import dev.psa.api.stage.StageSummary;
import dev.psa.runtime.pipeline.RunContext;

/**
 * Runs a per-image stage of the pipeline (cams, seeds, walk, …) over all its images. The stage's
 * work comes from {@link ImageJob#open()} (on whichever machine runs it); an engine decides only
 * where and in how many shares.
 */
public interface Engine {
    /**
     * Runs every image of the stage: outputs written, complete ones skipped, failed images in the
     * summary (the caller records them in {@code failures.json}).
     *
     * @throws dev.psa.api.PsaException on fail-fast or when the stage cannot run
     */
    StageSummary run(ImageJob job, RunContext context);

    /**
     * Runs a reduction over all its images (eval's confusion matrices): parts computed where the
     * engine runs them, merged into one.
     *
     * @throws dev.psa.api.PsaException on fail-fast or when it cannot run
     */
    <P extends ImageReduction.Part<P>> P reduce(ImageJob job, RunContext context);

    /**
     * What the run records about the engine in the stage's summary ({@code run.json}): e.g. the
     * master, executors and Spark version; empty for the local engine.
     */
    default Map<String, Object> describe() {
        return Map.of();
    }
}
