package dev.psa.backbones.inference;

import static dev.psa.backbones.BackboneTesting.build;
import static dev.psa.backbones.BackboneTesting.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.BuildOptions.Purpose;
import dev.psa.api.spi.EagerInference;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.BackboneTesting.Built;
import dev.psa.api.spi.Backbone;
import dev.psa.backbones.resnet38.ResNet38BackboneProvider;
import dev.psa.backbones.tiny.TinyBackboneProvider;
import dev.psa.backbones.vgg16.Vgg16BackboneProvider;

/**
 * The eager path against SameDiff running the same graph, on every built-in backbone, with random
 * batch-norm statistics and biases (so folding them is exercised), odd image sizes (so every
 * space-to-batch phase is ragged) and every tap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EagerInferenceTest {
    private static final BuildOptions INFER = new BuildOptions(Purpose.CLASSIFICATION, false, 7);
    private Built resnet38;

    @BeforeAll
    void buildResNet38() {
        resnet38 = build(backboneNamed("resnet38"), INFER);
        randomiseFrozenStatsAndBiases(resnet38, 11);
    }

    /** Batch-norm γ, β, mean, var and conv biases to random values of realistic size. */
    static void randomiseFrozenStatsAndBiases(Built b, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (Map.Entry<String, ParamRole> e : b.graph().params().entrySet()) {
            String name = e.getKey();
            INDArray a = b.sd().getVariable(name).getArr();
            if (name.endsWith(".running_var") || (e.getValue() == ParamRole.FROZEN && name.endsWith(".weight")
                    && a.rank() == 1)) {
                a.assign(Nd4j.rand(rng, a.shape()).castTo(DataType.FLOAT).muli(1.0).addi(0.5));
            } else if (name.endsWith(".running_mean") || name.endsWith(".bias")) {
                a.assign(Nd4j.randn(rng, a.shape()).castTo(DataType.FLOAT).muli(0.1));
            }
        }
    }

    /** Largest |eager − graph| over the largest |graph|, for the output and each tap. */
    private static void assertEagerEqualsGraph(Built b, INDArray images, double relTol) {
        Map<String, INDArray> expected = b.run(images);
        INDArray before = images.dup();
        check(b, b.graph().output(), expected.get("output"), images, relTol);
        for (FeatureTap t : b.graph().affinityTaps()) {
            check(b, t, expected.get(t.name()), images, relTol);
        }
        assertThat(images.equals(before)).as("input left unchanged").isTrue();
    }

    private static void check(Built b, FeatureTap tap, INDArray expected, INDArray images, double relTol) {
        EagerInference.Forward f = b.graph().eager().orElseThrow().compile(b.sd(), tap.variable().name());
        INDArray got = f.apply(images);
        assertThat(got.shape()).as(tap.name()).isEqualTo(expected.shape());
        double max = expected.amaxNumber().doubleValue();
        assertThat(max).as(tap.name() + " is not trivially zero").isGreaterThan(1e-3);
        assertThat(got.sub(expected).amaxNumber().doubleValue()).as(tap.name()).isLessThanOrEqualTo(relTol * max);
    }

    @Test
    void resnet38EagerEqualsItsGraphOnOutputAndTaps() {
        assertEagerEqualsGraph(resnet38, input(2, 37, 45, 3), 1e-5);
    }

    @Test
    void oneCompiledPassServesImagesOfChangingSizesReusingBuffersWhileTheSizeStays() {
        String out = resnet38.graph().output().variable().name();
        EagerForward f = (EagerForward) resnet38.graph().eager().orElseThrow().compile(resnet38.sd(), out);
        Map<String, Long> firstPass = new java.util.HashMap<>();
        for (int[] size : new int[][] {{2, 45, 37}, {2, 45, 37}, {1, 29, 61}, {2, 17, 20}, {2, 45, 37}}) {
            INDArray images = input(size[0], size[1], size[2], size[1]);
            INDArray expected = resnet38.run(images).get("output");
            INDArray got = f.apply(images);
            assertThat(got.sub(expected).amaxNumber().doubleValue()).as("size %dx%d", size[1], size[2])
                    .isLessThanOrEqualTo(1e-5 * expected.amaxNumber().doubleValue());
            String key = size[0] + "x" + size[1] + "x" + size[2];
            // the same size again reuses every buffer; another size frees the pool first, so it holds
            // the buffers of one size only: as many bytes as after that size's first pass
            Long before = firstPass.putIfAbsent(key, f.pooledBytes());
            if (before != null) {
                assertThat(f.pooledBytes()).as("pool after a %s pass", key).isEqualTo(before);
            }
        }
        assertThat(firstPass.get("2x45x37")).isGreaterThan(firstPass.get("2x17x20"));
    }

    @Test
    void resnet38BatchNormsAreFoldedIntoTheConvolutionsBeforeThem() {
        EagerForward f = (EagerForward) resnet38.graph().eager().orElseThrow()
                .compile(resnet38.sd(), resnet38.graph().output().variable().name());
        // counted from REFERENCE.md's layer table: per basic block BN+ReLU, conv_branch2a with
        // bn_branch2b1 and its ReLU folded in, conv_branch2b1, the sum (+ conv_branch1 unless the shapes
        // match): 11 × 4 + 4 × 5; per bottleneck BN+ReLU, conv_branch1, 2a (+BN+ReLU), 2b1 (+BN+ReLU),
        // 2b2, the sum: 2 × 6; bn7+ReLU; and conv1a, which absorbs b2's BN+ReLU (b2 reads conv1a only
        // through them: its shortcut is conv_branch1 of the BN+ReLU'd input)
        assertThat(f.kernels()).isEqualTo(11 * 4 + 4 * 5 + 2 * 6 + 1 + 1 - 1);
    }

    @Test
    void vgg16EagerEqualsItsGraphForBothPurposes() {
        for (Purpose p : Purpose.values()) {
            Built vgg = build(backboneNamed("vgg16"), new BuildOptions(p, false, 5));
            randomiseFrozenStatsAndBiases(vgg, 13);
            assertEagerEqualsGraph(vgg, input(1, 29, 35, 4), 1e-5);
        }
    }

    @Test
    void tinyEagerEqualsItsGraphIncludingSamePaddedStems() {
        Built tiny = build(backboneNamed("tiny"), INFER);
        randomiseFrozenStatsAndBiases(tiny, 17);
        assertEagerEqualsGraph(tiny, input(3, 75, 61, 5), 1e-5);
    }

    @Test
    void trainingGraphsAndForeignVariablesAreRefused() {
        Built training = build(backboneNamed("vgg16"), new BuildOptions(Purpose.CLASSIFICATION,
                true, 1));
        EagerInference eager = training.graph().eager().orElseThrow();
        assertThatThrownBy(() -> eager.compile(training.sd(), "fc7/relu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout");
        // conv5_3 comes before the dropout: fine
        assertThat(eager.compile(training.sd(), "conv5_3/relu")).isNotNull();
        assertThatThrownBy(() -> eager.compile(training.sd(), "no_such_variable"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_variable");
    }

    /** A built-in backbone with default options, by name (the providers directly: no discovery in this test). */
    private static Backbone backboneNamed(String name) {
        return switch (name) {
            case "tiny" -> new TinyBackboneProvider().create(ComponentConfig.empty());
            case "resnet38" -> new ResNet38BackboneProvider().create(ComponentConfig.empty());
            case "vgg16" -> new Vgg16BackboneProvider().create(ComponentConfig.empty());
            default -> throw new IllegalArgumentException("no built-in backbone '" + name + "'");
        };
    }
}
