package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.InputNormalization;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;

/**
 * Checks the multi-scale/flip/upsample/normalise pipeline against an independent plain-Java
 * computation, with a hand-made "network" (a fixed function of the pixels and positions).
 */
class MultiScaleCamTest {
    private static final int K1 = 3;
    /** pixel/255, no mean or std: the fake network sees values in [0, 1]. */
    private static final InputNormalization UNIT = new InputNormalization("unit", false, 1 / 255.0,
            new double[] {0, 0, 0}, new double[] {1, 1, 1});

    /**
     * Fake network on plain arrays: class k at stride-8 cell (i, j) = mean of channel k over the
     * cell + (k + 1) · (j + 0.5) / w (a ramp that is not mirror-symmetric, so a missing flip-back
     * shows).
     */
    private static double[][][] fakeNet(double[][][] img) {
        int h = img[0].length;
        int w = img[0][0].length;
        int hs = (h + 7) / 8;
        int ws = (w + 7) / 8;
        double[][][] out = new double[K1][hs][ws];
        for (int k = 0; k < K1; k++) {
            for (int i = 0; i < hs; i++) {
                for (int j = 0; j < ws; j++) {
                    double sum = 0;
                    int n = 0;
                    for (int y = i * 8; y < Math.min(h, i * 8 + 8); y++) {
                        for (int x = j * 8; x < Math.min(w, j * 8 + 8); x++) {
                            sum += img[k][y][x];
                            n++;
                        }
                    }
                    out[k][i][j] = sum / n + (k + 1) * (j + 0.5) / ws;
                }
            }
        }
        return out;
    }

    private static final CamNetwork FAKE = images -> {
        int n = (int) images.size(0);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        INDArray out = Nd4j.zeros(DataType.FLOAT, n, K1, (h + 7) / 8, (w + 7) / 8);
        for (int b = 0; b < n; b++) {
            double[][][] img = new double[3][h][w];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        img[c][y][x] = images.getDouble(b, c, y, x);
                    }
                }
            }
            double[][][] cam = fakeNet(img);
            for (int k = 0; k < K1; k++) {
                for (int i = 0; i < cam[k].length; i++) {
                    for (int j = 0; j < cam[k][i].length; j++) {
                        out.putScalar(new long[] {b, k, i, j}, cam[k][i][j]);
                    }
                }
            }
        }
        return out;
    };

    /** PyTorch align_corners=False bilinear, written out per pixel. */
    private static double[][] bilinear(double[][] src, int outH, int outW) {
        int inH = src.length;
        int inW = src[0].length;
        double[][] out = new double[outH][outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.max(0, (y + 0.5) * inH / outH - 0.5);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, inH - 1);
            double ly = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.max(0, (x + 0.5) * inW / outW - 0.5);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, inW - 1);
                double lx = sx - x0;
                out[y][x] = (1 - ly) * ((1 - lx) * src[y0][x0] + lx * src[y0][x1])
                        + ly * ((1 - lx) * src[y1][x0] + lx * src[y1][x1]);
            }
        }
        return out;
    }

    private static double[][] flip(double[][] a) {
        double[][] out = new double[a.length][a[0].length];
        for (int y = 0; y < a.length; y++) {
            for (int x = 0; x < a[0].length; x++) {
                out[y][x] = a[y][a[0].length - 1 - x];
            }
        }
        return out;
    }

    /** The input of one scale: [3][hs][ws], pixel values 0..255. */
    @FunctionalInterface
    private interface ScaledInput {
        double[][][] at(double scale);
    }

    /** The whole pipeline in plain Java, bilinear resizing. @return [present classes][H][W] */
    private static double[][][] reference(double[][][] rgb, int[] classes, double[] scales, boolean withFlip) {
        int h = rgb[0].length;
        int w = rgb[0][0].length;
        return reference(h, w, s -> {
            double[][][] scaled = new double[3][][];
            for (int c = 0; c < 3; c++) {
                scaled[c] = bilinear(rgb[c], (int) Math.round(h * s), (int) Math.round(w * s));
            }
            return scaled;
        }, classes, scales, withFlip);
    }

    /** The whole pipeline in plain Java on given scaled inputs. @return [present classes][H][W] */
    private static double[][][] reference(int h, int w, ScaledInput input, int[] classes, double[] scales,
            boolean withFlip) {
        double[][][] sum = new double[K1][h][w];
        for (double s : scales) {
            double[][][] scaled = input.at(s);
            for (int c = 0; c < 3; c++) {
                for (double[] row : scaled[c]) {
                    for (int x = 0; x < row.length; x++) {
                        row[x] /= 255.0;
                    }
                }
            }
            for (int pass = 0; pass < (withFlip ? 2 : 1); pass++) {
                double[][][] in = scaled;
                if (pass == 1) {
                    in = new double[3][][];
                    for (int c = 0; c < 3; c++) {
                        in[c] = flip(scaled[c]);
                    }
                }
                double[][][] cam = fakeNet(in);
                for (int k = 0; k < K1; k++) {
                    double[][] up = bilinear(cam[k], h, w);
                    if (pass == 1) {
                        up = flip(up);
                    }
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            sum[k][y][x] += up[y][x];
                        }
                    }
                }
            }
        }
        double[][][] out = new double[classes.length][][];
        for (int i = 0; i < classes.length; i++) {
            double[][] plane = sum[classes[i] - 1];
            double max = 0;
            for (double[] row : plane) {
                for (double v : row) {
                    max = Math.max(max, v);
                }
            }
            out[i] = new double[h][w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[i][y][x] = plane[y][x] / (max + 1e-5);
                }
            }
        }
        return out;
    }

    private static double[][][] randomImage(int h, int w, long seed) {
        Random r = new Random(seed);
        double[][][] img = new double[3][h][w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img[c][y][x] = r.nextInt(256);
                }
            }
        }
        return img;
    }

    private static INDArray toArray(double[][][] img) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 3, img[0].length, img[0][0].length);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < img[0].length; y++) {
                for (int x = 0; x < img[0][0].length; x++) {
                    a.putScalar(new long[] {c, y, x}, img[c][y][x]);
                }
            }
        }
        return a;
    }

    private static void assertMatches(CamSet got, double[][][] expected, double tol) {
        assertThat(got.cams().size(0)).isEqualTo(expected.length);
        for (int k = 0; k < expected.length; k++) {
            for (int y = 0; y < expected[k].length; y++) {
                for (int x = 0; x < expected[k][0].length; x++) {
                    assertThat(got.cams().getDouble(k, y, x)).as("class %d at (%d, %d)", k, y, x)
                            .isCloseTo(expected[k][y][x], within(tol));
                }
            }
        }
    }

    private static CamConfig config(String scales, boolean flip, int batch) {
        return CamConfig.from(ComponentConfig.ofStrings(Map.of("scales", scales, "flip", Boolean.toString(flip),
                "batch-size", Integer.toString(batch))));
    }

    @Test
    void multiScaleFlipMatchesIndependentComputation() {
        double[][][] rgb = randomImage(20, 28, 7);
        int[] classes = {1, 3};
        MultiScaleCam msc = new MultiScaleCam(FAKE, UNIT, CamConfig.defaults(), K1);
        CamSet got = msc.compute("img", toArray(rgb), classes);
        assertThat(got.classIds()).containsExactly(1, 3);
        assertThat(got.cams().shape()).containsExactly(2, 20, 28);
        assertMatches(got, reference(rgb, classes, new double[] {1.0, 0.5, 1.5, 2.0}, true), 1e-4);
        for (int k = 0; k < 2; k++) {
            assertThat(got.cams().slice(k).maxNumber().doubleValue()).isCloseTo(1.0, within(1e-4));
            assertThat(got.cams().slice(k).minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        }
    }

    /** testdata/pil-resize/NAME: uint8 [H, W, 3] → [3][H][W]. */
    private static double[][][] pilFixture(String name) {
        Path dir = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && dir == null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/pil-resize"))) {
                dir = p.resolve("testdata/pil-resize");
            }
        }
        assertThat(dir).as("testdata/pil-resize").isNotNull();
        INDArray a = Npy.read(dir.resolve(name)).castTo(DataType.DOUBLE);
        int h = (int) a.size(0);
        int w = (int) a.size(1);
        double[][][] out = new double[3][h][w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[c][y][x] = a.getDouble(y, x, c);
                }
            }
        }
        return out;
    }

    @Test
    void pilBicubicModeFeedsTheNetworkWhatPillowMakesAtPythonRoundedSizes() {
        // the authors' sizes for 23x37 at 0.5, 1.5, 2: Python's round gives 12x18 and 34x56 (half up: 12x19, 35x56)
        CamConfig pil = CamConfig.from(ComponentConfig.ofStrings(Map.of("resize", "pil-bicubic")));
        assertThat(pil.scaledSize(37, 0.5)).isEqualTo(18);
        assertThat(pil.scaledSize(23, 1.5)).isEqualTo(34);
        assertThat(CamConfig.defaults().scaledSize(37, 0.5)).isEqualTo(19);
        assertThat(CamConfig.defaults().scaledSize(375, 1.5)).isEqualTo(563);
        assertThat(pil.scaledSize(375, 1.5)).isEqualTo(562);

        Map<Double, String> made = Map.of(1.0, "noise_23x37.npy", 0.5, "noise_23x37_to_18x12.npy",
                1.5, "noise_23x37_to_56x34.npy", 2.0, "noise_23x37_to_74x46.npy");
        double[][][] rgb = pilFixture("noise_23x37.npy");
        int[] classes = {2, 3};
        CamSet got = new MultiScaleCam(FAKE, UNIT, pil, K1).compute("noise", toArray(rgb), classes);
        double[][][] expected = reference(23, 37, s -> pilFixture(made.get(s)), classes,
                new double[] {1.0, 0.5, 1.5, 2.0}, true);
        assertMatches(got, expected, 1e-5);
        // and the default mode differs from it (another resize, other sizes)
        CamSet bilinear = new MultiScaleCam(FAKE, UNIT, CamConfig.defaults(), K1).compute("noise", toArray(rgb), classes);
        assertThat(bilinear.cams().sub(got.cams()).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void withoutFlipTheRampStaysAsymmetric() {
        double[][][] rgb = randomImage(16, 24, 3);
        int[] classes = {2};
        MultiScaleCam msc = new MultiScaleCam(FAKE, UNIT, config("1.0,0.5", false, 4), K1);
        CamSet got = msc.compute("a", toArray(rgb), classes);
        double[][][] expected = reference(rgb, classes, new double[] {1.0, 0.5}, false);
        assertMatches(got, expected, 1e-4);
        // the flipped reference differs, so the test would catch a flip where none belongs
        double[][][] flipped = reference(rgb, classes, new double[] {1.0, 0.5}, true);
        assertThat(Math.abs(flipped[0][8][0] - expected[0][8][0])).isGreaterThan(1e-2);
    }

    @Test
    void batchesOfMixedSizesEqualOneByOne() {
        List<MultiScaleCam.Input> inputs = List.of(
                new MultiScaleCam.Input("a", toArray(randomImage(16, 16, 1)), new int[] {1}),
                new MultiScaleCam.Input("b", toArray(randomImage(24, 16, 2)), new int[] {2, 3}),
                new MultiScaleCam.Input("c", toArray(randomImage(16, 16, 3)), new int[] {1, 2, 3}),
                new MultiScaleCam.Input("d", toArray(randomImage(16, 16, 4)), new int[] {}));
        MultiScaleCam batched = new MultiScaleCam(FAKE, UNIT, config("1.0,0.5", true, 2), K1);
        MultiScaleCam single = new MultiScaleCam(FAKE, UNIT, config("1.0,0.5", true, 1), K1);
        List<CamSet> all = batched.computeAll(inputs);
        assertThat(all).extracting(CamSet::id).containsExactly("a", "b", "c", "d");
        for (int i = 0; i < inputs.size(); i++) {
            MultiScaleCam.Input in = inputs.get(i);
            CamSet one = single.compute(in.id(), in.image(), in.classes());
            assertThat(all.get(i).classIds()).containsExactly(in.classes());
            assertThat(all.get(i).cams().equalsWithEps(one.cams(), 1e-5)).as(in.id()).isTrue();
        }
        assertThat(all.get(3).cams().shape()).containsExactly(0, 16, 16);
    }

    @Test
    void constantNetworkGivesOneEverywhereForPresentClasses() {
        CamNetwork constant = images -> Nd4j.ones(DataType.FLOAT, images.size(0), K1,
                (images.size(2) + 7) / 8, (images.size(3) + 7) / 8).muli(2);
        MultiScaleCam msc = new MultiScaleCam(constant, UNIT, CamConfig.defaults(), K1);
        CamSet got = msc.compute("c", Nd4j.zeros(DataType.FLOAT, 3, 12, 9), new int[] {2});
        // 8 passes of 2 = 16, divided by 16 + 1e-5
        assertThat(got.cams().minNumber().doubleValue()).isCloseTo(16 / (16 + 1e-5), within(1e-6));
        assertThat(got.cams().maxNumber().doubleValue()).isCloseTo(16 / (16 + 1e-5), within(1e-6));
    }

    @Test
    void badNetworkOutputAndBadClassIdsAreReported() {
        CamNetwork wrong = images -> Nd4j.zeros(DataType.FLOAT, images.size(0), 5, 2, 2);
        MultiScaleCam msc = new MultiScaleCam(wrong, UNIT, CamConfig.defaults(), K1);
        INDArray img = Nd4j.zeros(DataType.FLOAT, 3, 16, 16);
        assertThatThrownBy(() -> msc.compute("x", img, new int[] {1}))
                .isInstanceOf(PsaException.class).hasMessageContaining("[2, 5, 2, 2]");
        assertThatThrownBy(() -> new MultiScaleCam(FAKE, UNIT, CamConfig.defaults(), K1).compute("x", img,
                new int[] {4})).isInstanceOf(PsaException.class).hasMessageContaining("class id 4");
    }
}
