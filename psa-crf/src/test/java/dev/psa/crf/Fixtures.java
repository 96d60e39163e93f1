package dev.psa.crf;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small deterministic images and scores for the CRF tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** An image and the region each pixel belongs to. */
    record Scene(int height, int width, float[] rgb, int[] truth) {
        INDArray image() {
            return Nd4j.create(rgb.clone(), new long[] {3, height, width}, DataType.FLOAT);
        }
    }

    /**
     * Three regions with wavy borders (left, a disc, the rest) in distinct colours plus Gaussian
     * pixel noise of std {@code noise}.
     */
    static Scene threeRegions(int h, int w, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] colours = {{70, 120, 200}, {200, 60, 50}, {90, 170, 80}};
        int n = h * w;
        float[] rgb = new float[3 * n];
        int[] truth = new int[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double border = w * 0.3 + 2 * Math.sin(y * 0.5);
                double dx = x - w * 0.68;
                double dy = y - h * 0.5;
                int t = x < border ? 0 : (dx * dx + dy * dy < (h * 0.3) * (h * 0.3) ? 1 : 2);
                truth[i] = t;
                for (int c = 0; c < 3; c++) {
                    rgb[c * n + i] = (float) Math.max(0, Math.min(255, colours[t][c] + noise * rnd.nextGaussian()));
                }
            }
        }
        return new Scene(h, w, rgb, truth);
    }

    /**
     * Noisy per-pixel probabilities that favour the true region: {@code p ∝ hit·onehot + u} with
     * uniform noise u in [0, 1); pixels in {@code flipFraction} get a random wrong favourite.
     *
     * @return [L·H·W] channel-major, summing to 1 per pixel
     */
    static float[] noisyScores(int[] truth, int labels, double hit, double flipFraction, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = truth.length;
        float[] s = new float[labels * n];
        for (int i = 0; i < n; i++) {
            int fav = truth[i];
            if (rnd.nextDouble() < flipFraction) {
                fav = (fav + 1 + rnd.nextInt(labels - 1)) % labels;
            }
            double sum = 0;
            double[] p = new double[labels];
            for (int l = 0; l < labels; l++) {
                p[l] = (l == fav ? hit : 0) + rnd.nextDouble();
                sum += p[l];
            }
            for (int l = 0; l < labels; l++) {
                s[l * n + i] = (float) (p[l] / sum);
            }
        }
        return s;
    }

    static INDArray array(float[] data, int labels, int h, int w) {
        return Nd4j.create(data.clone(), new long[] {labels, h, w}, DataType.FLOAT);
    }

    /** −log(clip(p, 1e-5, 1)), channel-major. */
    static float[] unaryFromScores(float[] scores) {
        float[] u = new float[scores.length];
        for (int k = 0; k < u.length; k++) {
            u[k] = (float) -Math.log(Math.min(1, Math.max(1e-5, scores[k])));
        }
        return u;
    }
}
