package dev.psa.bench.crf;

import dev.psa.crf.CrfBench;

/**
 * {@code psa bench crf} without the psa command line:
 * {@code java -cp psa-bench/target/benchmarks.jar dev.psa.bench.crf.CrfBenchMain [--size WxH] [--labels L]}
 * prints the same {@code crf ms=<median>} line.
 */
public final class CrfBenchMain {
    private CrfBenchMain() {
    }

    public static void main(String[] args) {
        int[] size = {CrfBench.DEFAULT_WIDTH, CrfBench.DEFAULT_HEIGHT};
        int labels = CrfBench.DEFAULT_LABELS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--size") || a.equals("--labels")) && i + 1 < args.length) {
                String v = args[++i];
                if (a.equals("--size")) {
                    size = CrfBench.parseSize(v);
                } else {
                    try {
                        labels = Integer.parseInt(v.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--labels: expected a positive integer, got '" + v + "'");
                    }
                }
            } else {
                throw new IllegalArgumentException("usage: CrfBenchMain [--size WxH] [--labels L]; unexpected '" + a
                        + "'");
            }
        }
        System.out.println(CrfBench.run(size[0], size[1], labels));
    }
}
