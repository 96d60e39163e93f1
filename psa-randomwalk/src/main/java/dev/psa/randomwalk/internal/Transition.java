package dev.psa.randomwalk.internal;

import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;

/**
 * The transition matrix T = D⁻¹A of REFERENCE.md §Stage 4 in stencil form: for every offset in
 * use (self, each stencil offset and its mirror), a plane of coefficients over the h×w cells,
 * {@code plane[k][i] = T[i, i + dy·w + dx]}. A is the symmetric affinity of the graph (both
 * directions of each stored pair) plus self-affinity 1; D its row sums. Pairs whose partner lies
 * outside the grid are dropped whatever the graph stores there, so a coefficient is never applied
 * across a row end; planes that are zero everywhere (offsets longer than the grid) are left out.
 */
public final class Transition {
    private final int height;
    private final int width;
    private final int[] dy;
    private final int[] dx;
    private final float[][] planes;

    private Transition(int height, int width, int[] dy, int[] dx, float[][] planes) {
        this.height = height;
        this.width = width;
        this.dy = dy;
        this.dx = dx;
        this.planes = planes;
    }

    /**
     * @param affinity A's off-diagonal entries (W^β), weights finite and ≥ 0
     * @throws IllegalArgumentException naming the first weight that is negative or not finite
     */
    public static Transition of(AffinityGraph affinity) {
        AffinityStencil stencil = affinity.stencil();
        int h = affinity.height();
        int w = affinity.width();
        int n = h * w;
        int offsets = stencil.size();
        float[] weights = FloatArrays.of(affinity.weights());
        float[][] forward = new float[offsets][];
        float[][] backward = new float[offsets][];
        double[] degree = new double[n];
        Arrays.fill(degree, 1.0);
        for (int o = 0; o < offsets; o++) {
            int oy = stencil.dy(o);
            int ox = stencil.dx(o);
            float[] f = new float[n];
            float[] b = new float[n];
            boolean any = false;
            for (int y = Math.max(0, -oy); y < Math.min(h, h - oy); y++) {
                for (int x = Math.max(0, -ox); x < Math.min(w, w - ox); x++) {
                    int i = y * w + x;
                    float a = weights[o * n + i];
                    if (!(a >= 0) || Float.isInfinite(a)) {
                        throw new IllegalArgumentException("affinity weights: entry [o=" + o + ", y=" + y + ", x=" + x
                                + "] (offset dy=" + oy + ", dx=" + ox + ") is " + a
                                + "; affinities must be finite and >= 0");
                    }
                    int j = i + oy * w + ox;
                    f[i] = a;
                    b[j] = a;
                    degree[i] += a;
                    degree[j] += a;
                    any |= a != 0;
                }
            }
            if (any) {
                forward[o] = f;
                backward[o] = b;
            }
        }
        List<float[]> planes = new ArrayList<>();
        List<int[]> shifts = new ArrayList<>();
        float[] self = new float[n];
        for (int i = 0; i < n; i++) {
            self[i] = (float) (1.0 / degree[i]);
        }
        planes.add(self);
        shifts.add(new int[] {0, 0});
        for (int o = 0; o < offsets; o++) {
            if (forward[o] == null) {
                continue;
            }
            planes.add(normalise(forward[o], degree));
            shifts.add(new int[] {stencil.dy(o), stencil.dx(o)});
            planes.add(normalise(backward[o], degree));
            shifts.add(new int[] {-stencil.dy(o), -stencil.dx(o)});
        }
        int[] dys = shifts.stream().mapToInt(s -> s[0]).toArray();
        int[] dxs = shifts.stream().mapToInt(s -> s[1]).toArray();
        return new Transition(h, w, dys, dxs, planes.toArray(new float[0][]));
    }

    private static float[] normalise(float[] a, double[] degree) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (a[i] / degree[i]);
        }
        return a;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** N = h·w. */
    public int cells() {
        return height * width;
    }

    /** Number of planes in use; plane 0 is the self term. */
    public int planes() {
        return planes.length;
    }

    public int dy(int k) {
        return dy[k];
    }

    public int dx(int k) {
        return dx[k];
    }

    /** Flat shift of plane k: {@code dy·w + dx}. */
    public int shift(int k) {
        return dy[k] * width + dx[k];
    }

    /** The largest |flat shift| of any plane, the zero border a padded buffer needs. */
    public int maxShift() {
        int m = 0;
        for (int k = 0; k < planes.length; k++) {
            m = Math.max(m, Math.abs(shift(k)));
        }
        return m;
    }

    /** The largest |dy| or |dx| of any plane. */
    public int reach() {
        int m = 0;
        for (int k = 0; k < planes.length; k++) {
            m = Math.max(m, Math.max(Math.abs(dy[k]), Math.abs(dx[k])));
        }
        return m;
    }

    /** Plane k, {@code T[i, i + shift(k)]} for cells i (shared, do not modify). */
    public float[] plane(int k) {
        return planes[k];
    }

    /** Σ_j T[i, j] per cell, accumulated in double (1 up to float rounding). */
    public double[] rowSums() {
        double[] s = new double[cells()];
        for (float[] p : planes) {
            for (int i = 0; i < s.length; i++) {
                s[i] += p[i];
            }
        }
        return s;
    }
}
