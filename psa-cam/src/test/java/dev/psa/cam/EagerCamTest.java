package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.Backbones;

/**
 * The cams stage's CAMs with the backbones' eager inference path ({@link ClassifierNet#camNetwork}) equal
 * those of SameDiff running the classifier graph ({@link ClassifierNet#graphCamNetwork}), the path
 * before issue 17: default scales 1, 0.5, 1.5, 2 × flip, random weights with random batch-norm
 * statistics, on every built-in backbone (VGG16 with its sqrt CAMs) at 64×48 and at an odd size.
 */
class EagerCamTest {
    /** Batch-norm statistics and affines, conv biases: random values of realistic size. */
    private static void randomiseFrozen(ClassifierNet net, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (Map.Entry<String, ParamRole> e : net.roles().entrySet()) {
            String name = e.getKey();
            INDArray a = net.graph().getVariable(name).getArr();
            if (name.endsWith(".running_var") || (e.getValue() == ParamRole.FROZEN && name.endsWith(".weight")
                    && a.rank() == 1)) {
                a.assign(Nd4j.rand(rng, a.shape()).castTo(DataType.FLOAT).addi(0.5));
            } else if (name.endsWith(".running_mean") || name.endsWith(".bias")) {
                a.assign(Nd4j.randn(rng, a.shape()).castTo(DataType.FLOAT).muli(0.1));
            }
        }
    }

    private static void assertEagerCamsEqualGraphCams(String backbone, int h, int w) {
        Backbone b = Backbones.byName(backbone, ComponentConfig.empty());
        CamConfig config = CamConfig.defaults();
        ClassifierNet net = ClassifierNet.build(b, 20, false, config.sqrtFor(backbone), 3);
        randomiseFrozen(net, 5);
        INDArray image = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(9), 3, h, w).castTo(DataType.FLOAT)
                .muli(255);
        int[] classes = {1, 7, 15, 20};
        CamSet eager = new MultiScaleCam(net.camNetwork(), b.normalization(), config, 20).compute("x", image, classes);
        CamSet graph = new MultiScaleCam(net.graphCamNetwork(), b.normalization(), config, 20)
                .compute("x", image, classes);
        assertThat(eager.cams().shape()).isEqualTo(new long[] {4, h, w});
        // each class peaks at ~1 (divided by its maximum): the difference is relative to that maximum
        assertThat(graph.cams().maxNumber().doubleValue()).isGreaterThan(0.99);
        assertThat(eager.cams().sub(graph.cams()).amaxNumber().doubleValue()).as(backbone).isLessThan(1e-5);
        // both within 1e-5 of float64 (the eager path computing in DOUBLE)
        CamSet exact = new MultiScaleCam(net.float64CamNetwork(), b.normalization(), config, 20)
                .compute("x", image, classes);
        INDArray ref = exact.cams().castTo(DataType.DOUBLE);
        assertThat(eager.cams().castTo(DataType.DOUBLE).sub(ref).amaxNumber().doubleValue()).as(backbone + " vs float64")
                .isLessThan(1e-5);
        // and the raw maps of one pass, before any normalisation
        INDArray input = b.normalization().apply(image.reshape(1, 3, h, w));
        INDArray e = net.camNetwork().cams(input);
        INDArray g = net.graphCamNetwork().cams(input);
        assertThat(g.amaxNumber().doubleValue()).isGreaterThan(1e-3);
        assertThat(e.sub(g).amaxNumber().doubleValue()).as(backbone).isLessThan(1e-5 * g.amaxNumber().doubleValue());
    }

    @ParameterizedTest(name = "{0} {2}x{1}")
    @CsvSource({"tiny, 48, 64", "tiny, 37, 50", "resnet38, 48, 64", "resnet38, 37, 50", "vgg16, 48, 64",
            "vgg16, 45, 31"})
    void eagerCamsEqualGraphCams(String backbone, int h, int w) {
        assertEagerCamsEqualGraphCams(backbone, h, w);
    }
}
