package dev.psa.crf.internal;

import java.util.List;
import java.util.Arrays;

/**
 * Mean-field inference for a fully connected CRF with Potts compatibility and Gaussian pairwise
 * kernels (Krähenbühl and Koltun 2011, Algorithm 1), as the reference implementation (densecrf /
 * pydensecrf) runs it:
 * <pre>
 *   Q ← softmax(−U)
 *   repeat t times:  Q ← softmax(−U + Σ_m w_m · N_m K_m N_m Q)
 * </pre>
 * where {@code K_m} is kernel m's Gaussian filter (permutohedral lattice, the pixel itself
 * included), {@code N_m = diag(1/√(K_m·1))} its symmetric normalisation and {@code w_m} its Potts
 * weight ("compat"). Rewarding agreement by {@code +w·K̃Q(l)} equals penalising disagreement by
 * {@code −w·Σ_{l'≠l} K̃Q(l')}: the two differ by a per-pixel constant the softmax removes.
 *
 * <p>Values are point-major ({@code [n·L]}, pixel i's labels together). The normalisation and the
 * weight are folded into the splat and slice weights once per image; an iteration is then one
 * splat + blur per kernel and one fused pass over the pixels (slice every kernel, add the unary,
 * softmax). Nothing is allocated per pixel.
 */
public final class MeanField {
    private static final int BLOCK_POINTS = 8192;

    private MeanField() {
    }

    /** One pairwise term: its lattice with normalisation and Potts weight folded into the weights. */
    public static final class Kernel {
        final PermutohedralLattice lattice;
        final float[] gatherWeights;
        final float[] sliceWeights;
        final int[] vertex;
        final int corners;

        private Kernel(PermutohedralLattice lattice, float[] gatherWeights, float[] sliceWeights) {
            this.lattice = lattice;
            this.gatherWeights = gatherWeights;
            this.sliceWeights = sliceWeights;
            this.vertex = lattice.vertices();
            this.corners = lattice.dims() + 1;
        }

        /**
         * @param features [n·d] point-major positions, already divided by the kernel's standard deviations
         * @param compat   Potts weight w (&gt; 0)
         */
        public static Kernel build(float[] features, int n, int d, float compat, Parallel par) {
            PermutohedralLattice lattice = PermutohedralLattice.build(features, n, d, par);
            float[] ones = new float[n];
            Arrays.fill(ones, 1f);
            float[] degree = lattice.filter(ones, 1, par);
            float[] norm = new float[n];
            for (int i = 0; i < n; i++) {
                norm[i] = (float) (1.0 / Math.sqrt(degree[i] + 1e-20));
            }
            return new Kernel(lattice, lattice.gatherWeights(norm), lattice.sliceWeights(norm, compat));
        }

        /** @return the number of lattice vertices */
        public int latticeSize() {
            return lattice.size();
        }
    }

    /**
     * @param unary      [n·L] point-major energies (finite)
     * @param n          pixels
     * @param labels     L ≥ 1
     * @param kernels    pairwise terms (may be empty)
     * @param iterations t ≥ 0
     * @return Q [n·L] point-major marginals, each pixel's summing to 1
     */
    public static float[] infer(float[] unary, int n, int labels, List<Kernel> kernels, int iterations,
                                Parallel par) {
        float[] q = new float[n * labels];
        par.forRange(n, BLOCK_POINTS, (from, to) -> {
            for (int i = from; i < to; i++) {
                int b = i * labels;
                for (int l = 0; l < labels; l++) {
                    q[b + l] = -unary[b + l];
                }
                softmaxInPlace(q, b, labels);
            }
        });
        if (kernels.isEmpty() || iterations == 0) {
            return q;
        }
        int k = kernels.size();
        Kernel[] ks = kernels.toArray(new Kernel[0]);
        float[][] bufA = new float[k][];
        float[][] bufB = new float[k][];
        float[][] blurred = new float[k][];
        for (int m = 0; m < k; m++) {
            bufA[m] = ks[m].lattice.newBuffer(labels);
            bufB[m] = ks[m].lattice.newBuffer(labels);
        }
        for (int it = 0; it < iterations; it++) {
            for (int m = 0; m < k; m++) {
                ks[m].lattice.splat(q, labels, ks[m].gatherWeights, bufA[m], par);
                blurred[m] = ks[m].lattice.blur(bufA[m], bufB[m], labels, par);
            }
            // every splat has read q, so the fused slice + softmax may overwrite it
            par.forRange(n, BLOCK_POINTS, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int b = i * labels;
                    for (int l = 0; l < labels; l++) {
                        q[b + l] = -unary[b + l];
                    }
                }
                for (int m = 0; m < k; m++) {
                    sliceAdd(blurred[m], ks[m].sliceWeights, ks[m].vertex, ks[m].corners, labels, q, from, to);
                }
                for (int i = from; i < to; i++) {
                    softmaxInPlace(q, i * labels, labels);
                }
            });
        }
        return q;
    }

    /** {@code acc[i·L + l] += Σ_corner sw · values[vertex·L + l]} for points {@code from .. to-1}. */
    private static void sliceAdd(float[] values, float[] sw, int[] vertex, int corners, int labels, float[] acc,
                                 int from, int to) {
        for (int i = from; i < to; i++) {
            WeightedGather.gather(values, labels, vertex, sw, i * corners, i * corners + corners, acc, i * labels, true);
        }
    }

    /** Replaces {@code x[from .. from+len)} by its softmax (max subtracted first). */
    static void softmaxInPlace(float[] x, int from, int len) {
        float max = x[from];
        for (int l = from + 1; l < from + len; l++) {
            if (x[l] > max) {
                max = x[l];
            }
        }
        float sum = 0;
        for (int l = from; l < from + len; l++) {
            float e = expNonPositive(x[l] - max);
            x[l] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int l = from; l < from + len; l++) {
            x[l] *= inv;
        }
    }

    private static final float LOG2E = 1.44269504089f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.42860682030941723212e-6f;

    /**
     * {@code exp(x)} for {@code x ≤ 0} to float precision (relative error ≈ 1e-7), several times
     * faster than {@link Math#exp}, which dominated an iteration: {@code x = k·ln2 + r} with
     * {@code |r| ≤ ln2/2}, a degree-6 Taylor polynomial for {@code e^r}, {@code 2^k} from the
     * exponent bits. Below −87 (float underflow) it returns 0.
     */
    static float expNonPositive(float x) {
        if (!(x >= -87f)) {
            return 0f;
        }
        float kf = (int) (x * LOG2E - 0.5f); // x ≤ 0: truncation rounds to nearest
        float r = x - kf * LN2_HI - kf * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
        return p * Float.intBitsToFloat(((int) kf + 127) << 23);
    }
}
