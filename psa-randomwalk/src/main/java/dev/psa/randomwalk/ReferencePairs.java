package dev.psa.randomwalk;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.AffinityGraph;

/**
 * The authors' pair set for the walk ({@code rw.pairs = reference}). Their code (tool/pyutils.py,
 * {@code get_indices_of_pairs}) takes the pairs (i, i + offset) of the stencil only from cells i in
 * the rows {@code y < h − (γ−1)} and the columns {@code γ−1 ≤ x < w − (γ−1)}, so pairs starting in
 * the last γ−1 rows or the first or last γ−1 columns never carry affinity — about 14 % of the
 * in-grid pairs of a 500×375 image at γ = 5. psa's default ({@code all}) uses every in-grid pair.
 */
public final class ReferencePairs {
    private ReferencePairs() {
    }

    /** Whether pairs starting at cell (y, x) of an h × w grid belong to the authors' set. */
    public static boolean fromCell(int h, int w, int radius, int y, int x) {
        int r = radius - 1;
        return y < h - r && x >= r && x < w - r;
    }

    /** The graph with the weights of every pair outside the authors' set set to 0. */
    public static AffinityGraph restrict(AffinityGraph g) {
        int h = g.height();
        int w = g.width();
        int radius = g.stencil().radius();
        float[] mask = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                mask[y * w + x] = fromCell(h, w, radius, y, x) ? 1f : 0f;
            }
        }
        INDArray m = Nd4j.create(mask, new long[] {1, h, w}, DataType.FLOAT);
        INDArray weights = g.weights().castTo(DataType.FLOAT).mul(m.broadcast(g.weights().shape()));
        return new AffinityGraph(g.stencil(), weights);
    }
}
