package dev.psa.randomwalk.solver;

import dev.psa.api.AffinityGraph;
import dev.psa.api.spi.WalkSolver;
import dev.psa.randomwalk.internal.FloatArrays;
import dev.psa.randomwalk.internal.StepBarrier;
import dev.psa.randomwalk.internal.Transition;
import dev.psa.randomwalk.internal.WalkInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.stream.IntStream;

/**
 * The {@code sparse} solver: t explicit steps {@code x ← T·x} over the stencil (REFERENCE.md §Stage
 * 4: "256 sparse steps give the same result up to float rounding with ~100× less work and O(N)
 * memory"), in plain Java float32. Only channels with a non-zero value are walked (absent classes
 * stay zero). With at least one channel per worker thread, each worker walks its own channels
 * through all t steps independently; otherwise the cells are split into contiguous ranges, one per
 * worker, with a barrier after each step. Everything ping-pongs between two buffers allocated once
 * per call.
 *
 * <p>Why plain Java: ND4J has no op for a spatially varying stencil (the ND4J formulation, {@link
 * Nd4jStencilWalkSolver}, goes through im2col and does 81/69 of the work with 3 op launches per
 * step). HotSpot C2 (JDK 17) vectorises a loop only when all its array accesses share one index
 * expression, so each shifted neighbour range is first copied with {@link System#arraycopy} into an
 * aligned scratch array and then combined, three planes per loop, with SIMD multiply-adds.
 */
public final class SparseStencilWalkSolver implements WalkSolver {
    /** Cells per tile: a tile's scratch rows stay in the L1/L2 cache. */
    private static final int TILE = 1024;
    private static final int GROUP = 3;

    private final int threads;
    private final int minCellsPerThread;
    private final ExecutorService pool;

    /** One worker per available processor, at least 256 cells × channels each. */
    public SparseStencilWalkSolver() {
        this(0, 256);
    }

    /**
     * @param threads           worker threads, 0 = one per available processor
     * @param minCellsPerThread the least work per worker, in cells × walked channels (and in cells when
     *                          the cells are split); small maps walk single-threaded
     */
    public SparseStencilWalkSolver(int threads, int minCellsPerThread) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per processor), got " + threads);
        }
        if (minCellsPerThread < 1) {
            throw new IllegalArgumentException("minCellsPerThread must be >= 1, got " + minCellsPerThread);
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.minCellsPerThread = minCellsPerThread;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "psa-walk-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The configured number of worker threads. */
    public int threads() {
        return threads;
    }

    @Override
    public INDArray walk(AffinityGraph affinity, INDArray scores, int steps) {
        WalkInputs.check("sparse", affinity, scores, steps);
        if (steps == 0) {
            return WalkInputs.copy(scores);
        }
        Transition tr = Transition.of(affinity);
        int n = tr.cells();
        int channels = (int) scores.size(0);
        float[] data = FloatArrays.of(scores);
        boolean[] nonZero = WalkInputs.nonZeroChannels("sparse", data, channels, n);
        int[] active = IntStream.range(0, channels).filter(c -> nonZero[c]).toArray();
        float[] out = new float[channels * n];
        if (active.length > 0) {
            int pad = tr.maxShift();
            float[][][] buffers = new float[2][active.length][n + 2 * pad];
            for (int a = 0; a < active.length; a++) {
                System.arraycopy(data, active[a] * n, buffers[0][a], pad, n);
            }
            run(tr, buffers, steps);
            float[][] result = buffers[steps & 1];
            for (int a = 0; a < active.length; a++) {
                System.arraycopy(result[a], pad, out, active[a] * n, n);
            }
        }
        return FloatArrays.create(out, channels, affinity.height(), affinity.width());
    }

    private void run(Transition tr, float[][][] buffers, int steps) {
        int n = tr.cells();
        int channels = buffers[0].length;
        int workers = Math.max(1, Math.min(threads, n * channels / minCellsPerThread));
        // A channel per worker at least: each worker walks its own channels from start to end with no
        // barrier at all (on a shared machine a per-step barrier waits for whichever worker was
        // descheduled, 256 times). Otherwise the cells are split and the workers meet after every step.
        boolean byChannel = channels >= workers;
        if (!byChannel) {
            workers = Math.max(1, Math.min(workers, n / minCellsPerThread));
        }
        StepBarrier barrier = workers > 1 && !byChannel ? new StepBarrier(workers) : null;
        Worker[] all = new Worker[workers];
        for (int k = 0; k < workers; k++) {
            all[k] = byChannel
                    ? new Worker(tr, buffers, steps, 0, n, split(channels, workers, k), split(channels, workers, k + 1), null)
                    : new Worker(tr, buffers, steps, split(n, workers, k), split(n, workers, k + 1), 0, channels, barrier);
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int k = 1; k < workers; k++) {
            futures.add(pool.submit(all[k]::runGuarded));
        }
        RuntimeException failure = null;
        try {
            all[0].runGuarded();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (barrier != null) {
                    barrier.breakBarrier();
                }
                failure = failure != null ? failure : new IllegalStateException("sparse walk interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null || failure instanceof StepBarrier.BrokenException) {
                    failure = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Start of worker k's share of n items (shares are contiguous and cover [0, n)). */
    private static int split(int n, int workers, int k) {
        return (int) ((long) n * k / workers);
    }

    private static final class Worker {
        private final Transition tr;
        private final float[][][] buffers;
        private final int steps;
        private final int lo;
        private final int hi;
        private final int firstChannel;
        private final int endChannel;
        private final StepBarrier barrier;
        private final float[] acc;
        private final float[][] scratch;

        Worker(Transition tr, float[][][] buffers, int steps, int lo, int hi, int firstChannel, int endChannel,
                StepBarrier barrier) {
            this.tr = tr;
            this.buffers = buffers;
            this.steps = steps;
            this.lo = lo;
            this.hi = hi;
            this.firstChannel = firstChannel;
            this.endChannel = endChannel;
            this.barrier = barrier;
            this.acc = new float[tr.cells()];
            this.scratch = new float[GROUP][tr.cells()];
        }

        void runGuarded() {
            try {
                run();
            } catch (RuntimeException | Error e) {
                if (barrier != null) {
                    barrier.breakBarrier();
                }
                throw e;
            }
        }

        private void run() {
            int pad = tr.maxShift();
            int planes = tr.planes();
            int[] shifts = new int[planes];
            float[][] coef = new float[planes][];
            for (int k = 0; k < planes; k++) {
                shifts[k] = pad + tr.shift(k);
                coef[k] = tr.plane(k);
            }
            for (int step = 0; step < steps; step++) {
                float[][] src = buffers[step & 1];
                float[][] dst = buffers[(step + 1) & 1];
                // tile-major: a tile's coefficient rows stay in cache while every channel uses them
                for (int a = lo; a < hi; a += TILE) {
                    int b = Math.min(hi, a + TILE);
                    for (int c = firstChannel; c < endChannel; c++) {
                        stepTile(src[c], dst[c], a, b, pad, planes, shifts, coef);
                    }
                }
                if (barrier != null) {
                    barrier.await();
                }
            }
        }

        /** dst[pad + i] = Σ_k coef[k][i] · src[shifts[k] + i] for the cells i in [a, b). */
        private void stepTile(float[] s, float[] d, int a, int b, int pad, int planes, int[] shifts, float[][] coef) {
            float[] t0 = scratch[0];
            float[] t1 = scratch[1];
            float[] t2 = scratch[2];
            int len = b - a;
            for (int k = 0; k < planes; k += GROUP) {
                int g = Math.min(GROUP, planes - k);
                System.arraycopy(s, shifts[k] + a, t0, a, len);
                if (g == 1) {
                    if (k == 0) {
                        set1(acc, coef[k], t0, a, b);
                    } else {
                        add1(acc, coef[k], t0, a, b);
                    }
                    continue;
                }
                System.arraycopy(s, shifts[k + 1] + a, t1, a, len);
                if (g == 2) {
                    if (k == 0) {
                        set2(acc, coef[k], t0, coef[k + 1], t1, a, b);
                    } else {
                        add2(acc, coef[k], t0, coef[k + 1], t1, a, b);
                    }
                    continue;
                }
                System.arraycopy(s, shifts[k + 2] + a, t2, a, len);
                if (k == 0) {
                    set3(acc, coef[k], t0, coef[k + 1], t1, coef[k + 2], t2, a, b);
                } else {
                    add3(acc, coef[k], t0, coef[k + 1], t1, coef[k + 2], t2, a, b);
                }
            }
            System.arraycopy(acc, a, d, pad + a, len);
        }
    }

    // The kernels: every access indexed by the same i, so C2 vectorises them.

    private static void set1(float[] acc, float[] c0, float[] t0, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc[i] = c0[i] * t0[i];
        }
    }

    private static void add1(float[] acc, float[] c0, float[] t0, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc[i] += c0[i] * t0[i];
        }
    }

    private static void set2(float[] acc, float[] c0, float[] t0, float[] c1, float[] t1, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc[i] = c0[i] * t0[i] + c1[i] * t1[i];
        }
    }

    private static void add2(float[] acc, float[] c0, float[] t0, float[] c1, float[] t1, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc[i] += c0[i] * t0[i] + c1[i] * t1[i];
        }
    }

    private static void set3(float[] acc, float[] c0, float[] t0, float[] c1, float[] t1, float[] c2, float[] t2,
            int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc[i] = c0[i] * t0[i] + c1[i] * t1[i] + c2[i] * t2[i];
        }
    }

    private static void add3(float[] acc, float[] c0, float[] t0, float[] c1, float[] t1, float[] c2, float[] t2,
            int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc[i] += c0[i] * t0[i] + c1[i] * t1[i] + c2[i] * t2[i];
        }
    }
}
