package dev.psa.bench.backbones;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
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
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BuildOptions;
import dev.psa.runtime.PsaRuntime;

/**
 * Forward time of one image through a backbone's inference graph (REFERENCE.md crop 448×448,
 * batch 1), on whatever ND4J backend is on the classpath. Parameters are random: speed does not
 * depend on their values.
 *
 * <p>Run: {@code java -jar psa-bench/target/benchmarks.jar BackboneForwardBenchmark
 * -p backbone=resnet38,vgg16 -p size=448}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=8G"})
public class BackboneForwardBenchmark {
    @Param({"resnet38", "vgg16", "tiny"})
    public String backbone;

    @Param({"448"})
    public int size;

    private SameDiff sd;
    private String output;
    private Map<String, INDArray> feed;

    @Setup
    public void setUp() {
        Backbone b = PsaRuntime.builder().build().components().backbone(backbone).create(ComponentConfig.empty().scoped("backbone."));
        sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph g = b.build(sd, in, new BuildOptions(BuildOptions.Purpose.CLASSIFICATION, false, 1));
        output = g.output().variable().name();
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(1), 1, 3, size, size).castTo(DataType.FLOAT);
        feed = Map.of("input", x);
    }

    /** @return the output feature map [1, C, size/8, size/8] */
    @Benchmark
    public INDArray forward() {
        return sd.output(feed, output).get(output);
    }
}
