package dev.psa.crf;

/**
 * Exact mean field for the dense CRF, written independently of the lattice code as the test
 * reference: the Gaussian kernels are evaluated for every pair of pixels (O(N²)), in double
 * precision, the pixel itself included (as the lattice filter includes it), with the symmetric
 * normalisation {@code D^(−1/2) K D^(−1/2)}, D = K·1, and Potts weights:
 * {@code Q ← softmax(−U + Σ_m w_m D_m^(−1/2) K_m D_m^(−1/2) Q)}.
 */
final class BruteForceMeanField {
    private BruteForceMeanField() {
    }

    /**
     * @param rgb   [3·H·W] channel-major RGB
     * @param unary [L·H·W] channel-major energies
     * @return Q [L·H·W] channel-major
     */
    static double[] infer(float[] rgb, int h, int w, float[] unary, int labels, CrfConfig c) {
        int n = h * w;
        double[][] kg = c.gaussianCompat() > 0 ? kernel(rgb, h, w, c.gaussianSxy(), Double.POSITIVE_INFINITY) : null;
        double[][] kb = c.bilateralCompat() > 0 ? kernel(rgb, h, w, c.bilateralSxy(), c.bilateralSrgb()) : null;
        double[] q = new double[labels * n];
        for (int i = 0; i < n; i++) {
            double[] t = new double[labels];
            for (int l = 0; l < labels; l++) {
                t[l] = -unary[l * n + i];
            }
            softmax(t, q, i, n);
        }
        for (int it = 0; it < c.iterations(); it++) {
            double[] next = new double[labels * n];
            for (int i = 0; i < n; i++) {
                double[] t = new double[labels];
                for (int l = 0; l < labels; l++) {
                    t[l] = -unary[l * n + i];
                    if (kg != null) {
                        t[l] += c.gaussianCompat() * message(kg, q, i, l, n);
                    }
                    if (kb != null) {
                        t[l] += c.bilateralCompat() * message(kb, q, i, l, n);
                    }
                }
                softmax(t, next, i, n);
            }
            q = next;
        }
        return q;
    }

    /** Normalised kernel rows: K_ij / sqrt(D_i D_j). */
    private static double[][] kernel(float[] rgb, int h, int w, double sxy, double srgb) {
        int n = h * w;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dx = (i % w - j % w) / sxy;
                double dy = (i / w - j / w) / sxy;
                double e = dx * dx + dy * dy;
                if (Double.isFinite(srgb)) {
                    for (int ch = 0; ch < 3; ch++) {
                        double dc = (rgb[ch * n + i] - rgb[ch * n + j]) / srgb;
                        e += dc * dc;
                    }
                }
                k[i][j] = Math.exp(-0.5 * e);
            }
        }
        double[] deg = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                deg[i] += k[i][j];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i][j] /= Math.sqrt(deg[i] * deg[j]);
            }
        }
        return k;
    }

    private static double message(double[][] k, double[] q, int i, int l, int n) {
        double s = 0;
        double[] row = k[i];
        for (int j = 0; j < n; j++) {
            s += row[j] * q[l * n + j];
        }
        return s;
    }

    private static void softmax(double[] t, double[] out, int i, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : t) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : t) {
            sum += Math.exp(v - max);
        }
        for (int l = 0; l < t.length; l++) {
            out[l * n + i] = Math.exp(t[l] - max) / sum;
        }
    }
}
