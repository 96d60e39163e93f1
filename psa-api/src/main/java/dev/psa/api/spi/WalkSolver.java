package dev.psa.api.spi;

import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.AffinityGraph;

/**
 * Computes the random walk of REFERENCE.md §Stage 4: {@code vec(M*_c) = T^t · vec(M_c)} with
 * {@code T = D⁻¹A} (pull: each step replaces a cell's score by the A-weighted average of its
 * neighbours' scores, itself included with self-affinity 1).
 */
public interface WalkSolver {
    /**
     * @param affinity the off-diagonal entries of A (already W^β), symmetric, on an h×w grid
     * @param scores   [C, h, w] float32, the score maps to propagate (channels that are all zero
     *                 stay zero)
     * @param steps    t ≥ 0; t = 0 returns a copy of the scores
     * @return [C, h, w] float32, the walked scores
     */
    INDArray walk(AffinityGraph affinity, INDArray scores, int steps);
}
