package dev.psa.backbones.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.NativeHelpers;

class NhwcOpsTest {
    /** With a oneDNN build, direct calls run like SameDiff graphs: ND4J's own kernels (see NativeHelpers). */
    @BeforeAll
    static void graphKernels() {
        NativeHelpers.forGraphs();
    }

    private static INDArray rand(long seed, long... shape) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), shape).castTo(DataType.FLOAT).subi(0.5);
    }

    /** Dilated convolution written out from its definition (NHWC, YXIO, zero padding d·(k−1)/2). */
    private static float[][][][] dilatedByDefinition(INDArray x, INDArray w, INDArray b, int d) {
        int n = (int) x.size(0);
        int h = (int) x.size(1);
        int wd = (int) x.size(2);
        int c = (int) x.size(3);
        int k = (int) w.size(0);
        int o = (int) w.size(3);
        int pad = d * (k - 1) / 2;
        float[][][][] y = new float[n][h][wd][o];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int s = 0; s < wd; s++) {
                    for (int q = 0; q < o; q++) {
                        double acc = b == null ? 0 : b.getDouble(q);
                        for (int a = 0; a < k; a++) {
                            for (int e = 0; e < k; e++) {
                                int rr = r + a * d - pad;
                                int ss = s + e * d - pad;
                                if (rr < 0 || rr >= h || ss < 0 || ss >= wd) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    acc += x.getDouble(i, rr, ss, ch) * w.getDouble(a, e, ch, q);
                                }
                            }
                        }
                        y[i][r][s][q] = (float) acc;
                    }
                }
            }
        }
        return y;
    }

    /** ND4J's own dilated convolution (the SameDiff graphs' kernel), NHWC. */
    private static INDArray nativeDilated(INDArray x, INDArray w, INDArray b, int d) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).dH(d).dW(d).pH(d).pW(d)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.YXIO).build();
        return Nd4j.exec(new Conv2D(x, w, b, cfg))[0];
    }

    @Test
    void spaceToBatchConvolutionIsTheDilatedConvolutionOnEverySizeAndDilation() {
        int[][] sizes = {{7, 9}, {8, 8}, {5, 13}, {1, 3}, {12, 6}};
        long seed = 1;
        for (int d : new int[] {2, 3, 4}) {
            for (int[] hw : sizes) {
                INDArray x = rand(seed++, 2, hw[0], hw[1], 5);
                INDArray w = rand(seed++, 3, 3, 5, 4);
                INDArray b = rand(seed++, 4);
                INDArray got = NhwcOps.spaceToBatchConv(x, w, b, 3, d, new BufferPool());
                INDArray expected = Nd4j.create(dilatedByDefinition(x, w, b, d));
                assertThat(got.shape()).isEqualTo(new long[] {2, hw[0], hw[1], 4});
                assertThat(got.sub(expected).amaxNumber().doubleValue()).as("d=%d size=%s", d, Arrays.toString(hw))
                        .isLessThan(1e-5);
                // and ND4J's own dilated convolution agrees (the SameDiff graphs' kernel)
                assertThat(nativeDilated(x, w, b, d).sub(expected).amaxNumber().doubleValue())
                        .isLessThan(1e-5);
            }
        }
    }

    @Test
    void pointwiseIsTheOneByOneConvolution() {
        INDArray x = rand(3, 2, 5, 7, 6);
        INDArray w = rand(4, 1, 1, 6, 3);
        INDArray b = rand(5, 3);
        INDArray got = NhwcOps.conv(x, w, b, 1, 1, 1, false, new BufferPool());
        assertThat(got.shape()).isEqualTo(new long[] {2, 5, 7, 3});
        assertThat(got.sub(NhwcOps.nativeConv(x, w, b, 1, 1, 0, new BufferPool())).amaxNumber().doubleValue()).isLessThan(1e-5);
        // one value by hand
        double v = b.getDouble(2);
        for (int c = 0; c < 6; c++) {
            v += x.getDouble(1, 4, 6, c) * w.getDouble(0, 0, c, 2);
        }
        assertThat(got.getDouble(1, 4, 6, 2)).isCloseTo(v, within(1e-5));
    }

    @Test
    void scaleShiftIsPerChannelAndOverwritesOnlyWhenAllowed() {
        INDArray x = Nd4j.createFromArray(new float[] {1, -2, 3, -4, 5, -6}).reshape(1, 1, 2, 3);
        INDArray scale = Nd4j.createFromArray(new float[] {2, 3, -1});
        INDArray shift = Nd4j.createFromArray(new float[] {0.5f, 1, 0});
        INDArray copy = NhwcOps.scaleShift(x, scale, shift, true, false, new BufferPool());
        assertThat(copy.data().asFloat()).containsExactly(2.5f, 0, 0, 0, 16, 6);
        assertThat(x.data().asFloat()).containsExactly(1, -2, 3, -4, 5, -6);
        INDArray same = NhwcOps.scaleShift(x, scale, shift, false, true, new BufferPool());
        assertThat(same).isSameAs(x);
        assertThat(x.data().asFloat()).containsExactly(2.5f, -5, -3, -7.5f, 16, 6);
    }
}
