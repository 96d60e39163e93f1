package dev.psa.backbones.tiny;

import static dev.psa.backbones.BackboneTesting.build;
import static dev.psa.backbones.BackboneTesting.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.psa.api.InputNormalization;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.BuildOptions.Purpose;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.BackboneTesting.Built;

class TinyBackboneTest {
    private static final BuildOptions OPTS = new BuildOptions(Purpose.CLASSIFICATION, false, 7);

    @Test
    void foundByNameWithDefaults() {
        Backbone b = new TinyBackboneProvider().create(ComponentConfig.empty());
        assertThat(b).isInstanceOf(TinyBackbone.class);
        assertThat(b.name()).isEqualTo("tiny");
        assertThat(b.normalization()).isEqualTo(InputNormalization.IMAGENET);
        assertThat(b.groupNormInAffinityHead()).isFalse();
        assertThat(((TinyBackbone) b).config()).isEqualTo(TinyConfig.defaults());
    }

    @Test
    void widthsFromConfigAndValidated() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("backbone.tiny.stem-channels", "8",
                "backbone.tiny.conv-channels", "16", "backbone.tiny.channels", "24"));
        TinyBackbone b = (TinyBackbone) new TinyBackboneProvider().create(root.scoped("backbone."));
        assertThat(b.config()).isEqualTo(new TinyConfig(8, 16, 24));
        assertThatThrownBy(() -> new TinyConfig(0, 16, -1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backbone.tiny.stem-channels").hasMessageContaining("backbone.tiny.channels");
    }

    @Test
    void shapesAndStridesWithCeilDivision() {
        Built built = build(new TinyBackbone(TinyConfig.defaults()), OPTS);
        assertThat(built.graph().output().stride()).isEqualTo(8);
        assertThat(built.graph().output().channels()).isEqualTo(128);
        assertThat(built.graph().affinityTaps()).extracting(FeatureTap::name).containsExactly("conv3", "conv4", "conv5");
        assertThat(built.graph().affinityTaps()).extracting(FeatureTap::channels).containsExactly(64, 128, 128);
        assertThat(built.graph().affinityTaps()).extracting(FeatureTap::stride).containsOnly(8);

        Map<String, INDArray> square = built.run(input(2, 64, 64, 1));
        assertThat(square.get("output").shape()).containsExactly(2, 128, 8, 8);
        assertThat(square.get("conv3").shape()).containsExactly(2, 64, 8, 8);
        assertThat(square.get("conv4").shape()).containsExactly(2, 128, 8, 8);

        Map<String, INDArray> odd = built.run(input(1, 75, 61, 2));
        assertThat(odd.get("output").shape()).containsExactly(1, 128, 10, 8);
        assertThat(odd.get("conv3").shape()).containsExactly(1, 64, 10, 8);
        assertThat(odd.get("conv4").shape()).containsExactly(1, 128, 10, 8);
        assertThat(odd.get("output").minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void parameterCountsAndRoles() {
        Built built = build(new TinyBackbone(TinyConfig.defaults()), OPTS);
        long expected = (4 * 4 * 3 * 32 + 32) + (2 * 2 * 32 * 32 + 32) + (3 * 3 * 32 * 64 + 64)
                + (64 * 128 + 128) + (128 * 128 + 128);
        assertThat(built.count(r -> true)).isEqualTo(expected);
        assertThat(built.count(r -> r != ParamRole.FROZEN)).isEqualTo(expected);
        assertThat(built.graph().params()).hasSize(10)
                .containsEntry("stem1.weight", ParamRole.WEIGHT).containsEntry("conv5.bias", ParamRole.BIAS);
        assertThat(built.sd().getVariable("conv3.weight").getArr().shape()).containsExactly(3, 3, 32, 64);
    }

    @Test
    void deterministicBySeed() {
        INDArray x = input(1, 64, 64, 3);
        INDArray a = build(new TinyBackbone(TinyConfig.defaults()), OPTS).run(x).get("output");
        INDArray b = build(new TinyBackbone(TinyConfig.defaults()), OPTS).run(x).get("output");
        INDArray c = build(new TinyBackbone(TinyConfig.defaults()), new BuildOptions(Purpose.CLASSIFICATION, false, 8))
                .run(x).get("output");
        assertThat(a).isEqualTo(b);
        assertThat(a.equalsWithEps(c, 1e-3)).isFalse();
        Built one = build(new TinyBackbone(TinyConfig.defaults()), OPTS);
        Built two = build(new TinyBackbone(TinyConfig.defaults()), new BuildOptions(Purpose.AFFINITY, true, 7));
        for (String p : one.graph().params().keySet()) {
            assertThat(one.sd().getVariable(p).getArr()).as(p).isEqualTo(two.sd().getVariable(p).getArr());
        }
    }

    /**
     * Receptive field 24 px: output cell (4, 4) of a 64×64 image sees pixels 24..47 in y and x
     * (stem cells 3..5, each 8 px). Changing every pixel outside that window leaves the cell
     * unchanged; changing one corner pixel of the window changes it.
     */
    @Test
    void receptiveFieldIs24Pixels() {
        Built built = build(new TinyBackbone(TinyConfig.defaults()), OPTS);
        INDArray x = input(1, 64, 64, 4);
        INDArray outside = input(1, 64, 64, 5);
        outside.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(24, 48), NDArrayIndex.interval(24, 48))
                .assign(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(24, 48), NDArrayIndex.interval(24, 48)));
        INDArray corner = x.dup();
        corner.putScalar(new long[] {0, 0, 47, 24}, 40.0);
        INDArray base = cell(built.run(x).get("output"));
        assertThat(cell(built.run(outside).get("output"))).isEqualTo(base);
        assertThat(cell(built.run(corner).get("conv3")).equalsWithEps(cell(built.run(x).get("conv3")), 1e-6)).isFalse();
        assertThat(cell(built.run(outside).get("output")).equalsWithEps(cell(built.run(x).get("output")), 1e-6)).isTrue();
        INDArray neighbour = built.run(outside).get("output")
                .get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(4), NDArrayIndex.point(5));
        assertThat(neighbour.equalsWithEps(built.run(x).get("output")
                .get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(4), NDArrayIndex.point(5)), 1e-6)).isFalse();
    }

    private static INDArray cell(INDArray features) {
        return features.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(4), NDArrayIndex.point(4)).dup();
    }
}
