package dev.psa.seg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.psa.api.LabelMap;

class SegLabelsTest {
    /** A 3×5 map at stride 2: blocks of 2×2 (partial at the right and bottom edge). */
    @Test
    void eachCellTakesItsBlocksMostFrequentLabelIgnoring255() {
        int u = 255;
        byte[] d = bytes(
                1, 1, 2, u, 0,
                1, 2, u, u, 3,
                u, u, 4, 4, 0);
        LabelMap cells = SegLabels.toStride(new LabelMap(3, 5, d), 2);
        assertThat(cells.height()).isEqualTo(2);
        assertThat(cells.width()).isEqualTo(3);
        // block (0,0): 1,1,1,2 -> 1; (0,1): 2,u,u,u -> 2 (255 never wins); (0,2): 0,3 -> tie, smaller label 0
        // (1,0): u,u -> 255; (1,1): 4,4 -> 4; (1,2): 0 -> 0
        assertThat(cells.toIntArray()).containsExactly(1, 2, 0, 255, 4, 0);
    }

    @Test
    void oneHotLeavesIgnoredCellsAllZero() {
        LabelMap a = new LabelMap(1, 3, bytes(0, 2, 255));
        LabelMap b = new LabelMap(1, 3, bytes(1, 1, 0));
        INDArray t = SegLabels.oneHot(List.of(a, b), 3);
        assertThat(t.shape()).containsExactly(2, 3, 1, 3);
        assertThat(t.get(NDArrayIndex.point(0)).dup().data().asFloat())
                .containsExactly(1, 0, 0, /* class 1 */ 0, 0, 0, /* class 2 */ 0, 1, 0);
        assertThat(t.get(NDArrayIndex.point(1)).dup().data().asFloat())
                .containsExactly(0, 0, 1, 1, 1, 0, 0, 0, 0);
        assertThat(t.sumNumber().intValue()).isEqualTo(5);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
