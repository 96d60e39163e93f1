package dev.psa.randomwalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;

class ReferencePairsTest {
    /** The pairs (from, to) of flat cell indices that carry weight in a graph, in-grid only. */
    private static Set<Long> pairsOf(AffinityGraph g) {
        Set<Long> out = new HashSet<>();
        AffinityStencil st = g.stencil();
        int h = g.height();
        int w = g.width();
        for (int o = 0; o < st.size(); o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int ty = y + st.dy(o);
                    int tx = x + st.dx(o);
                    if (ty >= 0 && ty < h && tx >= 0 && tx < w && g.weights().getDouble(o, y, x) != 0) {
                        out.add((long) (y * w + x) * h * w + ty * w + tx);
                    }
                }
            }
        }
        return out;
    }

    /** Every in-grid pair with weight 1. */
    private static AffinityGraph ones(int radius, int h, int w) {
        AffinityStencil st = AffinityStencil.of(radius);
        return new AffinityGraph(st, Nd4j.ones(DataType.FLOAT, st.size(), h, w));
    }

    /**
     * The authors' construction, independently: a grid of flat indices; "from" = the block of rows
     * [0, h−r) and columns [r, w−r); for each search offset (dy, dx) in their order, "to" = the block
     * of the same size shifted to rows [dy, dy+h−r) and columns [r+dx, r+dx+w−2r); pairs zip the two.
     */
    private static Set<Long> authors(int radius, int h, int w) {
        List<int[]> search = new ArrayList<>();
        for (int x = 1; x < radius; x++) {
            search.add(new int[] {0, x});
        }
        for (int y = 1; y < radius; y++) {
            for (int x = -radius + 1; x < radius; x++) {
                if (x * x + y * y < radius * radius) {
                    search.add(new int[] {y, x});
                }
            }
        }
        int r = radius - 1;
        int ch = h - r;
        int cw = w - 2 * r;
        List<Integer> from = new ArrayList<>();
        for (int y = 0; y < ch; y++) {
            for (int x = r; x < r + cw; x++) {
                from.add(y * w + x);
            }
        }
        Set<Long> out = new HashSet<>();
        for (int[] d : search) {
            int i = 0;
            for (int y = d[0]; y < d[0] + ch; y++) {
                for (int x = r + d[1]; x < r + d[1] + cw; x++) {
                    out.add((long) from.get(i++) * h * w + (y * w + x));
                }
            }
        }
        return out;
    }

    @Test
    void handCheckedSmallGrid() {
        // 4 x 5, radius 2: offsets (0,1), (1,-1), (1,0), (1,1); from-cells rows 0..2, columns 1..3 -> 9 x 4 pairs,
        // of the 16 + 12 + 15 + 12 = 55 in-grid pairs
        assertThat(pairsOf(ones(2, 4, 5))).hasSize(55);
        Set<Long> ref = pairsOf(ReferencePairs.restrict(ones(2, 4, 5)));
        assertThat(ref).hasSize(36);
        assertThat(ReferencePairs.fromCell(4, 5, 2, 0, 0)).isFalse(); // first column
        assertThat(ReferencePairs.fromCell(4, 5, 2, 2, 3)).isTrue();
        assertThat(ReferencePairs.fromCell(4, 5, 2, 3, 2)).isFalse(); // last row
        assertThat(ReferencePairs.fromCell(4, 5, 2, 1, 4)).isFalse(); // last column
    }

    @Test
    void equalsTheAuthorsIndexConstruction() {
        for (int[] c : new int[][] {{2, 4, 5}, {3, 9, 11}, {5, 12, 12}, {5, 47, 63}}) {
            Set<Long> ref = pairsOf(ReferencePairs.restrict(ones(c[0], c[1], c[2])));
            assertThat(ref).as("radius %d, %d x %d", c[0], c[1], c[2]).isEqualTo(authors(c[0], c[1], c[2]));
        }
        // a 500 x 375 image: grid 47 x 63; the authors' set is ~86 % of the in-grid pairs
        double share = (double) authors(5, 47, 63).size() / pairsOf(ones(5, 47, 63)).size();
        assertThat(share).isCloseTo(0.86, within(0.01));
    }

    @Test
    void weightsOutsideTheSetBecomeZeroAndInsideStay() {
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 4, 5).addi(0.1);
        AffinityGraph g = new AffinityGraph(AffinityStencil.of(2), w);
        AffinityGraph r = ReferencePairs.restrict(g);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                for (int o = 0; o < 4; o++) {
                    double expected = ReferencePairs.fromCell(4, 5, 2, y, x) ? w.getDouble(o, y, x) : 0;
                    assertThat(r.weights().getDouble(o, y, x)).isEqualTo(expected);
                }
            }
        }
    }
}
