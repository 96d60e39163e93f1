package dev.psa.randomwalk;

import static java.util.Objects.requireNonNull;

import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import dev.psa.api.spi.WalkSolver;
import dev.psa.randomwalk.internal.FloatArrays;
import dev.psa.randomwalk.solver.DenseWalkSolver;
import dev.psa.randomwalk.solver.Nd4jStencilWalkSolver;
import dev.psa.randomwalk.solver.SparseStencilWalkSolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The logic of {@code psa bench walk [--size WxH] [--channels C]}: runs every solver on the same
 * random graph and scores and prints, one line per solver, {@code walk solver=<name> ms=<median>
 * maxdiff=<vs dense>} and last {@code walk speedup sparse/dense=<ratio>}.
 *
 * <p>The graph: radius γ, weights W uniform in [0, 1) (0 where the partner is outside the map),
 * A = W^β. The scores: [max(21, C), h, w] with the first C channels uniform in [0, 1) and the others
 * zero (so C = 3 is "background + 2 classes" of a VOC image). {@code ms} is the median wall time of
 * the measured runs in milliseconds; {@code maxdiff} is max |x − x_dense| / max |x_dense| (0 for
 * dense itself); the speedup is median(dense) / median(sparse). Values that cannot be measured
 * (dense above {@link Options#denseMaxCells()}, a solver missing) print as {@code NaN}.
 */
public final class WalkBench {
    private WalkBench() {
    }

    /**
     * @param warmupRuns    at most this many unmeasured runs per solver (at least one, and fewer when they
     *                      take over a second together); the first run's output gives maxdiff
     * @param maxRuns       at most this many measured runs per solver
     * @param budgetSeconds stop measuring a solver after this much time (at least one measured run)
     * @param denseMaxCells dense is skipped (NaN) on larger maps (its memory and time grow as N² and N³)
     * @param seed          of the random graph and scores
     * @param radius        γ
     * @param beta          β
     * @param steps         t
     */
    public record Options(int warmupRuns, int maxRuns, double budgetSeconds, int denseMaxCells, long seed, int radius,
            double beta, int steps) {
        public Options {
            if (warmupRuns < 1 || maxRuns < 1 || !(budgetSeconds > 0) || denseMaxCells < 0 || radius < 1
                    || !(beta > 0) || steps < 0) {
                throw new IllegalArgumentException("invalid walk bench options " + warmupRuns + ", " + maxRuns + ", "
                        + budgetSeconds + ", " + denseMaxCells + ", " + radius + ", " + beta + ", " + steps);
            }
        }

        /** 3 warm-up runs, ≤ 15 measured runs in ≤ 10 s per solver, dense up to 4096 cells, γ 5, β 8, t 256. */
        public static Options defaults() {
            return new Options(3, 15, 10, 4096, 42, 5, 8, 256);
        }

        public Options withRuns(int warmup, int max, double budget) {
            return new Options(warmup, max, budget, denseMaxCells, seed, radius, beta, steps);
        }
    }

    /**
     * One solver's result.
     *
     * @param solver   its name
     * @param medianMs median wall time per walk, ms (NaN when skipped)
     * @param maxDiff  max |x − x_dense| / max |x_dense| (NaN without dense)
     * @param runs     measured runs
     */
    public record Line(String solver, double medianMs, double maxDiff, int runs) {
        /** The contract line. */
        public String format() {
            return String.format(Locale.ROOT, "walk solver=%s ms=%.3f maxdiff=%.3e", solver, medianMs, maxDiff);
        }
    }

    /**
     * All lines of one benchmark.
     *
     * @param lines   per solver, in the order printed
     * @param speedup median(dense) / median(sparse), NaN when either is missing
     */
    public record Report(List<Line> lines, double speedup) {
        public Report {
            lines = List.copyOf(lines);
        }

        public String speedupLine() {
            return String.format(Locale.ROOT, "walk speedup sparse/dense=%.1f", speedup);
        }
    }

    /** The built-in solvers by name, constructed directly (no discovery): dense, sparse, nd4j-stencil. */
    public static Map<String, WalkSolver> builtinSolvers() {
        Map<String, WalkSolver> m = new LinkedHashMap<>();
        m.put("dense", new DenseWalkSolver());
        m.put("sparse", new SparseStencilWalkSolver());
        m.put("nd4j-stencil", new Nd4jStencilWalkSolver());
        return m;
    }

    /** {@link #run(int, int, int, Map, Options, Consumer)} with {@link Options#defaults()}. */
    public static Report run(int width, int height, int channels, Map<String, WalkSolver> solvers, Consumer<String> out) {
        return run(width, height, channels, solvers, Options.defaults(), out);
    }

    /**
     * @param width    w, grid width (cells)
     * @param height   h, grid height (cells)
     * @param channels C, the number of non-zero score channels
     * @param solvers  by name, in print order ({@code dense} is run first whatever its position, as the
     *                 reference)
     * @param out      receives each contract line as soon as it is measured (the caller prints)
     */
    public static Report run(int width, int height, int channels, Map<String, WalkSolver> solvers, Options options,
            Consumer<String> out) {
        requireNonNull(solvers, "solvers is null");
        requireNonNull(options, "options is null");
        requireNonNull(out, "out is null");
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException("bench walk: size and channels must be >= 1, got size " + width + "x"
                    + height + ", channels " + channels);
        }
        AffinityGraph graph = randomGraph(width, height, options.radius(), options.beta(), options.seed());
        INDArray scores = randomScores(Math.max(21, channels), channels, height, width, options.seed() + 1);

        List<String> order = new ArrayList<>(solvers.keySet());
        if (order.remove("dense")) {
            order.add(0, "dense");
        }
        float[] reference = null;
        double referenceMax = Double.NaN;
        Map<String, Line> lines = new LinkedHashMap<>();
        for (String name : order) {
            WalkSolver solver = requireNonNull(solvers.get(name), () -> "solver " + name + " is null");
            if (name.equals("dense") && (long) width * height > options.denseMaxCells()) {
                lines.put(name, new Line(name, Double.NaN, Double.NaN, 0));
                out.accept(lines.get(name).format());
                continue;
            }
            float[] first = null;
            long warmStart = System.nanoTime();
            for (int i = 0; i < options.warmupRuns(); i++) {
                INDArray r = solver.walk(graph, scores, options.steps());
                if (first == null) {
                    first = FloatArrays.of(r);
                }
                if (System.nanoTime() - warmStart > 1_000_000_000L) {
                    break;
                }
            }
            if (name.equals("dense")) {
                reference = first;
                referenceMax = maxAbs(first);
            }
            List<Double> times = new ArrayList<>();
            long measureStart = System.nanoTime();
            while (times.size() < options.maxRuns()
                    && (times.isEmpty() || System.nanoTime() - measureStart < options.budgetSeconds() * 1e9)) {
                long t0 = System.nanoTime();
                solver.walk(graph, scores, options.steps());
                times.add((System.nanoTime() - t0) / 1e6);
            }
            double diff = reference == null ? Double.NaN : maxAbsDiff(first, reference) / referenceMax;
            Line line = new Line(name, median(times), diff, times.size());
            lines.put(name, line);
            out.accept(line.format());
        }
        Line dense = lines.get("dense");
        Line sparse = lines.get("sparse");
        double speedup = dense == null || sparse == null ? Double.NaN : dense.medianMs() / sparse.medianMs();
        List<Line> printed = new ArrayList<>(lines.values());
        Report report = new Report(printed, speedup);
        out.accept(report.speedupLine());
        return report;
    }

    /**
     * @return A = W^β with W uniform in [0, 1) on the stencil pairs inside an h×w map (0 outside),
     *         weights [O, h, w] float32
     */
    public static AffinityGraph randomGraph(int width, int height, int radius, double beta, long seed) {
        AffinityStencil stencil = AffinityStencil.of(radius);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[stencil.size() * height * width];
        for (int o = 0; o < stencil.size(); o++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int py = y + stencil.dy(o);
                    int px = x + stencil.dx(o);
                    float v = (float) rng.nextDouble();
                    if (py >= 0 && py < height && px >= 0 && px < width) {
                        w[(o * height + y) * width + x] = v;
                    }
                }
            }
        }
        INDArray weights = Transforms.pow(FloatArrays.create(w, stencil.size(), height, width), beta, false);
        return new AffinityGraph(stencil, weights);
    }

    /** @return [total, h, w] float32, the first {@code nonZero} channels uniform in [0, 1), the rest 0 */
    public static INDArray randomScores(int total, int nonZero, int height, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[total * height * width];
        for (int i = 0; i < Math.min(total, nonZero) * height * width; i++) {
            s[i] = (float) rng.nextDouble();
        }
        return FloatArrays.create(s, total, height, width);
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("outputs differ in size: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }


    /** Parses {@code WxH}, e.g. {@code 63x47}. */
    public static int[] parseSize(String size) {
        requireNonNull(size, "size is null");
        String[] p = size.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int[] wh = {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
                if (wh[0] >= 1 && wh[1] >= 1) {
                    return wh;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--size: expected WxH with positive integers (e.g. 63x47), got '" + size
                + "'");
    }
}
