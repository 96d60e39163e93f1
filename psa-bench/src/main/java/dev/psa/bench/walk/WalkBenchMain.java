package dev.psa.bench.walk;

import dev.psa.randomwalk.WalkBench;

/**
 * {@code psa bench walk} without the psa command line:
 * {@code java -cp psa-bench/target/benchmarks.jar dev.psa.bench.walk.WalkBenchMain [WxH] [C]} (default
 * 63x47, 3): the built-in solvers with {@link WalkBench.Options#defaults()}, one line each on stdout.
 * Set {@code OMP_NUM_THREADS} for ND4J.
 */
public final class WalkBenchMain {
    private WalkBenchMain() {
    }

    public static void main(String[] args) {
        int[] wh = WalkBench.parseSize(args.length > 0 ? args[0] : "63x47");
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        WalkBench.run(wh[0], wh[1], channels, WalkBench.builtinSolvers(), System.out::println);
    }
}
