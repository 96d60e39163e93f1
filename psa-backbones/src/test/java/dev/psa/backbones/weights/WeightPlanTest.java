package dev.psa.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WeightPlanTest {
    /** The Java transpose equals ND4J's permute for the conv shapes of the backbones (and odd ones). */
    @Test
    void pytorchConvWeightsBecomeYxioExactly() {
        for (long[] s : List.of(new long[] {5, 3, 3, 3}, new long[] {130, 70, 1, 1}, new long[] {2, 3, 4, 4},
                new long[] {65, 129, 3, 3}, new long[] {1, 1, 1, 1}, new long[] {3, 2, 2, 5})) {
            INDArray w = Nd4j.rand(DataType.FLOAT, s).subi(0.5);
            INDArray expected = w.permute(2, 3, 1, 0).dup('c');
            INDArray got = WeightPlan.Placement.toYxio(w);
            assertThat(got.shape()).containsExactly(s[2], s[3], s[1], s[0]);
            assertThat(got.ordering()).isEqualTo('c');
            assertThat(got).isEqualTo(expected);
            // a view (and an 'f'-ordered copy) converts the same
            assertThat(WeightPlan.Placement.toYxio(w.dup('f'))).isEqualTo(expected);
        }
        // hand-checked: w[o, i, y, x] lands at [y, x, i, o]
        INDArray w = Nd4j.arange(2 * 3 * 2 * 2).castTo(DataType.FLOAT).reshape(2, 3, 2, 2);
        INDArray t = WeightPlan.Placement.toYxio(w);
        assertThat(t.getDouble(1, 0, 2, 1)).isEqualTo(1 * 12 + 2 * 4 + 1 * 2 + 0);
        assertThat(t.getDouble(0, 1, 0, 0)).isEqualTo(1);
    }

    @Test
    void placementConvertsDtypeLayoutAndGroupNormVectors() {
        WeightPlan.Placement conv = new WeightPlan.Placement("module.c.weight", "c.weight", new long[] {4, 2, 3, 3},
                new long[] {3, 3, 2, 4}, true);
        INDArray d = Nd4j.rand(DataType.DOUBLE, 4, 2, 3, 3);
        INDArray c = conv.convert(d);
        assertThat(c.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(c).isEqualTo(d.castTo(DataType.FLOAT).permute(2, 3, 1, 0));
        WeightPlan.Placement gn = new WeightPlan.Placement("gn8_3.bias", "gn8_3.bias", new long[] {8},
                new long[] {1, 8, 1, 1}, false);
        INDArray v = Nd4j.arange(8).castTo(DataType.FLOAT);
        assertThat(gn.convert(v)).isEqualTo(v.reshape(1, 8, 1, 1));
    }
}
