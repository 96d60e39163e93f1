package dev.psa.backbones.vgg16;

import static dev.psa.backbones.BackboneTesting.build;
import static dev.psa.backbones.BackboneTesting.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.InputNormalization;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.BuildOptions.Purpose;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.BackboneTesting.Built;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.GradientStep;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Vgg16BackboneTest {
    private Built classification;

    @BeforeAll
    void buildOnce() {
        classification = build(new Vgg16BackboneProvider().create(ComponentConfig.empty()),
                new BuildOptions(Purpose.CLASSIFICATION, false, 3));
    }

    @Test
    void declaresNormalisationTapsAndGroupNorm() {
        Vgg16Backbone b = new Vgg16Backbone(Vgg16Config.defaults());
        assertThat(b.name()).isEqualTo("vgg16");
        assertThat(b.normalization()).isEqualTo(InputNormalization.CAFFE_BGR);
        assertThat(b.groupNormInAffinityHead()).isTrue();
        assertThat(classification.graph().affinityTaps()).extracting(FeatureTap::name)
                .containsExactly("conv4_3", "conv5_3", "fc7");
        assertThat(classification.graph().affinityTaps()).extracting(FeatureTap::channels).containsExactly(512, 512, 1024);
        assertThat(classification.graph().affinityTaps()).extracting(FeatureTap::stride).containsOnly(8);
    }

    @Test
    void shapesAtStride8WithCeilDivision() {
        Map<String, INDArray> square = classification.run(input(2, 64, 64, 1));
        assertThat(square.get("output").shape()).containsExactly(2, 1024, 8, 8);
        assertThat(square.get("conv4_3").shape()).containsExactly(2, 512, 8, 8);
        assertThat(square.get("conv5_3").shape()).containsExactly(2, 512, 8, 8);
        Map<String, INDArray> odd = classification.run(input(1, 75, 61, 2));
        assertThat(odd.get("output").shape()).containsExactly(1, 1024, 10, 8);
        assertThat(odd.get("conv4_3").shape()).containsExactly(1, 512, 10, 8);
        assertThat(odd.get("conv5_3").shape()).containsExactly(1, 512, 10, 8);
    }

    @Test
    void parameterCountsMatchTheLayerTable() {
        // REFERENCE.md: conv1_1..conv5_3 3×3 with bias, fc6 3×3 512→1024, fc7 1×1 1024→1024.
        int[][] widths = {{3, 64}, {64, 64}, {64, 128}, {128, 128}, {128, 256}, {256, 256}, {256, 256},
            {256, 512}, {512, 512}, {512, 512}, {512, 512}, {512, 512}, {512, 512}};
        long total = 0;
        long frozen = 0;
        for (int i = 0; i < widths.length; i++) {
            long n = 9L * widths[i][0] * widths[i][1] + widths[i][1];
            total += n;
            frozen += i < 4 ? n : 0;
        }
        total += 9L * 512 * 1024 + 1024 + 1024L * 1024 + 1024;
        assertThat(total).isEqualTo(20_483_904L);
        assertThat(classification.count(r -> true)).isEqualTo(total);
        assertThat(classification.count(r -> r != ParamRole.FROZEN)).isEqualTo(total - frozen);
        assertThat(classification.graph().params()).hasSize(30)
                .containsEntry("conv1_1.weight", ParamRole.FROZEN).containsEntry("conv2_2.bias", ParamRole.FROZEN)
                .containsEntry("conv3_1.weight", ParamRole.WEIGHT).containsEntry("conv3_1.bias", ParamRole.BIAS)
                .containsEntry("fc6.weight", ParamRole.WEIGHT).containsEntry("fc7.bias", ParamRole.BIAS);
        assertThat(classification.sd().getVariable("fc6.weight").getArr().shape()).containsExactly(3, 3, 512, 1024);
        assertThat(BackboneStats.trainableParams(new Vgg16Backbone(Vgg16Config.defaults()))).isEqualTo(20_223_744L);
    }

    @Test
    void fc6DilationDependsOnPurpose() {
        Built affinity = build(new Vgg16Backbone(Vgg16Config.defaults()), new BuildOptions(Purpose.AFFINITY, false, 3));
        assertThat(dilation(classification, "fc6/conv")).isEqualTo(1);
        assertThat(dilation(affinity, "fc6/conv")).isEqualTo(4);
        assertThat(dilation(affinity, "conv5_2/conv")).isEqualTo(2);
        assertThat(dilation(affinity, "conv4_3/conv")).isEqualTo(1);
        INDArray x = input(1, 64, 64, 5);
        INDArray a = affinity.run(x).get("output");
        assertThat(a.shape()).containsExactly(1, 1024, 8, 8);
        assertThat(a.equalsWithEps(classification.run(x).get("output"), 1e-4)).isFalse();
        assertThat(affinity.run(x).get("conv5_3")).isEqualTo(classification.run(x).get("conv5_3"));
    }

    @Test
    void dropoutOnlyInTrainingAndFrozenParamsStayPut() {
        INDArray x = input(1, 32, 32, 4);
        assertThat(classification.run(x).get("output")).isEqualTo(classification.run(x).get("output"));
        Built training = build(new Vgg16Backbone(Vgg16Config.defaults()), new BuildOptions(Purpose.CLASSIFICATION, true, 3));
        Nd4j.getRandom().setSeed(42);
        INDArray a = training.run(x).get("output");
        INDArray b = training.run(x).get("output");
        Nd4j.getRandom().setSeed(42);
        INDArray again = training.run(x).get("output");
        assertThat(a.equalsWithEps(b, 1e-4)).isFalse();
        assertThat(a).isEqualTo(again);
        assertThat(training.run(x).get("conv5_3")).isEqualTo(classification.run(x).get("conv5_3"));

        Map<String, INDArray> before = GradientStep.step(training.sd(), training.graph(), x, 0.01);
        for (Map.Entry<String, ParamRole> e : training.graph().params().entrySet()) {
            INDArray now = training.sd().getVariable(e.getKey()).getArr();
            if (e.getValue() == ParamRole.FROZEN) {
                assertThat(now).as(e.getKey()).isEqualTo(before.get(e.getKey()));
            } else if (e.getKey().endsWith(".weight")) {
                assertThat(GradientStep.summary(now)).as(e.getKey() + " changed").isNotEqualTo(before.get(e.getKey()));
            }
        }
    }

    @Test
    void configKeysAndValidation() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("backbone.vgg16.fc6-dilation-affinity", "2",
                "backbone.vgg16.frozen", "conv1_1"));
        Vgg16Backbone b = (Vgg16Backbone) new Vgg16BackboneProvider().create(root.scoped("backbone."));
        assertThat(b.config()).isEqualTo(new Vgg16Config(1, 2, 0.5, List.of("conv1_1")));
        assertThat(b.fc6Dilation(Purpose.AFFINITY)).isEqualTo(2);
        assertThatThrownBy(() -> new Vgg16Config(0, 4, 1.0, List.of("conv9_9")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backbone.vgg16.fc6-dilation-classification")
                .hasMessageContaining("backbone.vgg16.dropout")
                .hasMessageContaining("unknown layer 'conv9_9'");
    }

    private static long dilation(Built built, String convOutput) {
        return ((Conv2D) built.sd().getVariableOutputOp(convOutput)).getConfig().getDH();
    }
}
