package dev.psa.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.psa.api.AffinityGraph;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;

class AffinityPredictorTest {
    static final AffConfig CONFIG = AffConfig.defaults().with(Map.of("head-channels", "8,8,16"));

    static Backbone tiny() {
        return new TinyBackboneProvider().create(ComponentConfig.ofStrings(Map.of("backbone.tiny.stem-channels", "8",
                "backbone.tiny.conv-channels", "8", "backbone.tiny.channels", "8")).scoped("backbone."));
    }

    @Test
    void predictsAPaddedStride8GraphWithZerosForPartnersOutside(@TempDir Path dir) {
        Backbone backbone = tiny();
        AffinityNet.Built trained = AffinityNet.build(backbone, CONFIG.stencil(), CONFIG.headChannels(), 1e-5, true, 5);
        Path model = dir.resolve("model.npz");
        Npy.writeNpz(model, trained.params());
        AffinityPredictor p = AffinityPredictor.load(model, backbone, CONFIG);

        INDArray image = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), 3, 50, 37).castTo(DataType.FLOAT)
                .muli(255);
        AffinityGraph g = p.predict(image);
        assertThat(g.weights().shape()).containsExactly(34, 7, 5);
        INDArray inside = AffinityLabels.partnerInside(7, 5, g.stencil());
        assertThat(g.weights().mul(inside.rsub(1)).sumNumber().doubleValue()).isZero();
        INDArray insideValues = g.weights().mul(inside).add(inside.rsub(1));
        assertThat(insideValues.minNumber().doubleValue()).isGreaterThan(0);
        assertThat(g.weights().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);

        // the same numbers as the training graph on the image padded to 56x40 with zeros after normalisation
        INDArray padded = Nd4j.zeros(DataType.FLOAT, 1, 3, 56, 40);
        padded.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 50), NDArrayIndex.interval(0, 37))
                .assign(backbone.normalization().apply(image));
        INDArray direct = trained.sd().output(Map.of(AffinityNet.IMAGE, padded), AffinityNet.AFFINITY)
                .get(AffinityNet.AFFINITY).get(NDArrayIndex.point(0));
        for (int[] at : new int[][] {{0, 0, 0}, {5, 3, 2}, {33, 2, 4}, {17, 6, 0}}) {
            double expected = direct.getDouble(at[0], at[1], at[2]) * inside.getDouble(at[0], at[1], at[2]);
            assertThat(g.weights().getDouble(at[0], at[1], at[2])).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void parametersThatDoNotFitAreReportedTogether() {
        Backbone backbone = tiny();
        Map<String, INDArray> params = new HashMap<>(AffinityNet.build(backbone, CONFIG.stencil(),
                CONFIG.headChannels(), 1e-5, true, 5).params());
        params.remove("f9.weight");
        params.put("fc8.weight", Nd4j.zeros(DataType.FLOAT, 1));
        params.put("f8_3.weight", Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 4));
        assertThatThrownBy(() -> new AffinityPredictor(backbone, CONFIG, params))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("missing [f9.weight]")
                .hasMessageContaining("unexpected [fc8.weight]")
                .hasMessageContaining("f8_3.weight: model has [1, 1, 8, 4], graph expects [1, 1, 8, 8]");
    }
}
