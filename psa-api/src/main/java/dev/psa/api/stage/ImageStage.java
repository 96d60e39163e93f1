package dev.psa.api.stage;

import java.util.List;

/**
 * The per-image half of a stage whose images are independent (cams, seeds, walk, …): the seam an
 * engine uses to spread the work. A runner lists {@link #items()} once, splits them among workers
 * (the calling thread, Spark tasks) keeping runs of {@link #granularity()} items together, and on
 * each worker opens the stage once — components and networks built once per worker — and calls
 * {@link #run} with that worker's share. Outputs are written by {@link #run} itself; images whose
 * outputs are complete are skipped, so a retried share does no work twice.
 */
public interface ImageStage extends AutoCloseable {
    /** The stage's id ({@code cams}). */
    String id();

    /** The ids of the images this stage works on, in order. */
    List<String> items();

    /**
     * Items that should stay in one share, e.g. the CAM batch size: shares whose sizes are
     * multiples of it compute exactly what one run over all items computes.
     */
    default int granularity() {
        return 1;
    }

    /**
     * Processes {@code ids} (a subset of {@link #items()}, in its order) and writes their outputs.
     *
     * @param failFast stop (throw) at the first bad image instead of listing it in the summary
     * @param progress told after each image (done and total count this share)
     * @return what was written, skipped and failed; {@code total} is {@code ids.size()}
     */
    StageSummary run(List<String> ids, boolean failFast, Progress progress);

    /** Releases what {@link #run} built (networks, native memory). */
    @Override
    default void close() {
    }
}
