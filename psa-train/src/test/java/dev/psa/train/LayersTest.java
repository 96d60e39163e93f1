package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayersTest {
    /** out = dropout(x · w), loss = Σ out, with x a placeholder [N, 50] and w [1, 50]. */
    static SameDiff graph(String dropName) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 50);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 1, 50));
        SDVariable out = Layers.dropout(sd, dropName, x.mul("xw", w), 0.25);
        sd.sum("loss", out);
        return sd;
    }

    static OutAndGrad run(SameDiff sd, int seed, int rows) {
        return run(sd, seed, rows, "drop");
    }

    static OutAndGrad run(SameDiff sd, int seed, int rows, String dropName) {
        sd.getArrForVarName(Layers.DROPOUT_SEED).assign(seed);
        return sd.calculateGradientsAndOutputs(Map.of("x", Nd4j.ones(DataType.FLOAT, rows, 50)),
                List.of(dropName, "loss"), List.of("w"));
    }

    @Test
    void keepsAboutOneMinusPScaledByItsInverseAndBackpropagatesTheSameMask() {
        OutAndGrad og = run(graph("drop"), 12345, 400);
        INDArray out = og.getOutputs().get("drop");
        assertThat(out.shape()).containsExactly(400, 50);
        double[] v = out.data().asDouble();
        long kept = 0;
        for (double d : v) {
            if (d != 0) {
                assertThat(d).isCloseTo(1 / 0.75, within(1e-6));
                kept++;
            }
        }
        // 20 000 Bernoulli(0.75) draws: mean 0.75, sd 0.003
        assertThat(kept / 20000.0).isCloseTo(0.75, within(0.015));
        // d loss / d w_j = Σ_i mask_ij (x = 1): the gradient uses the forward mask
        INDArray expected = out.sum(true, 0);
        assertThat(og.getGradients().get("w").equalsWithEps(expected, 1e-4)).isTrue();
    }

    @Test
    void theMaskIsAFunctionOfSeedAndLayerNameOnly() {
        INDArray a = run(graph("drop"), 7, 40).getOutputs().get("drop");
        INDArray b = run(graph("drop"), 7, 40).getOutputs().get("drop");
        INDArray c = run(graph("drop"), 8, 40).getOutputs().get("drop");
        SameDiff other = graph("drop2");
        INDArray d = run(other, 7, 40, "drop2").getOutputs().get("drop2");
        assertThat(a.equalsWithEps(b, 0)).isTrue();
        // a different seed or layer name gives an independent mask: they differ in ≈ 2·0.75·0.25 = 37.5%
        for (INDArray o : List.of(c, d)) {
            double differ = a.neq(o).castTo(DataType.DOUBLE).meanNumber().doubleValue();
            assertThat(differ).isBetween(0.3, 0.45);
        }
    }

    @Test
    void zeroProbabilityIsTheIdentityAndBadProbabilitiesAreRejected() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        Layers.dropout(sd, "d0", x, 0);
        INDArray in = Nd4j.createFromArray(new float[][] {{1, 2, 3}});
        assertThat(sd.output(Map.of("x", in), "d0").get("d0")).isEqualTo(in);
        assertThatThrownBy(() -> Layers.dropout(sd, "d1", x, 1.0)).hasMessageContaining("[0, 1), got 1.0");
    }
}
