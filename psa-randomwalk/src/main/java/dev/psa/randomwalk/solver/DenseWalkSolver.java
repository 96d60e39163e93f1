package dev.psa.randomwalk.solver;

import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import dev.psa.api.spi.WalkSolver;
import dev.psa.randomwalk.internal.FloatArrays;
import dev.psa.randomwalk.internal.WalkInputs;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code dense} solver, the reference formulation of REFERENCE.md §Stage 4 on ND4J: the N×N
 * matrix A (W^β on the stencil pairs, both directions, A_ii = 1), T = D⁻¹A, and T^t by repeated
 * squaring (t = 256: 8 squarings, ≈ 4e11 FLOP for a 63×47 map), then T^t·vec(M_c). A t that is not a
 * power of two is reached by binary exponentiation (a product per set bit). Memory O(N²): the test
 * oracle and the benchmark baseline, not for production maps.
 *
 * <p>It builds A from the graph independently of the stencil solvers' transition planes, so
 * agreement between them is a real check.
 */
public final class DenseWalkSolver implements WalkSolver {
    /** Largest N accepted by default: 8192² float32 = 256 MiB per matrix. */
    public static final int DEFAULT_MAX_CELLS = 8192;

    private final DataType precision;
    private final int maxCells;

    /** float32 (as the reference ran it), at most {@link #DEFAULT_MAX_CELLS} cells. */
    public DenseWalkSolver() {
        this(DataType.FLOAT, DEFAULT_MAX_CELLS);
    }

    /**
     * @param precision FLOAT (reference) or DOUBLE (a tighter oracle for tests)
     * @param maxCells  largest N = h·w accepted (memory grows as N²)
     */
    public DenseWalkSolver(DataType precision, int maxCells) {
        if (precision != DataType.FLOAT && precision != DataType.DOUBLE) {
            throw new IllegalArgumentException("dense walk precision must be FLOAT or DOUBLE, got " + precision);
        }
        if (maxCells < 1) {
            throw new IllegalArgumentException("maxCells must be >= 1, got " + maxCells);
        }
        this.precision = precision;
        this.maxCells = maxCells;
    }

    @Override
    public INDArray walk(AffinityGraph affinity, INDArray scores, int steps) {
        WalkInputs.check("dense", affinity, scores, steps);
        if (steps == 0) {
            return WalkInputs.copy(scores);
        }
        int h = affinity.height();
        int w = affinity.width();
        int n = h * w;
        int channels = (int) scores.size(0);
        INDArray t = transitionMatrix(affinity, precision, maxCells);
        // x = vec(M)ᵀ: [N, C]; x ← P·x for each set bit of t, P = T^(2^k)
        INDArray x = scores.castTo(precision).dup('c').reshape(channels, n).transpose().dup('c');
        INDArray p = t;
        int e = steps;
        while (true) {
            if ((e & 1) != 0) {
                x = p.mmul(x);
            }
            e >>>= 1;
            if (e == 0) {
                break;
            }
            p = p.mmul(p);
        }
        return x.transpose().dup('c').castTo(DataType.FLOAT).reshape(channels, h, w);
    }

    /**
     * T = D⁻¹A for the graph's grid (row-major cell order {@code i = y·w + x}).
     *
     * @param affinity A's off-diagonal entries (W^β), finite and ≥ 0
     * @return [N, N] in the given precision, every row summing to 1
     * @throws IllegalArgumentException when N exceeds {@code maxCells} or a weight is negative
     */
    public static INDArray transitionMatrix(AffinityGraph affinity, DataType precision, int maxCells) {
        int h = affinity.height();
        int w = affinity.width();
        int n = h * w;
        if (n > maxCells) {
            throw new IllegalArgumentException("dense walk: the map has N = " + w + "x" + h + " = " + n
                    + " cells, more than the " + maxCells + " this solver accepts (it holds N x N matrices,"
                    + " here " + ((long) n * n * 4 >> 20) + " MiB each in float32); use rw.solver=sparse");
        }
        AffinityStencil s = affinity.stencil();
        float[] weights = FloatArrays.of(affinity.weights());
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1;
        }
        for (int o = 0; o < s.size(); o++) {
            for (int y = 0; y < h; y++) {
                int py = y + s.dy(o);
                for (int x = 0; x < w; x++) {
                    int px = x + s.dx(o);
                    if (py < 0 || py >= h || px < 0 || px >= w) {
                        continue;
                    }
                    float v = weights[(o * h + y) * w + x];
                    if (!(v >= 0) || Float.isInfinite(v)) {
                        throw new IllegalArgumentException("affinity weights: entry [o=" + o + ", y=" + y + ", x=" + x
                                + "] is " + v + "; affinities must be finite and >= 0");
                    }
                    int i = y * w + x;
                    int j = py * w + px;
                    a[i * n + j] = v;
                    a[j * n + i] = v;
                }
            }
        }
        INDArray m = Nd4j.create(a, new long[] {n, n}, DataType.FLOAT).castTo(precision);
        INDArray degree = m.sum(true, 1);
        return m.diviColumnVector(degree);
    }
}
