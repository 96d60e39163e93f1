package dev.psa.randomwalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear, align_corners = false: output pixel o samples the input at clamp((o + 0.5)·in/out − 0.5).
 * PyTorch's F.interpolate([0, 8], size=4, mode='linear') gives [0, 2, 6, 8].
 */
class UpsamplingTest {
    @Test
    void interpolationWeightsByHand() {
        INDArray m = Upsampling.interpolationMatrix(2, 4);
        double[][] expected = {{1, 0}, {0.75, 0.25}, {0.25, 0.75}, {0, 1}};
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 2; i++) {
                assertThat(m.getDouble(o, i)).isCloseTo(expected[o][i], within(1e-7));
            }
        }
    }

    @Test
    void oneRowTwiceAsWide() {
        INDArray x = Nd4j.create(new float[] {0, 8}, new long[] {1, 1, 2}, DataType.FLOAT);
        INDArray up = Upsampling.bilinear(x, 1, 4);
        assertThat(up.shape()).containsExactly(1, 1, 4);
        assertThat(up.reshape(4).toFloatVector()).containsExactly(new float[] {0, 2, 6, 8}, org.assertj.core.data.Offset.offset(1e-6f));
    }

    /**
     * f(Y, X) = 8Y + 4X on a 2×2 grid is linear, so the upsampled value is 8·s(y) + 4·s(x) with s the
     * clamped source coordinate; stride 8: s(o) = clamp((o + 0.5) / 8 − 0.5, 0, 1), e.g. s(4) =
     * 0.0625, s(11) = 0.9375.
     */
    @Test
    void twoByTwoToSixteenBySixteenByHand() {
        INDArray x = Nd4j.create(new float[] {0, 4, 8, 12, 1, 1, 1, 1}, new long[] {2, 2, 2}, DataType.FLOAT);
        INDArray up = Upsampling.bilinear(x, 16, 16);
        assertThat(up.shape()).containsExactly(2, 16, 16);
        double[] s = new double[16];
        for (int o = 0; o < 16; o++) {
            s[o] = Math.min(1, Math.max(0, (o + 0.5) / 8 - 0.5));
        }
        assertThat(s[3]).isZero();
        assertThat(s[4]).isEqualTo(0.0625);
        assertThat(s[11]).isEqualTo(0.9375);
        assertThat(s[12]).isEqualTo(1);
        for (int y = 0; y < 16; y++) {
            for (int xx = 0; xx < 16; xx++) {
                assertThat(up.getDouble(0, y, xx)).isCloseTo(8 * s[y] + 4 * s[xx], within(1e-5));
                assertThat(up.getDouble(1, y, xx)).isCloseTo(1, within(1e-6));
            }
        }
        assertThat(up.getDouble(0, 4, 11)).isCloseTo(8 * 0.0625 + 4 * 0.9375, within(1e-6));
    }

    @Test
    void cropKeepsTheTopLeftOfTheFullResize() {
        INDArray x = WalkBench.randomScores(3, 3, 2, 3, 9);
        INDArray full = Upsampling.bilinear(x, 16, 24);
        INDArray crop = Upsampling.bilinear(x, 16, 24, 13, 19);
        assertThat(crop.shape()).containsExactly(3, 13, 19);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 13; y++) {
                for (int xx = 0; xx < 19; xx++) {
                    assertThat(crop.getDouble(c, y, xx)).isCloseTo(full.getDouble(c, y, xx), within(1e-6));
                }
            }
        }
    }
}
