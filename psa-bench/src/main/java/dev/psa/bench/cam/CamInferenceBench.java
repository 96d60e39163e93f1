package dev.psa.bench.cam;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import dev.psa.api.CamSet;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.runtime.PsaRuntime;
import dev.psa.cam.CamConfig;
import dev.psa.cam.ClassifierNet;
import dev.psa.cam.MultiScaleCam;

/**
 * CAM inference time per image (REFERENCE.md §Stage 1): the classifier (randomly initialised; the
 * time does not depend on the weights) on one {@code size}×{@code size} image, multi-scale
 * (1.0, 0.5, 1.5, 2.0) × flip = 8 passes, bilinear upsampling, normalisation; two present classes
 * of 20. Single-shot: every invocation is one image.
 *
 * <p>Short run: {@code java -cp psa-bench/target/benchmarks.jar dev.psa.bench.cam.CamInferenceBench
 * [backbone [size [scales [flip [warmups [measurements]]]]]]} (default one warm-up and three
 * measured images), or through JMH:
 * {@code java -jar psa-bench/target/benchmarks.jar CamInferenceBench -p backbone=resnet38 -p size=448}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=20G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=24G"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class CamInferenceBench {
    /** Backbone provider name. */
    @Param({"resnet38"})
    public String backbone;

    /** Image side in pixels. */
    @Param({"448"})
    public int size;

    /** The scales of the passes. */
    @Param({"1.0,0.5,1.5,2.0"})
    public String scales;

    /** Whether every scale also runs flipped. */
    @Param({"true"})
    public boolean flip;

    private MultiScaleCam msc;
    private INDArray image;

    @Setup
    public void setup() {
        Backbone b = PsaRuntime.builder().build().components().backbone(backbone).create(ComponentConfig.empty().scoped("backbone."));
        CamConfig config = CamConfig.from(ComponentConfig.ofStrings(Map.of("scales", scales, "flip",
                Boolean.toString(flip), "batch-size", "1")));
        ClassifierNet net = ClassifierNet.build(b, 20, false, config.sqrtFor(b.name()), 1);
        msc = new MultiScaleCam(net.camNetwork(), b.normalization(), config, 20);
        Nd4j.getRandom().setSeed(1);
        image = Nd4j.rand(DataType.FLOAT, 3, size, size).muli(255);
    }

    @Benchmark
    public CamSet multiScaleFlip() {
        return msc.compute("bench", image, new int[] {1, 15});
    }

    /** A short run: args [backbone [size [scales [flip [warmups [measurements]]]]]]. */
    public static void main(String[] args) throws RunnerException {
        OptionsBuilder o = new OptionsBuilder();
        o.include(CamInferenceBench.class.getName() + ".multiScaleFlip");
        if (args.length > 0) {
            o.param("backbone", args[0]);
        }
        if (args.length > 1) {
            o.param("size", args[1]);
        }
        if (args.length > 2) {
            o.param("scales", args[2]);
        }
        if (args.length > 3) {
            o.param("flip", args[3]);
        }
        int warmups = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int measurements = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        new Runner(o.warmupIterations(warmups).measurementIterations(measurements).forks(1).build()).run();
    }
}
