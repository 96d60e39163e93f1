package dev.psa.crf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psa.api.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The lattice mean field against the exact O(N²) mean field ({@link BruteForceMeanField}) on
 * 24×32 images: MAP labels agree on ≥ 98% of the pixels and the mean |ΔQ| is ≤ 0.02 (issue 5).
 */
class DenseCrfBruteForceTest {
    private static final int H = 24;
    private static final int W = 32;

    /** MAP agreement, mean |ΔQ| over pixels and labels, mean over pixels of the reference's max Q. */
    private record Agreement(double map, double meanAbsDq, double meanMaxQ) {
    }

    private static Agreement compare(float[] got, double[] ref, int labels) {
        int n = H * W;
        int agree = 0;
        double dq = 0;
        for (int i = 0; i < n; i++) {
            int a = 0;
            int b = 0;
            for (int l = 1; l < labels; l++) {
                if (ref[l * n + i] > ref[a * n + i]) {
                    a = l;
                }
                if (got[l * n + i] > got[b * n + i]) {
                    b = l;
                }
            }
            agree += a == b ? 1 : 0;
            for (int l = 0; l < labels; l++) {
                dq += Math.abs(ref[l * n + i] - got[l * n + i]);
            }
        }
        double maxQ = 0;
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int l = 0; l < labels; l++) {
                m = Math.max(m, ref[l * n + i]);
            }
            maxQ += m / n;
        }
        return new Agreement(agree / (double) n, dq / ((double) labels * n), maxQ);
    }

    private static Agreement scoresCase(CrfConfig config, int labels, double noise, long seed) {
        Fixtures.Scene scene = Fixtures.threeRegions(H, W, noise, seed);
        int[] truth = scene.truth().clone();
        for (int i = 0; i < truth.length; i++) {
            truth[i] = truth[i] % labels;
        }
        float[] scores = Fixtures.noisyScores(truth, labels, 0.8, 0.2, seed + 1);
        INDArray q = new DenseCrf(config).inferScores(scene.image(), Fixtures.array(scores, labels, H, W));
        double[] ref = BruteForceMeanField.infer(scene.rgb(), H, W, Fixtures.unaryFromScores(scores), labels, config);
        return compare(q.dup('c').data().asFloat(), ref, labels);
    }

    @Test
    void psaSettingsFromScores() {
        Agreement a = scoresCase(CrfConfig.psa(), 3, 10, 7);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void irnSettingsFromScores() {
        Agreement a = scoresCase(CrfConfig.irn(), 3, 4, 21);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void gaussianKernelOnly() {
        Agreement a = scoresCase(CrfConfig.psa().withCompat(3, 0), 3, 10, 5);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void bilateralKernelOnly() {
        Agreement a = scoresCase(CrfConfig.psa().withCompat(0, 10), 3, 10, 9);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void fiveLabelsStrongerWeights() {
        Agreement a = scoresCase(new CrfConfig(5, 2, 5, 40, 10, 15, 0.7), 5, 8, 13);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void weakWeightsLeaveSoftMarginals() {
        // weak pairwise terms keep Q far from 0/1, so |ΔQ| measures the filter, not saturation
        Agreement a = scoresCase(new CrfConfig(10, 3, 0.5, 20, 13, 1, 0.7), 3, 10, 17);
        assertThat(a.meanMaxQ()).isLessThan(0.8);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void irnSettingsFromLabels() {
        Fixtures.Scene scene = Fixtures.threeRegions(H, W, 4, 31);
        int n = H * W;
        byte[] labels = new byte[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(32);
        for (int i = 0; i < n; i++) {
            double r = rnd.nextDouble();
            labels[i] = (byte) (r < 0.1 ? 255 : r < 0.25 ? rnd.nextInt(3) : scene.truth()[i]);
        }
        CrfConfig config = CrfConfig.irn();
        INDArray q = new DenseCrf(config).inferLabels(scene.image(), new LabelMap(H, W, labels), 3);
        float[] unary = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int lab = labels[i] & 0xFF;
            for (int l = 0; l < 3; l++) {
                unary[l * n + i] = (float) -Math.log(lab == 255 ? 1.0 / 3 : l == lab ? 0.7 : 0.15);
            }
        }
        Agreement a = compare(q.dup('c').data().asFloat(), BruteForceMeanField.infer(scene.rgb(), H, W, unary, 3,
                config), 3);
        assertThat(a.map()).isGreaterThanOrEqualTo(0.98);
        assertThat(a.meanAbsDq()).isLessThanOrEqualTo(0.02);
    }
}
