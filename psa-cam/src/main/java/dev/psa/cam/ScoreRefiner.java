package dev.psa.cam;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Refines a stack of per-label scores with the image, before the argmax of the seed labels: the
 * dense CRF ({@code dev.psa.crf.DenseCrf::inferScores}) or {@link #NONE}.
 */
@FunctionalInterface
public interface ScoreRefiner {
    /** No refinement: the scores themselves. */
    ScoreRefiner NONE = (image, scores) -> scores;

    /**
     * @param image  [3, H, W] float32 RGB in [0, 255]
     * @param scores [L, H, W] float32 scores used as they are (not renormalised)
     * @return [L, H, W] float32 refined scores or marginals
     */
    INDArray refine(INDArray image, INDArray scores);
}
