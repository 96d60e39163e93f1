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
    /**
     * loss = Σ dropout_"drop"(x · w) + 0 · Σ dropout_"second"(x · w), x a placeholder [N, 50],
     * w [1, 50] ones.
     */
    static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 50);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 1, 50));
        SDVariable out = Layers.dropout(sd, "drop", x.mul("xw", w), 0.25);
        SDVariable second = Layers.dropout(sd, "second", x.mul("xw2", w), 0.25);
        sd.sum("loss1", out).add("loss", sd.sum("loss_second", second.mul("zero", 0)));
        return sd;
    }

    static OutAndGrad run(SameDiff sd, long seed, int rows) {
        Nd4j.getRandom().setSeed(seed);
        return sd.calculateGradientsAndOutputs(Map.of("x", Nd4j.ones(DataType.FLOAT, rows, 50)),
                List.of("drop", "second", "loss"), List.of("w"));
    }

    @Test
    void keepsAboutOneMinusPScaledByItsInverseAndBackpropagatesTheSameMask() {
        OutAndGrad og = run(graph(), 12345, 400);
        INDArray out = og.getOutputs().get("drop");
        assertThat(out.shape()).containsExactly(400, 50);
        long kept = 0;
        for (double d : out.data().asDouble()) {
            if (d != 0) {
                assertThat(d).isCloseTo(1 / 0.75, within(1e-6));
                kept++;
            }
        }
        // 20 000 Bernoulli(0.75) draws: mean 0.75, sd 0.003
        assertThat(kept / 20000.0).isCloseTo(0.75, within(0.015));
        // d loss / d w_j = Σ_i mask_ij / 0.75 (x = 1): the backward pass uses the forward mask
        assertThat(og.getGradients().get("w").equalsWithEps(out.sum(true, 0), 1e-3)).isTrue();
    }

    @Test
    void masksAreFixedByTheGlobalSeedAndDifferBetweenLayersAndSeeds() {
        OutAndGrad first = run(graph(), 7, 40);
        INDArray a = first.getOutputs().get("drop");
        // another graph instance, same seed: the same mask (what makes resume exact)
        INDArray b = run(graph(), 7, 40).getOutputs().get("drop");
        assertThat(a.equalsWithEps(b, 0)).isTrue();
        // another seed, or the second layer of the same step: an independent mask, differing in
        // ≈ 2·0.75·0.25 = 37.5% of the 2000 elements
        INDArray c = run(graph(), 8, 40).getOutputs().get("drop");
        INDArray d = first.getOutputs().get("second");
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
