package dev.psa.api.spi;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Picks and weights the affinity pairs of a batch. The affinity loss is {@code Σ weight · ℓ} over
 * all pairs, with {@code ℓ = −log(W + 1e-5)} for positives and {@code −log(1 + 1e-5 − W)} for
 * negatives. The reference ({@code balanced}) weights every pair of a class by 1/(its class's
 * pair count) times ¼ (bg+), ¼ (fg+) or ½ (negative).
 */
public interface PairSampler {
    /**
     * @param pairClasses [N, O, h, w] float32 holding {@link PairClass} codes
     * @param rng         seeded random source, for samplers that draw pairs
     * @return [N, O, h, w] float32 weights ≥ 0; ignored pairs get 0
     */
    INDArray weights(INDArray pairClasses, Random rng);
}
