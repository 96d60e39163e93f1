package dev.psa.api;

import static java.util.Objects.requireNonNull;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sparse affinities between the cells of an h×w stride-8 grid, in stencil form: {@code
 * weights[o, y, x]} is the affinity between cell (y, x) and cell (y + dy[o], x + dx[o]). Each
 * unordered pair is stored once (the graph is symmetric); entries whose partner lies outside the
 * grid are 0. Self-affinity is implicit (1 for the random walk's A, REFERENCE.md §Stage 4).
 *
 * @param stencil the offsets
 * @param weights [O, h, w] float32 in [0, 1]
 */
public record AffinityGraph(AffinityStencil stencil, INDArray weights) {
    public AffinityGraph {
        requireNonNull(stencil, "stencil is null");
        Shapes.check("affinity weights", "[O, h, w]", weights, stencil.size(), -1, -1);
    }

    public int height() {
        return (int) weights.size(1);
    }

    public int width() {
        return (int) weights.size(2);
    }

    /** @return A = W^β as a new graph (the walk's affinity, REFERENCE.md §Stage 4) */
    public AffinityGraph pow(double beta) {
        return new AffinityGraph(stencil, org.nd4j.linalg.ops.transforms.Transforms.pow(weights, beta, true));
    }
}
