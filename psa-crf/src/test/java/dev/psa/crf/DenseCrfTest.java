package dev.psa.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.LabelMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseCrfTest {
    /** Left half one colour, right half another (edge between x = 15 and x = 16), mild noise. */
    private static INDArray twoColourImage(int h, int w, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = h * w;
        float[] rgb = new float[3 * n];
        float[][] colour = {{40, 90, 190}, {210, 180, 60}};
        for (int i = 0; i < n; i++) {
            int side = i % w < w / 2 ? 0 : 1;
            for (int c = 0; c < 3; c++) {
                rgb[c * n + i] = (float) (colour[side][c] + 3 * rnd.nextGaussian());
            }
        }
        return Nd4j.create(rgb, new long[] {3, h, w}, DataType.FLOAT);
    }

    @Test
    void noisyLabelMapIsCleanedAlongTheColourEdge() {
        int h = 32;
        int w = 32;
        INDArray image = twoColourImage(h, w, 1);
        SplittableRandom rnd = new SplittableRandom(2);
        byte[] noisy = new byte[h * w];
        int wrongBefore = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int truth = x < w / 2 ? 0 : 1;
                // the labels' edge is off by up to 3 px from the colour edge, plus 20% flips and 10% unknown
                int shifted = x < w / 2 + (y % 7) - 3 ? 0 : 1;
                double r = rnd.nextDouble();
                int label = r < 0.1 ? 255 : r < 0.3 ? 1 - shifted : shifted;
                noisy[y * w + x] = (byte) label;
                wrongBefore += label != truth ? 1 : 0;
            }
        }
        LabelMap cleaned = DenseCrf.argmax(new DenseCrf(CrfConfig.psa()).inferLabels(image, new LabelMap(h, w, noisy),
                2));
        int wrongAfter = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                wrongAfter += cleaned.get(y, x) != (x < w / 2 ? 0 : 1) ? 1 : 0;
            }
        }
        assertThat(wrongBefore).isGreaterThan(h * w / 4);
        assertThat(wrongAfter).isZero();
        // the two columns beside the edge in particular
        for (int y = 0; y < h; y++) {
            assertThat(cleaned.get(y, w / 2 - 1)).isZero();
            assertThat(cleaned.get(y, w / 2)).isOne();
        }
    }

    @Test
    void scoresAreCleanedAlongTheColourEdgeToo() {
        int h = 24;
        int w = 32;
        INDArray image = twoColourImage(h, w, 3);
        SplittableRandom rnd = new SplittableRandom(4);
        int n = h * w;
        float[] s = new float[2 * n];
        for (int i = 0; i < n; i++) {
            // blurred, shifted evidence: the right class spills 4 px over the edge
            double p1 = 1 / (1 + Math.exp(-((i % w) - (w / 2 - 4)) / 2.0));
            p1 = Math.min(1, Math.max(0, p1 + 0.3 * (rnd.nextDouble() - 0.5)));
            s[i] = (float) (1 - p1);
            s[n + i] = (float) p1;
        }
        LabelMap map = DenseCrf.argmax(new DenseCrf(CrfConfig.psa()).inferScores(image,
                Fixtures.array(s, 2, h, w)));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertThat(map.get(y, x)).as("(y=%d, x=%d)", y, x).isEqualTo(x < w / 2 ? 0 : 1);
            }
        }
    }

    @Test
    void zeroKernelWeightsGiveSoftmaxOfUnary() {
        Fixtures.Scene scene = Fixtures.threeRegions(12, 16, 10, 5);
        float[] scores = Fixtures.noisyScores(scene.truth(), 3, 0.5, 0.3, 6);
        scores[0] = 0f;    // clipped to 1e-5
        scores[1] = 3f;    // clipped to 1
        INDArray q = new DenseCrf(CrfConfig.psa().withCompat(0, 0)).inferScores(scene.image(),
                Fixtures.array(scores, 3, 12, 16));
        assertSoftmaxOfUnary(q, Fixtures.unaryFromScores(scores), 12 * 16, 3);
    }

    @Test
    void zeroIterationsGiveSoftmaxOfUnary() {
        Fixtures.Scene scene = Fixtures.threeRegions(12, 16, 10, 7);
        float[] scores = Fixtures.noisyScores(scene.truth(), 3, 0.5, 0.3, 8);
        INDArray q = new DenseCrf(CrfConfig.psa().withIterations(0)).inferScores(scene.image(),
                Fixtures.array(scores, 3, 12, 16));
        assertSoftmaxOfUnary(q, Fixtures.unaryFromScores(scores), 12 * 16, 3);
    }

    private static void assertSoftmaxOfUnary(INDArray q, float[] unary, int n, int labels) {
        float[] got = q.dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int l = 0; l < labels; l++) {
                z += Math.exp(-unary[l * n + i]);
            }
            for (int l = 0; l < labels; l++) {
                assertThat((double) got[l * n + i]).isCloseTo(Math.exp(-unary[l * n + i]) / z, within(1e-6));
            }
        }
    }

    @Test
    void scoresAreUsedAsTheyAreNotRenormalised() {
        // p = (0.2, 0.1, 0.0): −log(clip) gives Q = (0.2, 0.1, 1e-5) / 0.30001 with the kernels off
        INDArray image = Nd4j.zeros(DataType.FLOAT, 3, 1, 1);
        INDArray scores = Nd4j.create(new float[] {0.2f, 0.1f, 0f}, new long[] {3, 1, 1}, DataType.FLOAT);
        float[] q = new DenseCrf(CrfConfig.psa().withCompat(0, 0)).inferScores(image, scores).data().asFloat();
        assertThat(q[0]).isCloseTo(0.2f / 0.30001f, within(1e-6f));
        assertThat(q[1]).isCloseTo(0.1f / 0.30001f, within(1e-6f));
        assertThat(q[2]).isCloseTo(1e-5f / 0.30001f, within(1e-8f));
    }

    @Test
    void labelUnaryUsesGtProbAndUniformForUnknown() {
        INDArray image = Nd4j.zeros(DataType.FLOAT, 3, 1, 3);
        LabelMap labels = new LabelMap(1, 3, new byte[] {0, 3, (byte) 255});
        float[] q = new DenseCrf(CrfConfig.irn().withCompat(0, 0)).inferLabels(image, labels, 4).dup('c').data()
                .asFloat();
        // [L, H, W] = [4, 1, 3]: q[l * 3 + x]
        assertThat(q[0]).isCloseTo(0.7f, within(1e-6f));
        assertThat(q[3]).isCloseTo(0.1f, within(1e-6f));
        assertThat(q[9 + 1]).isCloseTo(0.7f, within(1e-6f));
        assertThat(q[1]).isCloseTo(0.1f, within(1e-6f));
        for (int l = 0; l < 4; l++) {
            assertThat(q[l * 3 + 2]).isCloseTo(0.25f, within(1e-6f));
        }
    }

    @Test
    void marginalsAreDistributionsOfTheRightShape() {
        Fixtures.Scene scene = Fixtures.threeRegions(20, 28, 10, 9);
        float[] scores = Fixtures.noisyScores(scene.truth(), 4, 0.8, 0.2, 10);
        INDArray q = new DenseCrf(CrfConfig.psa()).inferScores(scene.image(), Fixtures.array(scores, 4, 20, 28));
        assertThat(q.shape()).containsExactly(4, 20, 28);
        assertThat(q.dataType()).isEqualTo(DataType.FLOAT);
        float[] v = q.dup('c').data().asFloat();
        int n = 20 * 28;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int l = 0; l < 4; l++) {
                assertThat(v[l * n + i]).isBetween(0f, 1f);
                sum += v[l * n + i];
            }
            assertThat(sum).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void doubleInputsAreAccepted() {
        Fixtures.Scene scene = Fixtures.threeRegions(12, 16, 10, 11);
        float[] scores = Fixtures.noisyScores(scene.truth(), 3, 0.8, 0.2, 12);
        DenseCrf crf = new DenseCrf(CrfConfig.psa());
        INDArray a = crf.inferScores(scene.image(), Fixtures.array(scores, 3, 12, 16));
        INDArray b = crf.inferScores(scene.image().castTo(DataType.DOUBLE),
                Fixtures.array(scores, 3, 12, 16).castTo(DataType.DOUBLE));
        assertThat(b).isEqualTo(a);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Fixtures.Scene scene = Fixtures.threeRegions(90, 120, 10, 13);
        float[] scores = Fixtures.noisyScores(scene.truth(), 3, 0.8, 0.2, 14);
        INDArray s = Fixtures.array(scores, 3, 90, 120);
        INDArray one = new DenseCrf(CrfConfig.psa(), 1).inferScores(scene.image(), s);
        INDArray four = new DenseCrf(CrfConfig.psa(), 4).inferScores(scene.image(), s);
        assertThat(four.dup('c').data().asFloat()).containsExactly(one.dup('c').data().asFloat());
    }

    @Test
    void singleLabelGivesCertainty() {
        INDArray image = twoColourImage(4, 6, 15);
        INDArray q = new DenseCrf(CrfConfig.psa()).inferScores(image, Nd4j.rand(DataType.FLOAT, 1, 4, 6));
        assertThat(q.minNumber().floatValue()).isEqualTo(1f);
        assertThat(DenseCrf.argmax(q)).isEqualTo(LabelMap.filled(4, 6, 0));
    }

    @Test
    void argmaxTakesLowestLabelOnTies() {
        INDArray q = Nd4j.create(new float[] {0.5f, 0.2f, 0.5f, 0.3f, 0f, 0.5f}, new long[] {3, 1, 2},
                DataType.FLOAT);
        // pixel 0: (0.5, 0.5, 0) → 0; pixel 1: (0.2, 0.3, 0.5) → 2
        assertThat(DenseCrf.argmax(q)).isEqualTo(new LabelMap(1, 2, new byte[] {0, 2}));
    }
}
