package dev.psa.crf.internal;

import java.util.Arrays;

/**
 * The permutohedral lattice of Adams, Baek and Davis (2010), "Fast High-Dimensional Filtering
 * Using the Permutohedral Lattice": Gaussian filtering of values attached to {@code n} points
 * with {@code d}-dimensional positions in time linear in {@code n}. Each point is embedded in the
 * hyperplane {@code x·1 = 0} of {@code R^(d+1)} (the "elevation", scaled so that the lattice blur
 * approximates a Gaussian of standard deviation 1 in feature units, paper §3–4), found in its
 * enclosing simplex of the lattice A*_d, and its value is
 * <ol>
 *   <li><b>splatted</b> onto the simplex's {@code d+1} vertices with barycentric weights,</li>
 *   <li><b>blurred</b> along each of the {@code d+1} lattice directions with the kernel
 *       [1/2, 1, 1/2] (absent neighbours count as 0), and</li>
 *   <li><b>sliced</b> back by the same barycentric interpolation.</li>
 * </ol>
 * Only vertices that some point touches are stored ({@link LatticeHashTable}), at most
 * {@code n·(d+1)}. The result is proportional to the Gaussian-weighted sum
 * {@code Σ_j exp(−|f_i − f_j|²/2) v_j} (the point itself included) up to one global constant,
 * which the symmetric normalisation of the dense CRF cancels.
 *
 * <p>Everything is plain arrays, built once per image: per point and vertex its vertex index and
 * weight ({@code n·(d+1)} each); the transposed (vertex → points) lists so splatting is a gather
 * that threads can split by vertex without races; per vertex and direction its two neighbours.
 * The filtering methods take caller-owned buffers of {@code (size()+1)·vd} floats whose last
 * {@code vd} entries are a zero slot standing for absent neighbours; they must stay zero.
 */
public final class PermutohedralLattice {
    private static final int BLOCK_POINTS = 8192;
    private static final int BLOCK_VERTICES = 1024;

    private final int n;
    private final int d;
    private final int size;
    /** [n·(d+1)]: vertex index of each (point, simplex corner) */
    private final int[] vertex;
    /** [n·(d+1)]: barycentric weight of each (point, simplex corner) */
    private final float[] weight;
    /** [size+1]: entries of vertex v are {@code gatherStart[v] .. gatherStart[v+1]-1} */
    private final int[] gatherStart;
    /** [n·(d+1)]: the point of each entry, entries grouped by vertex */
    private final int[] gatherPoint;
    /** [n·(d+1)]: the barycentric weight of each entry, in gather order */
    private final float[] gatherWeight;
    /** [(d+1)·size·2]: for direction j and vertex v, the neighbours at −1 and +1 step (size = absent) */
    private final int[] neighbours;

    private PermutohedralLattice(int n, int d, int size, int[] vertex, float[] weight, int[] gatherStart,
                                 int[] gatherPoint, float[] gatherWeight, int[] neighbours) {
        this.n = n;
        this.d = d;
        this.size = size;
        this.vertex = vertex;
        this.weight = weight;
        this.gatherStart = gatherStart;
        this.gatherPoint = gatherPoint;
        this.gatherWeight = gatherWeight;
        this.neighbours = neighbours;
    }

    /**
     * Builds the lattice for {@code n} points.
     *
     * @param features {@code n·d} floats, point-major: point i's position is
     *                 {@code features[i·d .. i·d+d)}, already divided by the kernel's standard deviations
     * @param n        number of points (≥ 1)
     * @param d        feature dimension (≥ 1)
     * @param par      threads for the parts that parallelise
     */
    public static PermutohedralLattice build(float[] features, int n, int d, Parallel par) {
        if (n < 1 || d < 1 || features.length != (long) n * d) {
            throw new IllegalArgumentException("lattice: need n >= 1 points of d >= 1 features (n*d floats), got n="
                    + n + ", d=" + d + ", " + features.length + " floats");
        }
        int d1 = d + 1;
        if ((long) n * d1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("lattice: too many points for one lattice: " + n + " with d=" + d);
        }
        double[] scale = new double[d];
        double invStd = Math.sqrt(2.0 / 3.0) * d1; // Adams et al. 2010, §4 (expected std of the blur)
        for (int i = 0; i < d; i++) {
            scale[i] = invStd / Math.sqrt((i + 1.0) * (i + 2.0));
        }
        // Each chunk of points locates its points and numbers the vertices they touch in a hash table
        // of its own; the chunk tables are then merged in chunk order into one table and the vertex
        // indices remapped. (The numbering does not affect any result: splat, blur and slice visit
        // each vertex's points in point order whatever the numbering.)
        int[] vertex = new int[n * d1];
        float[] weight = new float[n * d1];
        int chunk = Math.max(BLOCK_POINTS, (n + par.threads() - 1) / par.threads());
        int chunks = (n + chunk - 1) / chunk;
        LatticeHashTable[] local = new LatticeHashTable[chunks];
        par.forRange(n, chunk, (from, to) -> {
            LatticeHashTable table = new LatticeHashTable(d, Math.min((to - from) * d1, 1 << 18) / 4);
            double[] elevated = new double[d1];
            double[] bary = new double[d1 + 1];
            int[] rem0 = new int[d1];
            int[] rank = new int[d1];
            int[] prevRem0 = new int[d1];
            int[] prevRank = new int[d1];
            int[] key = new int[d];
            boolean havePrev = false;
            for (int p = from; p < to; p++) {
                locate(features, p * d, d, scale, elevated, bary, rem0, rank);
                int base = p * d1;
                // neighbouring pixels often lie in the same simplex: then reuse its vertices
                boolean same = havePrev && Arrays.equals(rem0, prevRem0) && Arrays.equals(rank,
                        prevRank);
                for (int corner = 0; corner <= d; corner++) {
                    if (same) {
                        vertex[base + corner] = vertex[base - d1 + corner];
                    } else {
                        // vertex `corner` of the simplex: rem0 + the corner-th canonical vertex permuted by rank
                        for (int i = 0; i < d; i++) {
                            key[i] = rem0[i] + (rank[i] <= d - corner ? corner : corner - d1);
                        }
                        vertex[base + corner] = table.findOrInsert(key, 0);
                    }
                    weight[base + corner] = (float) bary[corner];
                }
                System.arraycopy(rem0, 0, prevRem0, 0, d1);
                System.arraycopy(rank, 0, prevRank, 0, d1);
                havePrev = true;
            }
            local[from / chunk] = table;
        });
        LatticeHashTable table = chunks == 1 ? local[0] : merge(local, vertex, n, d1, chunk, par);
        int size = table.size();

        int[] gatherStart = new int[size + 1];
        for (int v : vertex) {
            gatherStart[v + 1]++;
        }
        for (int v = 0; v < size; v++) {
            gatherStart[v + 1] += gatherStart[v];
        }
        int[] fill = new int[size];
        int[] gatherPoint = new int[n * d1];
        float[] gatherWeight = new float[n * d1];
        for (int p = 0, e = 0; p < n; p++) {
            for (int corner = 0; corner < d1; corner++, e++) {
                int v = vertex[e];
                int k = gatherStart[v] + fill[v]++;
                gatherPoint[k] = p;
                gatherWeight[k] = weight[e];
            }
        }

        int[] neighbours = new int[d1 * size * 2];
        int[] keys = table.keys();
        par.forRange(size, BLOCK_VERTICES, (from, to) -> {
            int[] nb = new int[d];
            for (int v = from; v < to; v++) {
                int kb = v * d;
                for (int j = 0; j <= d; j++) {
                    // the neighbour one step along direction j: key + (d+1)·e_j − 1 (e_d is implicit)
                    for (int k = 0; k < d; k++) {
                        nb[k] = keys[kb + k] - 1;
                    }
                    if (j < d) {
                        nb[j] += d1;
                    }
                    int lo = table.find(nb, 0);
                    for (int k = 0; k < d; k++) {
                        nb[k] = keys[kb + k] + 1;
                    }
                    if (j < d) {
                        nb[j] -= d1;
                    }
                    int hi = table.find(nb, 0);
                    int at = 2 * (j * size + v);
                    neighbours[at] = lo < 0 ? size : lo;
                    neighbours[at + 1] = hi < 0 ? size : hi;
                }
            }
        });
        return new PermutohedralLattice(n, d, size, vertex, weight, gatherStart, gatherPoint, gatherWeight,
                neighbours);
    }

    /** Merges the chunk tables in chunk order and renumbers {@code vertex} to the merged indices. */
    private static LatticeHashTable merge(LatticeHashTable[] local, int[] vertex, int n, int d1, int chunk,
                                          Parallel par) {
        int d = d1 - 1;
        LatticeHashTable table = new LatticeHashTable(d, local[0].size() * 2);
        int[][] toGlobal = new int[local.length][];
        for (int c = 0; c < local.length; c++) {
            int[] keys = local[c].keys();
            int[] map = new int[local[c].size()];
            for (int u = 0; u < map.length; u++) {
                map[u] = table.findOrInsert(keys, u * d);
            }
            toGlobal[c] = map;
        }
        par.forRange(n, chunk, (from, to) -> {
            int[] map = toGlobal[from / chunk];
            for (int e = from * d1; e < to * d1; e++) {
                vertex[e] = map[vertex[e]];
            }
        });
        return table;
    }

    /**
     * Elevates point {@code f[at .. at+d)} onto the hyperplane, finds its enclosing simplex
     * ({@code rem0}, {@code rank}) and its barycentric coordinates ({@code bary[0..d]}).
     * Adams et al. 2010, §3.1 ("splatting") and their Algorithm 1.
     */
    private static void locate(float[] f, int at, int d, double[] scale, double[] elevated, double[] bary,
                               int[] rem0, int[] rank) {
        int d1 = d + 1;
        // elevation by E = [scaled basis of the hyperplane], written as a running sum
        double sum = 0;
        for (int j = d; j > 0; j--) {
            double cf = f[at + j - 1] * scale[j - 1];
            elevated[j] = sum - j * cf;
            sum += cf;
        }
        elevated[0] = sum;
        // nearest point whose coordinates are all multiples of d+1
        int coordSum = 0;
        double invD1 = 1.0 / d1;
        for (int i = 0; i <= d; i++) {
            int m = (int) Math.floor(elevated[i] * invD1 + 0.5);
            rem0[i] = m * d1;
            coordSum += m;
        }
        // rank of each coordinate's offset from rem0: how many offsets are larger (ties: lower index first)
        for (int i = 0; i <= d; i++) {
            bary[i] = elevated[i] - rem0[i];
        }
        for (int i = 0; i <= d; i++) {
            double di = bary[i];
            int r = 0;
            for (int j = 0; j < i; j++) {
                r += bary[j] >= di ? 1 : 0;
            }
            for (int j = i + 1; j <= d; j++) {
                r += bary[j] > di ? 1 : 0;
            }
            rank[i] = r;
        }
        // if the rounded point is off the hyperplane, move it back and fix the ranks
        if (coordSum != 0) {
            for (int i = 0; i <= d; i++) {
                rank[i] += coordSum;
                if (rank[i] < 0) {
                    rank[i] += d1;
                    rem0[i] += d1;
                } else if (rank[i] > d) {
                    rank[i] -= d1;
                    rem0[i] -= d1;
                }
            }
        }
        // barycentric coordinates (Adams et al. 2010, §3.1)
        for (int i = 0; i <= d1; i++) {
            bary[i] = 0;
        }
        for (int i = 0; i <= d; i++) {
            double v = (elevated[i] - rem0[i]) / d1;
            bary[d - rank[i]] += v;
            bary[d - rank[i] + 1] -= v;
        }
        bary[0] += 1.0 + bary[d1];
    }

    /** @return number of points */
    public int points() {
        return n;
    }

    /** @return feature dimension d */
    public int dims() {
        return d;
    }

    /** @return number of lattice vertices (value buffers need {@code (size()+1)·vd} floats) */
    public int size() {
        return size;
    }

    /** @return [n·(d+1)] vertex index of each (point, corner); do not modify */
    public int[] vertices() {
        return vertex;
    }

    /** @return [n·(d+1)] barycentric weight of each (point, corner); do not modify */
    public float[] weights() {
        return weight;
    }

    /**
     * Per-entry splat weights {@code weight[e] · pointScale[point(e)]} laid out in gather order,
     * for {@link #splat}. Folding a per-point factor (the CRF's normalisation) into the weights
     * saves a pass over the values.
     *
     * @param pointScale [n] factors, or null for 1
     */
    public float[] gatherWeights(float[] pointScale) {
        float[] out = gatherWeight.clone();
        if (pointScale != null) {
            for (int k = 0; k < out.length; k++) {
                out[k] *= pointScale[gatherPoint[k]];
            }
        }
        return out;
    }

    /**
     * Per-entry slice weights {@code factor · weight[e] · pointScale[point(e)]} in entry order.
     *
     * @param pointScale [n] factors, or null for 1
     */
    public float[] sliceWeights(float[] pointScale, float factor) {
        int d1 = d + 1;
        float[] out = new float[weight.length];
        for (int i = 0; i < n; i++) {
            float f = pointScale == null ? factor : factor * pointScale[i];
            for (int e = i * d1; e < i * d1 + d1; e++) {
                out[e] = f * weight[e];
            }
        }
        return out;
    }

    /**
     * Splats point values onto the vertices: {@code values[v] = Σ gw · in[point]} over the entries
     * of v.
     *
     * @param in            [n·vd] point-major values
     * @param vd            values per point
     * @param gatherWeights from {@link #gatherWeights}
     * @param values        [(size+1)·vd] output; entries {@code 0 .. size·vd} are overwritten
     */
    public void splat(float[] in, int vd, float[] gatherWeights, float[] values, Parallel par) {
        par.forRange(size, BLOCK_VERTICES, (from, to) -> {
            for (int v = from; v < to; v++) {
                WeightedGather.gather(in, vd, gatherPoint, gatherWeights, gatherStart[v], gatherStart[v + 1], values,
                        v * vd, false);
            }
        });
    }

    /**
     * Blurs vertex values along the d+1 lattice directions in turn, ping-ponging between the two
     * buffers.
     *
     * @param a  [(size+1)·vd] the splatted values (overwritten)
     * @param b  [(size+1)·vd] scratch, zero slot zero
     * @return whichever of {@code a}, {@code b} holds the result
     */
    public float[] blur(float[] a, float[] b, int vd, Parallel par) {
        float[] src = a;
        float[] dst = b;
        for (int j = 0; j <= d; j++) {
            float[] s = src;
            float[] t = dst;
            int nb = 2 * j * size;
            par.forRange(size, BLOCK_VERTICES, (from, to) -> {
                for (int v = from; v < to; v++) {
                    int ob = v * vd;
                    int lo = neighbours[nb + 2 * v] * vd;
                    int hi = neighbours[nb + 2 * v + 1] * vd;
                    for (int c = 0; c < vd; c++) {
                        t[ob + c] = s[ob + c] + 0.5f * (s[lo + c] + s[hi + c]);
                    }
                }
            });
            src = t;
            dst = s;
        }
        return src;
    }

    /**
     * Slices vertex values back to the points: {@code out[i] = Σ_corner sw · values[vertex]}.
     *
     * @param values      [(size+1)·vd] blurred values
     * @param sliceWeights from {@link #sliceWeights}
     * @param out         [n·vd] point-major output (overwritten)
     */
    public void slice(float[] values, int vd, float[] sliceWeights, float[] out, Parallel par) {
        int d1 = d + 1;
        par.forRange(n, BLOCK_POINTS, (from, to) -> {
            for (int i = from; i < to; i++) {
                WeightedGather.gather(values, vd, vertex, sliceWeights, i * d1, i * d1 + d1, out, i * vd, false);
            }
        });
    }

    /** @return a zeroed value buffer for {@code vd} values per vertex, zero slot included */
    public float[] newBuffer(int vd) {
        return new float[(size + 1) * vd];
    }

    /**
     * The whole filter for point values: splat, blur, slice with the plain barycentric weights.
     *
     * @param in  [n·vd] point-major
     * @return [n·vd] point-major, ∝ Σ_j exp(−|f_i − f_j|²/2) in_j
     */
    public float[] filter(float[] in, int vd, Parallel par) {
        float[] a = newBuffer(vd);
        float[] b = newBuffer(vd);
        splat(in, vd, gatherWeights(null), a, par);
        float[] blurred = blur(a, b, vd, par);
        float[] out = new float[n * vd];
        slice(blurred, vd, sliceWeights(null, 1f), out, par);
        return out;
    }
}
