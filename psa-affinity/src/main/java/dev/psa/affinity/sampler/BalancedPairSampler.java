package dev.psa.affinity.sampler;

import static java.util.Objects.requireNonNull;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.affinity.LossWeights;
import dev.psa.api.Shapes;
import dev.psa.api.spi.PairClass;
import dev.psa.api.spi.PairSampler;

/**
 * The reference pair weighting (REFERENCE.md §Stage 3): every pair of the batch is used, and each
 * subset's loss is averaged over its own pairs, so a pair of subset k weighs {@code w_k / n_k}
 * (n_k counted over the whole batch, as the reference does). A subset without pairs contributes
 * 0. This per-subset normalisation is what balances the rare negatives against the many positives.
 */
public final class BalancedPairSampler implements PairSampler {
    private final LossWeights weights;

    public BalancedPairSampler(LossWeights weights) {
        this.weights = requireNonNull(weights, "weights is null");
    }

    /**
     * @param pairClasses [N, O, h, w] float32 {@link PairClass} codes
     * @param rng         unused (the weighting is deterministic)
     * @return [N, O, h, w] float32 weights; each non-empty subset's weights sum to its loss weight
     */
    @Override
    public INDArray weights(INDArray pairClasses, Random rng) {
        Shapes.check("pairClasses", "[N, O, h, w]", pairClasses, -1, -1, -1, -1);
        int[] codes = PairCodes.read(pairClasses);
        long[] counts = new long[4];
        for (int c : codes) {
            counts[c]++;
        }
        float[] perClass = new float[4];
        for (int k = 1; k < 4; k++) {
            perClass[k] = counts[k] == 0 ? 0f : (float) (weights.of(k) / counts[k]);
        }
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = perClass[codes[i]];
        }
        return PairCodes.like(out, pairClasses);
    }

    @Override
    public String toString() {
        return "balanced" + weights;
    }
}
