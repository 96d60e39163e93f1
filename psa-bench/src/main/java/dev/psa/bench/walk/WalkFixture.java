package dev.psa.bench.walk;

import dev.psa.api.AffinityGraph;
import dev.psa.randomwalk.WalkBench;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The graph and scores every walk benchmark uses: those of {@code psa bench walk} (γ = 5, β = 8). */
final class WalkFixture {
    static final int RADIUS = 5;
    static final double BETA = 8;
    static final int STEPS = 256;
    static final long SEED = 42;

    final AffinityGraph graph;
    final INDArray scores;

    /** @param size {@code WxH}; @param channels non-zero channels of the [max(21, C), h, w] scores */
    WalkFixture(String size, int channels) {
        int[] wh = WalkBench.parseSize(size);
        graph = WalkBench.randomGraph(wh[0], wh[1], RADIUS, BETA, SEED);
        scores = WalkBench.randomScores(Math.max(21, channels), channels, wh[1], wh[0], SEED + 1);
    }
}
