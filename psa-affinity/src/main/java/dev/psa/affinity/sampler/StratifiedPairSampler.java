package dev.psa.affinity.sampler;

import static java.util.Objects.requireNonNull;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.affinity.LossWeights;
import dev.psa.api.Shapes;
import dev.psa.api.spi.PairClass;
import dev.psa.api.spi.PairSampler;

/**
 * Stratified even sampling: from each non-empty subset (bg-positive, fg-positive, negative) of
 * the batch, draw the same number {@code n} of pairs — without replacement when the subset has at
 * least n pairs, with replacement otherwise — and average each subset's loss over its n draws,
 * weighted as the reference (¼, ¼, ½ by default). A pair drawn twice weighs twice. In expectation
 * the loss equals the {@code balanced} one; it differs in which pairs a step sees.
 */
public final class StratifiedPairSampler implements PairSampler {
    private final LossWeights weights;
    private final int pairsPerSubset;

    /**
     * @param weights        the subsets' loss weights
     * @param pairsPerSubset n ≥ 1, draws per subset and batch
     */
    public StratifiedPairSampler(LossWeights weights, int pairsPerSubset) {
        this.weights = requireNonNull(weights, "weights is null");
        if (pairsPerSubset < 1) {
            throw new IllegalArgumentException("pairsPerSubset must be >= 1, got " + pairsPerSubset);
        }
        this.pairsPerSubset = pairsPerSubset;
    }

    /**
     * @param pairClasses [N, O, h, w] float32 {@link PairClass} codes
     * @param rng         the draws' random source (seeded by the trainer per step)
     * @return [N, O, h, w] float32 weights; a non-empty subset's weights sum to its loss weight;
     *     undrawn and ignored pairs 0
     */
    @Override
    public INDArray weights(INDArray pairClasses, Random rng) {
        Shapes.check("pairClasses", "[N, O, h, w]", pairClasses, -1, -1, -1, -1);
        requireNonNull(rng, "rng is null");
        int[] codes = PairCodes.read(pairClasses);
        float[] out = new float[codes.length];
        for (int k = PairClass.BG_POSITIVE; k <= PairClass.NEGATIVE; k++) {
            int count = 0;
            for (int c : codes) {
                if (c == k) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            int[] members = new int[count];
            int m = 0;
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == k) {
                    members[m++] = i;
                }
            }
            float each = (float) (weights.of(k) / pairsPerSubset);
            if (count >= pairsPerSubset) {
                // partial Fisher–Yates: the first n entries become a uniform draw without replacement
                for (int i = 0; i < pairsPerSubset; i++) {
                    int j = i + rng.nextInt(count - i);
                    int t = members[i];
                    members[i] = members[j];
                    members[j] = t;
                    out[members[i]] += each;
                }
            } else {
                for (int i = 0; i < pairsPerSubset; i++) {
                    out[members[rng.nextInt(count)]] += each;
                }
            }
        }
        return PairCodes.like(out, pairClasses);
    }

    /** n, the draws per subset and batch. */
    public int pairsPerSubset() {
        return pairsPerSubset;
    }

    @Override
    public String toString() {
        return "stratified[n=" + pairsPerSubset + ", " + weights + "]";
    }
}
