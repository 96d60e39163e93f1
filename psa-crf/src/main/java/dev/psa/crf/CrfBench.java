package dev.psa.crf;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The logic of {@code psa bench crf [--size WxH] [--labels L]}: times {@link DenseCrf#inferScores}
 * (lattice construction included, as a caller pays it per image) on a deterministic synthetic
 * image and score maps with PSA's settings, and prints exactly {@code crf ms=<median>}.
 */
public final class CrfBench {
    /** Default {@code --size}: a typical PASCAL VOC image. */
    public static final int DEFAULT_WIDTH = 500;
    public static final int DEFAULT_HEIGHT = 375;
    /** Default {@code --labels}: background + two classes. */
    public static final int DEFAULT_LABELS = 3;

    private static final long SEED = 20180618L;

    private CrfBench() {
    }

    /**
     * Runs the benchmark (warm-up, then at least 5 timed runs) and returns the line the command
     * prints, {@code crf ms=<median>} (milliseconds, one decimal, '.' as separator).
     *
     * @param width  W ≥ 1
     * @param height H ≥ 1
     * @param labels L ≥ 1
     */
    public static String run(int width, int height, int labels) {
        double ms = medianMillis(width, height, labels, CrfConfig.psa(), Runtime.getRuntime().availableProcessors());
        return format(ms);
    }

    /** @return the line the command prints, {@code crf ms=<median>} */
    public static String format(double medianMillis) {
        return String.format(Locale.ROOT, "crf ms=%.1f", medianMillis);
    }

    /**
     * Median wall time of one {@link DenseCrf#inferScores} call. Warms up for at least 3 runs or
     * 3 s, then times at least 5 runs (up to 9 while under 10 s in total).
     */
    public static double medianMillis(int width, int height, int labels, CrfConfig config, int threads) {
        checkArgs(width, height, labels);
        INDArray image = syntheticImage(width, height);
        INDArray scores = syntheticScores(width, height, labels);
        DenseCrf crf = new DenseCrf(config, threads);
        long warmStart = System.nanoTime();
        for (int i = 0; i < 3 || (System.nanoTime() - warmStart < 3e9 && i < 20); i++) {
            crf.inferScores(image, scores);
        }
        double[] times = new double[9];
        int runs = 0;
        long start = System.nanoTime();
        while (runs < 5 || (runs < times.length && System.nanoTime() - start < 10e9)) {
            long t0 = System.nanoTime();
            crf.inferScores(image, scores);
            times[runs++] = (System.nanoTime() - t0) / 1e6;
        }
        double[] t = Arrays.copyOf(times, runs);
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }

    /**
     * Parses {@code --size}.
     *
     * @param wxh e.g. {@code "500x375"}
     * @return {width, height}
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static int[] parseSize(String wxh) {
        requireNonNull(wxh, "size is null");
        String[] parts = wxh.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].trim());
                int h = Integer.parseInt(parts[1].trim());
                if (w >= 1 && h >= 1) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--size: expected WxH with positive integers, e.g. 500x375, got '" + wxh
                + "'");
    }

    /**
     * A deterministic test picture: sky gradient over ground, one ellipse or box per foreground
     * label in its own colour, mild pixel noise.
     *
     * @return [3, H, W] float32 RGB 0..255
     */
    public static INDArray syntheticImage(int width, int height) {
        checkArgs(width, height, 1);
        int n = width * height;
        float[] rgb = new float[3 * n];
        int[] truth = truth(width, height, 3);
        SplittableRandom rnd = new SplittableRandom(SEED);
        float[][] colours = {{0, 0, 0}, {200, 40, 40}, {230, 200, 60}, {60, 160, 70}, {150, 60, 170}};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                float fy = (float) y / height;
                float r;
                float g;
                float b;
                int t = truth[i];
                if (t > 0) {
                    float[] c = colours[1 + (t - 1) % (colours.length - 1)];
                    r = c[0];
                    g = c[1];
                    b = c[2];
                } else if (fy < 0.6f) {
                    r = 110 + 60 * fy;
                    g = 150 + 40 * fy;
                    b = 220 - 50 * fy;
                } else {
                    r = 120 - 40 * fy;
                    g = 100 - 20 * fy;
                    b = 60;
                }
                rgb[i] = clamp(r + (float) rnd.nextGaussian() * 8);
                rgb[n + i] = clamp(g + (float) rnd.nextGaussian() * 8);
                rgb[2 * n + i] = clamp(b + (float) rnd.nextGaussian() * 8);
            }
        }
        return Nd4j.create(rgb, new long[] {3, height, width}, DataType.FLOAT);
    }

    /**
     * Deterministic coarse, noisy score maps that roughly follow {@link #syntheticImage}'s objects
     * (blurred and shifted, like upsampled CAMs), each pixel's scores summing to 1.
     *
     * @return [L, H, W] float32 in (0, 1)
     */
    public static INDArray syntheticScores(int width, int height, int labels) {
        checkArgs(width, height, labels);
        int n = width * height;
        int[] truth = truth(width, height, labels);
        int shiftX = Math.max(1, width / 40);
        int shiftY = Math.max(1, height / 40);
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        float[] s = new float[labels * n];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int sx = Math.min(width - 1, x + shiftX);
                int sy = Math.min(height - 1, y + shiftY);
                int t = truth[sy * width + sx];
                float sum = 0;
                for (int l = 0; l < labels; l++) {
                    float v = (l == t ? 0.6f : 0.4f / Math.max(1, labels - 1)) + 0.25f * (float) rnd.nextDouble();
                    s[l * n + i] = v;
                    sum += v;
                }
                for (int l = 0; l < labels; l++) {
                    s[l * n + i] /= sum;
                }
            }
        }
        return Nd4j.create(s, new long[] {labels, height, width}, DataType.FLOAT);
    }

    /** Object masks: label l ≥ 1 is an ellipse (odd l) or a box (even l) in its own place. */
    private static int[] truth(int width, int height, int labels) {
        int[] t = new int[width * height];
        for (int l = 1; l < labels; l++) {
            double cx = width * (0.25 + 0.5 * ((l * 0.618034) % 1.0));
            double cy = height * (0.35 + 0.4 * ((l * 0.381966) % 1.0));
            double rx = width * 0.18;
            double ry = height * 0.22;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double dx = (x - cx) / rx;
                    double dy = (y - cy) / ry;
                    boolean in = l % 2 == 1 ? dx * dx + dy * dy <= 1 : Math.abs(dx) <= 0.8 && Math.abs(dy) <= 0.8;
                    if (in) {
                        t[y * width + x] = l;
                    }
                }
            }
        }
        return t;
    }

    private static float clamp(float v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void checkArgs(int width, int height, int labels) {
        if (width < 1 || height < 1 || labels < 1 || (long) width * height > 50_000_000L) {
            throw new IllegalArgumentException("bench crf: need --size WxH with W, H >= 1 (at most 50 Mpixel) and"
                    + " --labels >= 1, got " + width + "x" + height + ", labels " + labels);
        }
    }
}
