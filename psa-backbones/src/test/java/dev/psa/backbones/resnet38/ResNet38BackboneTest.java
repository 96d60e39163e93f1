package dev.psa.backbones.resnet38;

import static dev.psa.backbones.BackboneTesting.build;
import static dev.psa.backbones.BackboneTesting.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;
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

/** ResNet-38 is ~105M parameters: each graph is built once for the class; inputs are ≤ 37 px. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResNet38BackboneTest {
    private Built inference;

    /** Parameter sizes by layer, restated from REFERENCE.md's layer table (independent of the builder). */
    private static Map<String, Long> referenceTable() {
        Map<String, Long> p = new LinkedHashMap<>();
        p.put("conv1a", 3L * 3 * 3 * 64);
        basic(p, "b2", 64, 128, 128, 2);
        basic(p, "b2_1", 128, 128, 128, 1);
        basic(p, "b2_2", 128, 128, 128, 1);
        basic(p, "b3", 128, 256, 256, 2);
        basic(p, "b3_1", 256, 256, 256, 1);
        basic(p, "b3_2", 256, 256, 256, 1);
        basic(p, "b4", 256, 512, 512, 2);
        for (int i = 1; i <= 5; i++) {
            basic(p, "b4_" + i, 512, 512, 512, 1);
        }
        basic(p, "b5", 512, 512, 1024, 1);
        basic(p, "b5_1", 1024, 512, 1024, 1);
        basic(p, "b5_2", 1024, 512, 1024, 1);
        bottleneck(p, "b6", 1024, 2048);
        bottleneck(p, "b7", 2048, 4096);
        p.put("bn7", 4L * 4096);
        return p;
    }

    private static void basic(Map<String, Long> p, String n, long in, long mid, long out, int stride) {
        p.put(n + ".bn_branch2a", 4 * in);
        if (in != out || stride != 1) {
            p.put(n + ".conv_branch1", in * out);
        }
        p.put(n + ".conv_branch2a", 9 * in * mid);
        p.put(n + ".bn_branch2b1", 4 * mid);
        p.put(n + ".conv_branch2b1", 9 * mid * out);
    }

    private static void bottleneck(Map<String, Long> p, String n, long in, long out) {
        p.put(n + ".bn_branch2a", 4 * in);
        p.put(n + ".conv_branch1", in * out);
        p.put(n + ".conv_branch2a", in * out / 4);
        p.put(n + ".bn_branch2b1", 4 * (out / 4));
        p.put(n + ".conv_branch2b1", 9 * (out / 4) * (out / 2));
        p.put(n + ".bn_branch2b2", 4 * (out / 2));
        p.put(n + ".conv_branch2b2", out / 2 * out);
    }

    private static boolean frozenByReference(String layer) {
        String block = layer.split("\\.")[0];
        return layer.contains(".bn_") || layer.equals("bn7") || Set.of("conv1a", "b2", "b2_1", "b2_2").contains(block);
    }

    @BeforeAll
    void buildOnce() {
        inference = build(new ResNet38BackboneProvider().create(ComponentConfig.empty()), new BuildOptions(Purpose.CLASSIFICATION, false, 1));
    }

    @Test
    void declaresNormalisationAndTaps() {
        ResNet38Backbone b = new ResNet38Backbone(ResNet38Config.defaults());
        assertThat(b.name()).isEqualTo("resnet38");
        assertThat(b.normalization()).isEqualTo(InputNormalization.IMAGENET);
        assertThat(b.groupNormInAffinityHead()).isFalse();
        assertThat(inference.graph().affinityTaps()).extracting(FeatureTap::name).containsExactly("b5_in", "b6_in", "bn7");
        assertThat(inference.graph().affinityTaps()).extracting(FeatureTap::channels).containsExactly(512, 1024, 4096);
        assertThat(inference.graph().affinityTaps()).extracting(FeatureTap::stride).containsOnly(8);
        assertThat(inference.graph().output().channels()).isEqualTo(4096);
    }

    @Test
    void shapesAtStride8WithCeilDivision() {
        Map<String, INDArray> square = inference.run(input(1, 32, 32, 1));
        assertThat(square.get("output").shape()).containsExactly(1, 4096, 4, 4);
        assertThat(square.get("b5_in").shape()).containsExactly(1, 512, 4, 4);
        assertThat(square.get("b6_in").shape()).containsExactly(1, 1024, 4, 4);
        Map<String, INDArray> odd = inference.run(input(1, 37, 27, 2));
        assertThat(odd.get("output").shape()).containsExactly(1, 4096, 5, 4);
        assertThat(odd.get("b5_in").shape()).containsExactly(1, 512, 5, 4);
        assertThat(odd.get("b6_in").shape()).containsExactly(1, 1024, 5, 4);
        assertThat(odd.get("output").minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(odd.get("b5_in").minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void parameterCountsMatchTheLayerTable() {
        Map<String, Long> table = referenceTable();
        long total = table.values().stream().mapToLong(Long::longValue).sum();
        long trainable = table.entrySet().stream().filter(e -> !frozenByReference(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(total).isEqualTo(105_118_656L);
        assertThat(inference.count(r -> true)).isEqualTo(total);
        assertThat(inference.count(r -> r != ParamRole.FROZEN)).isEqualTo(trainable).isEqualTo(104_202_240L);
        Set<String> layers = new TreeSet<>();
        inference.graph().params().keySet().forEach(k -> layers.add(k.substring(0, k.lastIndexOf('.'))));
        assertThat(layers).isEqualTo(new TreeSet<>(table.keySet()));
        assertThat(BackboneStats.of(new ResNet38Backbone(ResNet38Config.defaults())).detailsLine())
                .isEqualTo("resnet38 params=104202240");
    }

    @Test
    void variableNamesAreTheCheckpointKeysWithRoles() {
        Map<String, ParamRole> params = inference.graph().params();
        assertThat(params).containsEntry("conv1a.weight", ParamRole.FROZEN)
                .containsEntry("b2.conv_branch2a.weight", ParamRole.FROZEN)
                .containsEntry("b2_2.conv_branch2b1.weight", ParamRole.FROZEN)
                .containsEntry("b3.conv_branch1.weight", ParamRole.WEIGHT)
                .containsEntry("b7.conv_branch2b2.weight", ParamRole.WEIGHT)
                .containsEntry("b4_3.bn_branch2a.running_mean", ParamRole.FROZEN)
                .containsEntry("b6.bn_branch2b2.running_var", ParamRole.FROZEN)
                .containsEntry("bn7.weight", ParamRole.FROZEN)
                .containsEntry("bn7.bias", ParamRole.FROZEN)
                .doesNotContainKey("b2_1.conv_branch1.weight");
        assertThat(params).hasSize(191);
        assertThat(params.values()).doesNotContain(ParamRole.BIAS, ParamRole.NEW_WEIGHT, ParamRole.NEW_BIAS);
        assertThat(inference.sd().getVariable("b2.conv_branch2a.weight").getArr().shape()).containsExactly(3, 3, 64, 128);
        assertThat(inference.sd().getVariable("b7.conv_branch2b2.weight").getArr().shape()).containsExactly(1, 1, 2048, 4096);
        for (Map.Entry<String, ParamRole> e : params.entrySet()) {
            boolean frozen = frozenByReference(e.getKey().substring(0, e.getKey().lastIndexOf('.')));
            assertThat(e.getValue() == ParamRole.FROZEN).as(e.getKey()).isEqualTo(frozen);
        }
    }

    @Test
    void inferenceIsDeterministic() {
        INDArray x = input(1, 32, 32, 3);
        assertThat(inference.run(x).get("output")).isEqualTo(inference.run(x).get("output"));
    }

    /** Dropout (b6, b7) only in training graphs; frozen parameters survive a gradient step. */
    @Test
    void trainingGraphHasDropoutAndFrozenParamsStayPut() {
        Built training = build(new ResNet38Backbone(ResNet38Config.defaults()), new BuildOptions(Purpose.AFFINITY, true, 1));
        INDArray x = input(1, 32, 32, 4);
        Nd4j.getRandom().setSeed(11);
        INDArray a = training.run(x).get("output");
        INDArray b = training.run(x).get("output");
        assertThat(a.equalsWithEps(b, 1e-4)).isFalse();
        INDArray clean = inference.run(x).get("output");
        assertThat(a.equalsWithEps(clean, 1e-4)).isFalse();

        Map<String, INDArray> before = GradientStep.step(training.sd(), training.graph(), x, 0.1);
        int changed = 0;
        for (Map.Entry<String, ParamRole> e : training.graph().params().entrySet()) {
            INDArray now = training.sd().getVariable(e.getKey()).getArr();
            if (e.getValue() == ParamRole.FROZEN) {
                assertThat(now).as(e.getKey()).isEqualTo(before.get(e.getKey()));
            } else if (!GradientStep.summary(now).equals(before.get(e.getKey()))) {
                changed++;
            }
        }
        long trainableTensors = training.graph().params().values().stream().filter(r -> r != ParamRole.FROZEN).count();
        assertThat(changed).isEqualTo((int) trainableTensors);
    }

    @Test
    void configKeysAndValidation() {
        ComponentConfig root = ComponentConfig.ofStrings(Map.of("backbone.resnet38.b6-dropout", "0.1",
                "backbone.resnet38.frozen", "conv1a,b2"));
        ResNet38Backbone b = (ResNet38Backbone) new ResNet38BackboneProvider().create(root.scoped("backbone."));
        assertThat(b.config()).isEqualTo(new ResNet38Config(0.1, 0.5, List.of("conv1a", "b2")));
        assertThatThrownBy(() -> new ResNet38Config(1.5, 0.5, List.of("b9")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backbone.resnet38.b6-dropout")
                .hasMessageContaining("unknown layer 'b9'");
    }
}
