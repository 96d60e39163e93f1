package dev.psa.crf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutohedralLatticeTest {
    private static final Parallel ONE = new Parallel(1);

    /** Exact Σ_j exp(−|f_i − f_j|²/2) v_j, then divided by Σ_j exp(...) (normalised filter). */
    private static double[] exactNormalised(float[] f, int n, int d, float[] v) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            double z = 0;
            for (int j = 0; j < n; j++) {
                double e = 0;
                for (int k = 0; k < d; k++) {
                    double t = f[i * d + k] - f[j * d + k];
                    e += t * t;
                }
                double g = Math.exp(-0.5 * e);
                s += g * v[j];
                z += g;
            }
            out[i] = s / z;
        }
        return out;
    }

    private static double[] latticeNormalised(PermutohedralLattice lat, float[] v, Parallel par) {
        int n = lat.points();
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] num = lat.filter(v, 1, par);
        float[] den = lat.filter(ones, 1, par);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = num[i] / den[i];
        }
        return out;
    }

    /** Grid positions divided by sigma; a smooth signal plus a step. */
    private static float[] grid(int h, int w, double sigma) {
        float[] f = new float[h * w * 2];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                f[2 * i] = (float) (x / sigma);
                f[2 * i + 1] = (float) (y / sigma);
            }
        }
        return f;
    }

    @Test
    void spatialFilterMatchesExactGaussian() {
        int h = 30;
        int w = 40;
        int n = h * w;
        float[] f = grid(h, w, 3);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % w) < 20 ? 1f : 0f;
        }
        PermutohedralLattice lat = PermutohedralLattice.build(f, n, 2, ONE);
        double[] exact = exactNormalised(f, n, 2, v);
        double[] approx = latticeNormalised(lat, v, ONE);
        double mean = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.abs(exact[i] - approx[i]);
            mean += e / n;
            max = Math.max(max, e);
        }
        assertThat(mean).isLessThan(0.02);
        assertThat(max).isLessThan(0.1);
        assertThat(lat.size()).isLessThan(n);
    }

    @Test
    void fiveDimensionalFilterMatchesExactGaussian() {
        int n = 600;
        int d = 5;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] f = new float[n * d];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int cluster = i % 3;
            for (int k = 0; k < d; k++) {
                f[i * d + k] = (float) (cluster * 1.5 + rnd.nextGaussian() * 0.8);
            }
            v[i] = (float) (cluster + 0.3 * rnd.nextGaussian());
        }
        PermutohedralLattice lat = PermutohedralLattice.build(f, n, d, ONE);
        double[] exact = exactNormalised(f, n, d, v);
        double[] approx = latticeNormalised(lat, v, ONE);
        double mean = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.abs(exact[i] - approx[i]);
            mean += e / n;
            max = Math.max(max, e);
        }
        // values span about 0..2 here; measured mean error 0.017
        assertThat(mean).isLessThan(0.05);
        assertThat(lat.size()).isLessThanOrEqualTo(n * (d + 1));
    }

    @Test
    void identicalPointsShareOneSimplex() {
        int n = 50;
        int d = 3;
        float[] f = new float[n * d];
        for (int i = 0; i < n; i++) {
            f[i * d] = 0.3f;
            f[i * d + 1] = -1.2f;
            f[i * d + 2] = 2.5f;
        }
        PermutohedralLattice lat = PermutohedralLattice.build(f, n, d, ONE);
        assertThat(lat.size()).isEqualTo(d + 1);
        // barycentric weights: non-negative, summing to 1 per point
        float[] w = lat.weights();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c <= d; c++) {
                assertThat(w[i * (d + 1) + c]).isGreaterThanOrEqualTo(-1e-6f);
                sum += w[i * (d + 1) + c];
            }
            assertThat(sum).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    @Test
    void constantSignalStaysConstantAfterNormalisation() {
        int h = 20;
        int w = 25;
        float[] f = grid(h, w, 2);
        float[] v = new float[h * w];
        java.util.Arrays.fill(v, 0.37f);
        double[] out = latticeNormalised(PermutohedralLattice.build(f, h * w, 2, ONE), v, ONE);
        for (double o : out) {
            assertThat(o).isCloseTo(0.37, org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    @Test
    void sameResultOnAnyNumberOfThreads() {
        // more points than one block, so the chunk tables are merged
        int h = 150;
        int w = 200;
        int n = h * w;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] f = new float[n * 5];
        float[] v = new float[n * 2];
        for (int i = 0; i < n; i++) {
            f[5 * i] = (i % w) / 20f;
            f[5 * i + 1] = (i / w) / 20f;
            for (int k = 2; k < 5; k++) {
                f[5 * i + k] = (float) rnd.nextDouble() * 8;
            }
            v[2 * i] = (float) rnd.nextDouble();
            v[2 * i + 1] = (float) rnd.nextDouble();
        }
        PermutohedralLattice one = PermutohedralLattice.build(f, n, 5, ONE);
        PermutohedralLattice three = PermutohedralLattice.build(f, n, 5, new Parallel(3));
        assertThat(three.size()).isEqualTo(one.size());
        float[] a = one.filter(v, 2, ONE);
        float[] b = three.filter(v, 2, new Parallel(3));
        assertThat(b).containsExactly(a);
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThatThrownBy(() -> PermutohedralLattice.build(new float[10], 3, 3, ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n=3, d=3, 10 floats");
    }
}
