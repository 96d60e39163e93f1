package dev.psa.api.stage;

import java.io.Serializable;
import java.util.List;

/**
 * A per-image computation whose results are summed rather than written (eval: confusion matrices):
 * the other half of the seam {@link ImageStage} is for stages with per-image outputs. A runner
 * splits {@link #items()} among workers, each opens the reduction once and runs its share into a
 * {@link Part}; the parts merge (in any order) into the result of all items.
 *
 * @param <P> the partial result
 */
public interface ImageReduction<P extends ImageReduction.Part<P>> extends AutoCloseable {
    /** A partial result: serialisable (it travels from workers to the runner) and mergeable. */
    interface Part<P> extends Serializable {
        /** This part and {@code other} as one (commutative and associative; either may be reused). */
        P merge(P other);
    }

    /** The ids of the images, in order. */
    List<String> items();

    /**
     * Processes {@code ids} (a subset of {@link #items()}, in its order).
     *
     * @param failFast stop (throw) at the first bad image instead of listing it in the part
     */
    P run(List<String> ids, boolean failFast, Progress progress);

    @Override
    default void close() {
    }
}
