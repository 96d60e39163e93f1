package dev.psa.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.InputNormalization;
import dev.psa.api.LabelMap;

class AugmenterTest {
    private static final float[] GRAY = {40, 120, 200};
    private static final int H = 40;
    private static final int W = 60;

    /** Label from position (asymmetric stripes), pixels from the label: gray level GRAY[label]. */
    private static LabelMap labels() {
        byte[] d = new byte[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                d[y * W + x] = (byte) (((x * x / 300) + (y >= 25 ? 1 : 0)) % 3);
            }
        }
        return new LabelMap(H, W, d);
    }

    private static INDArray image(LabelMap l) {
        float[] v = new float[3 * H * W];
        for (int i = 0; i < H * W; i++) {
            for (int c = 0; c < 3; c++) {
                v[c * H * W + i] = GRAY[l.get(i)];
            }
        }
        return Nd4j.create(v, new long[] {3, H, W}, DataType.FLOAT);
    }

    /** Whether every label in the (2r+1)² window around (y, x) equals the centre's. */
    private static boolean interior(LabelMap l, int y, int x, int r) {
        int v = l.get(y, x);
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int yy = y + dy;
                int xx = x + dx;
                if (yy < 0 || xx < 0 || yy >= l.height() || xx >= l.width() || l.get(yy, xx) != v) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void labelsStayAlignedWithPixelsThroughResizeFlipAndCrop() {
        LabelMap l = labels();
        INDArray img = image(l);
        AugmentConfig cfg = new AugmentConfig(true, 40, 90, true, 0, 0, 0, 0, 64);
        Augmenter aug = new Augmenter(cfg, Augmenter.IDENTITY);
        int flips = 0;
        int padded = 0;
        int checked = 0;
        for (int seed = 0; seed < 20; seed++) {
            Augmenter.Augmented a = aug.apply(img, List.of(l), new Random(seed));
            LabelMap out = a.labels().get(0);
            assertThat(a.image().shape()).containsExactly(3, 64, 64);
            float[] px = a.image().dup('c').data().asFloat();
            flips += a.transform().flipped() ? 1 : 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int v = out.get(y, x);
                    if (v == 255) {
                        padded++;
                        for (int c = 0; c < 3; c++) {
                            assertThat(px[c * 4096 + y * 64 + x]).isZero();
                        }
                    } else if (interior(out, y, x, 3)) {
                        checked++;
                        for (int c = 0; c < 3; c++) {
                            assertThat(px[c * 4096 + y * 64 + x]).as("seed " + seed + " at " + y + "," + x)
                                    .isCloseTo(GRAY[v], within(0.01f));
                        }
                    }
                }
            }
        }
        assertThat(flips).isBetween(3, 17);
        assertThat(padded).isPositive();
        assertThat(checked).isGreaterThan(5000);
    }

    @Test
    void jitterKeepsTheOrderOfClassesAndNormalisationIsApplied() {
        LabelMap l = labels();
        INDArray img = image(l);
        Augmenter aug = new Augmenter(new AugmentConfig(true, 50, 70, true, 0.3, 0.3, 0.3, 0.1, 48),
                InputNormalization.IMAGENET);
        for (int seed = 0; seed < 10; seed++) {
            Augmenter.Augmented a = aug.apply(img, List.of(l), new Random(seed));
            LabelMap out = a.labels().get(0);
            float[] px = a.image().dup('c').data().asFloat();
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    int v = out.get(y, x);
                    if (v != 255 && interior(out, y, x, 2)) {
                        double r = px[y * 48 + x];
                        lo[v] = Math.min(lo[v], r);
                        hi[v] = Math.max(hi[v], r);
                        // gray stays gray: R, G, B equal before normalisation
                        double g = px[48 * 48 + y * 48 + x] * 0.224 + 0.456;
                        assertThat(r * 0.229 + 0.485).isCloseTo(g, within(1e-4));
                    }
                }
            }
            for (int c = 0; c < 2; c++) {
                if (hi[c] > -Double.MAX_VALUE && lo[c + 1] < Double.MAX_VALUE) {
                    assertThat(hi[c]).as("seed " + seed + ": class " + c + " darker than " + (c + 1)).isLessThan(lo[c + 1]);
                }
            }
        }
    }

    @Test
    void sameSeedSameOutputOtherSeedOtherOutput() {
        LabelMap l = labels();
        INDArray img = image(l);
        Augmenter aug = new Augmenter(AugmentConfig.classifier().withSizes(32, 30, 80), InputNormalization.CAFFE_BGR);
        Augmenter.Augmented a = aug.apply(img, List.of(l), new Random(5));
        Augmenter.Augmented b = aug.apply(img, List.of(l), new Random(5));
        Augmenter.Augmented c = aug.apply(img, List.of(l), new Random(6));
        assertThat(b.image().data().asFloat()).containsExactly(a.image().data().asFloat());
        assertThat(b.labels()).isEqualTo(a.labels());
        assertThat(b.transform()).isEqualTo(a.transform());
        assertThat(c.image().data().asFloat()).isNotEqualTo(a.image().data().asFloat());
    }

    @Test
    void noneLeavesTheImageAsItIs() {
        LabelMap l = labels();
        INDArray img = image(l);
        Augmenter.Augmented a = new Augmenter(AugmentConfig.none(), Augmenter.IDENTITY).apply(img, List.of(l),
                new Random(1));
        assertThat(a.image().data().asFloat()).containsExactly(img.data().asFloat());
        assertThat(a.labels().get(0)).isEqualTo(l);
    }

    @Test
    void bicubicMatchesHandComputedPilCoefficients() {
        // 1-D [0, 255] upscaled 2 -> 4 with Keys a = -0.5 on pixel centres (PIL's BICUBIC):
        // x=1: centre 0.75, weights cubic(0.25) = 0.8671875, cubic(0.75) = 0.2265625 -> 255 * 0.2265625 / 1.09375
        float[] out = Resize.bicubic(new float[] {0, 255}, 1, 1, 2, 1, 4);
        assertThat(out[0]).isZero(); // -22.5 clamped
        assertThat(out[1]).isCloseTo(52.821f, within(0.01f));
        assertThat(out[2]).isCloseTo(202.179f, within(0.01f));
        assertThat(out[3]).isEqualTo(255f);
        // shrinking averages (antialiasing): 4 -> 2 of a constant stays constant
        assertThat(Resize.bicubic(new float[] {7, 7, 7, 7}, 1, 1, 4, 1, 2)).containsExactly(7f, 7f);
        assertThat(Resize.nearest(new byte[] {1, 2, 3}, 1, 3, 1, 6)).containsExactly(1, 1, 2, 2, 3, 3);
    }

    @Test
    void hueShiftRotatesColours() {
        float[] px = {255, 0, 0}; // one red pixel, planar
        ColorJitter.shiftHue(px, 1, 1.0 / 3);
        assertThat(px[0]).isCloseTo(0f, within(1e-3f));
        assertThat(px[1]).isCloseTo(255f, within(1e-3f));
        assertThat(px[2]).isCloseTo(0f, within(1e-3f));
        float[] orange = {200, 100, 50};
        ColorJitter.shiftHue(orange, 1, 1.0);
        assertThat(orange).containsExactly(new float[] {200, 100, 50}, within(1e-3f));
    }
}
