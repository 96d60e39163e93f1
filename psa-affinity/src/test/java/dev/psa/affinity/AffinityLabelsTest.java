package dev.psa.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.AffinityStencil;
import dev.psa.api.LabelMap;
import dev.psa.api.spi.PairClass;

class AffinityLabelsTest {
    /** Left half background, right half class 1, bottom-right three cells ignored. */
    static LabelMap handMap() {
        int[][] rows = {
            {0, 0, 0, 1, 1, 1},
            {0, 0, 0, 1, 1, 1},
            {0, 0, 0, 1, 1, 1},
            {0, 0, 0, 1, 1, 1},
            {0, 0, 0, 1, 1, 1},
            {0, 0, 0, 255, 255, 255},
        };
        return map(rows);
    }

    static LabelMap map(int[][] rows) {
        byte[] d = new byte[rows.length * rows[0].length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[0].length; x++) {
                d[y * rows[0].length + x] = (byte) rows[y][x];
            }
        }
        return new LabelMap(rows.length, rows[0].length, d);
    }

    static int[] histogram(byte[] codes) {
        int[] h = new int[4];
        for (byte c : codes) {
            h[c]++;
        }
        return h;
    }

    @Test
    void radiusFiveHas34OffsetsAndEveryPairOnceIncludingBorderCells() {
        AffinityStencil s = AffinityStencil.of(5);
        assertThat(s.size()).isEqualTo(34);
        int h = 9;
        int w = 11;
        // every in-map pair (o, y, x) names an unordered pair; none twice, and all pairs within the radius appear
        Set<String> seen = new HashSet<>();
        for (int o = 0; o < s.size(); o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int ty = y + s.dy(o);
                    int tx = x + s.dx(o);
                    if (ty >= 0 && ty < h && tx >= 0 && tx < w) {
                        int a = y * w + x;
                        int b = ty * w + tx;
                        assertThat(seen.add(Math.min(a, b) + "-" + Math.max(a, b))).isTrue();
                    }
                }
            }
        }
        int expected = 0;
        for (int a = 0; a < h * w; a++) {
            for (int b = a + 1; b < h * w; b++) {
                int dy = a / w - b / w;
                int dx = a % w - b % w;
                if (dy * dy + dx * dx < 25) {
                    expected++;
                }
            }
        }
        assertThat(seen).hasSize(expected);
        // the corner cell (h-1, w-1) has no "forward" partner, but its pairs exist as partners of others
        assertThat(seen).contains((h * w - 2) + "-" + (h * w - 1));
        INDArray inside = AffinityLabels.partnerInside(h, w, s);
        assertThat(inside.sumNumber().intValue()).isEqualTo(expected);
    }

    @Test
    void pairClassesOfTheHandMapMatchHandCounts() {
        // radius 2: offsets (0,1), (1,-1), (1,0), (1,1) — the 8-neighbourhood, each pair once.
        // 110 neighbour pairs in a 6x6 grid. bg block 6x3: 12 horizontal + 15 vertical + 20 diagonal = 47;
        // fg block 5x3: 10 + 12 + 16 = 38; bg/fg border: 5 horizontal + 4 + 5 diagonal = 14 negatives;
        // pairs touching the ignored cells: 3 + 3 + 3 + 2 = 11; 4·36 − 110 = 34 partners outside.
        byte[] codes = AffinityLabels.pairClassCodes(handMap(), AffinityStencil.of(2));
        assertThat(codes).hasSize(4 * 36);
        int[] h = histogram(codes);
        assertThat(h[PairClass.BG_POSITIVE]).isEqualTo(47);
        assertThat(h[PairClass.FG_POSITIVE]).isEqualTo(38);
        assertThat(h[PairClass.NEGATIVE]).isEqualTo(14);
        assertThat(h[PairClass.IGNORE]).isEqualTo(11 + 34);
        // spot checks in [O, h, w] layout: offset 0 = (0, 1) from (0, 2) crosses the border; offset 2 = (1, 0)
        assertThat(codes[0 * 36 + 0 * 6 + 2]).isEqualTo((byte) PairClass.NEGATIVE);
        assertThat(codes[0 * 36 + 0 * 6 + 5]).isEqualTo((byte) PairClass.IGNORE);
        assertThat(codes[2 * 36 + 4 * 6 + 3]).isEqualTo((byte) PairClass.IGNORE);
        assertThat(codes[2 * 36 + 4 * 6 + 2]).isEqualTo((byte) PairClass.BG_POSITIVE);
    }

    @Test
    void radiusFivePairClassesMatchBruteForceOverAllPairs() {
        LabelMap m = handMap();
        int[] expected = new int[4];
        for (int a = 0; a < 36; a++) {
            for (int b = a + 1; b < 36; b++) {
                int dy = a / 6 - b / 6;
                int dx = a % 6 - b % 6;
                if (dy * dy + dx * dx < 25) {
                    expected[AffinityLabels.classify(m.get(a), m.get(b))]++;
                }
            }
        }
        int[] h = histogram(AffinityLabels.pairClassCodes(m, AffinityStencil.of(5)));
        assertThat(h[1]).isEqualTo(expected[1]);
        assertThat(h[2]).isEqualTo(expected[2]);
        assertThat(h[3]).isEqualTo(expected[3]);
        // the batch array holds the same codes per image
        INDArray batch = AffinityLabels.pairClasses(List.of(m, m), AffinityStencil.of(5));
        assertThat(batch.shape()).containsExactly(2, 34, 6, 6);
        assertThat(batch.eq(3).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().intValue())
                .isEqualTo(2 * expected[3]);
    }

    @Test
    void strideRuleIsAPluralityVoteWithIgnoreAsAVoter() {
        // 16x12 pixels -> 2x2 cells; the right column of blocks holds 4 pixel columns only
        byte[] d = new byte[16 * 12];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 12; x++) {
                int v;
                if (y < 8 && x < 8) {
                    v = x < 3 ? 2 : 0;                    // 40 bg vs 24 class 2 -> 0 (62.5 %)
                } else if (y < 8) {
                    v = x < 10 ? 255 : 1;                 // 16 ignore vs 16 class 1 -> tie with 255 -> 255
                } else if (x < 8) {
                    v = x < 4 ? 1 : 3;                    // 32 vs 32, tie between classes -> lower id 1
                } else {
                    v = y < 10 ? 0 : 255;                 // 8 bg vs 24 ignore -> 255
                }
                d[y * 12 + x] = (byte) v;
            }
        }
        LabelMap cells = AffinityLabels.toStride(new LabelMap(16, 12, d), 8, 0);
        assertThat(cells.height()).isEqualTo(2);
        assertThat(cells.width()).isEqualTo(2);
        assertThat(cells.toIntArray()).containsExactly(0, 255, 1, 255);
        // a minimum fraction of 0.6 keeps the 62.5 % block and drops the 50 % one
        assertThat(AffinityLabels.toStride(new LabelMap(16, 12, d), 8, 0.6).toIntArray())
                .containsExactly(0, 255, 255, 255);
        assertThat(AffinityLabels.toStride(new LabelMap(16, 12, d), 8, 0.7).toIntArray())
                .containsExactly(255, 255, 255, 255);
    }
}
