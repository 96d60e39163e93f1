package dev.psa.cli.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.TreeMap;
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
import dev.psa.backbones.resnet38.ResNet38BackboneProvider;
import dev.psa.backbones.tiny.TinyBackboneProvider;
import dev.psa.backbones.vgg16.Vgg16BackboneProvider;
import dev.psa.cam.CamConfig;
import dev.psa.cam.ClassifierNet;
import dev.psa.cam.MultiScaleCam;

/**
 * The build the distribution runs on most CPUs: with nd4j-native's oneDNN build loaded (this class
 * runs in its own surefire execution with {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn},
 * see psa-cli's pom), the eager path's CAMs (oneDNN convolutions) against the SameDiff graph's (ND4J's
 * own kernels, helpers off), both measured against float64, on every built-in backbone: default scales
 * × flip, random weights and batch-norm statistics, 64×48 and an odd size; the measured errors are
 * printed. (With the generic build, psa-cam's EagerCamTest holds the two within 1e-5 of the maximum.)
 */
class OneDnnEagerCamTest {
    @BeforeAll
    static void oneDnnBuildIsLoaded() {
        assumeTrue(System.getProperty(NativeHelpers.PLATFORM_EXTENSION, "").contains("onednn"),
                "runs in psa-cli's onednn surefire execution only");
        assumeTrue(Nd4j.getEnvironment().isCPU(), "CPU backend only");
        assertThat(NativeHelpers.onednn()).isTrue();
        assertThat(Loader.getLoadedLibraries().values()).as("JavaCPP loaded the oneDNN build's libraries")
                .anyMatch(path -> path.contains("linux-x86_64-onednn"));
    }

    private static void randomiseFrozen(ClassifierNet net, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        // in name order: roles() is an immutable map whose iteration order changes from run to run
        for (Map.Entry<String, ParamRole> e : new TreeMap<>(net.roles()).entrySet()) {
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
     * Tolerance of the eager path with oneDNN against float64, relative to the maximum. ND4J's oneDNN
     * convolution sums each output's k·k·C products in another order than ND4J's im2col + sgemm, and
     * on these random nets (VGG16: 15 convolutions without batch norm, sqrt CAMs) its float32 rounding
     * is larger than the graph's: with these draws up to 1.55e-5 (VGG16 one pass; graph 4.1e-6), and
     * up to 2.8e-5 (VGG16) and 1.2e-5 (ResNet-38) over other draws of the random nets; so the 1e-5
     * of issue 17 is not met with this build.
     */
    private static final double ONEDNN_TOLERANCE = 5e-5;

    @ParameterizedTest(name = "{0} {2}x{1}")
    @CsvSource({"tiny, 48, 64", "resnet38, 48, 64", "resnet38, 37, 50", "vgg16, 48, 64", "vgg16, 45, 31"})
    void eagerCamsWithOneDnnWithin5e5OfFloat64(String backbone, int h, int w) {
        Backbone b = backboneNamed(backbone);
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
        assertThat(eagerErr).as(backbone + " eager vs float64").isLessThanOrEqualTo(ONEDNN_TOLERANCE);
        // one pass, before any normalisation
        INDArray input = b.normalization().apply(image.reshape(1, 3, h, w));
        double rawEager = relErr(net.camNetwork().cams(input), net.float64CamNetwork().cams(input));
        double rawGraph = relErr(net.graphCamNetwork().cams(input), net.float64CamNetwork().cams(input));
        System.out.printf("oneDNN %s %dx%d one pass: eager-vs-float64 %.2e, graph-vs-float64 %.2e%n", backbone, w, h,
                rawEager, rawGraph);
        assertThat(rawEager).as(backbone + " one pass eager vs float64").isLessThanOrEqualTo(ONEDNN_TOLERANCE);
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
