package dev.psa.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import dev.psa.api.LabelMap;

class AffinityQualityTest {
    @Test
    void meansAndAucMatchHandCounts() {
        // 16x24 mask -> 2x3 cells a b c / d e f = 0 0 1 / 0 1 1; radius 2 has offsets (0,1), (1,-1), (1,0), (1,1)
        byte[] d = new byte[16 * 24];
        int[][] cells = {{0, 0, 1}, {0, 1, 1}};
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                d[y * 24 + x] = (byte) cells[y / 8][x / 8];
            }
        }
        LabelMap mask = new LabelMap(16, 24, d);
        AffinityStencil s = AffinityStencil.of(2);
        INDArray w = Nd4j.zeros(DataType.FLOAT, 4, 2, 3).addi(0.5);   // entries without a partner: ignored
        // bg+: a-b (o0 at a), b-d (o1 at b), a-d (o2 at a) -> 0.9
        w.putScalar(new int[] {0, 0, 0}, 0.9);
        w.putScalar(new int[] {1, 0, 1}, 0.9);
        w.putScalar(new int[] {2, 0, 0}, 0.9);
        // fg+: e-f (o0 at e), c-e (o1 at c), c-f (o2 at c) -> 0.8
        w.putScalar(new int[] {0, 1, 1}, 0.8);
        w.putScalar(new int[] {1, 0, 2}, 0.8);
        w.putScalar(new int[] {2, 0, 2}, 0.8);
        // negatives: b-c 0.1, d-e 0.2, b-e 0.85, a-e 0.9, b-f 0.3
        w.putScalar(new int[] {0, 0, 1}, 0.1);
        w.putScalar(new int[] {0, 1, 0}, 0.2);
        w.putScalar(new int[] {2, 0, 1}, 0.85);
        w.putScalar(new int[] {3, 0, 0}, 0.9);
        w.putScalar(new int[] {3, 0, 1}, 0.3);
        AffinityQuality q = new AffinityQuality.Accumulator(0).add(new AffinityGraph(s, w), mask).result();
        assertThat(q.bgPositive()).isEqualTo(3);
        assertThat(q.fgPositive()).isEqualTo(3);
        assertThat(q.negative()).isEqualTo(5);
        assertThat(q.meanBgPositive()).isCloseTo(0.9, within(1e-6));
        assertThat(q.meanFgPositive()).isCloseTo(0.8, within(1e-6));
        assertThat(q.meanNegative()).isCloseTo(0.47, within(1e-6));
        // positives 0.9 beat 4 negatives and tie one (4.5 each), 0.8 beat 3: (3·4.5 + 3·3) / (6·5)
        assertThat(q.auc()).isCloseTo(0.75, within(1e-9));
        // the same image twice: same means and AUC, double counts
        AffinityQuality twice = new AffinityQuality.Accumulator(0).add(new AffinityGraph(s, w), mask)
                .add(new AffinityGraph(s, w), mask).result();
        assertThat(twice.negative()).isEqualTo(10);
        assertThat(twice.auc()).isCloseTo(0.75, within(1e-9));
        assertThat(q.toString()).contains("AUC 0.7500");
    }
}
