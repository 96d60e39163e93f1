package dev.psa.bench.walk;

import dev.psa.randomwalk.solver.Nd4jStencilWalkSolver;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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

/** The {@code nd4j-stencil} solver (im2col formulation, meant for CUDA) on the 63×47 map, t = 256. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class Nd4jStencilWalkBenchmark {
    @Param({"63x47"})
    public String size;

    @Param({"3", "21"})
    public int channels;

    private WalkFixture fixture;
    private Nd4jStencilWalkSolver solver;

    @Setup
    public void setUp() {
        fixture = new WalkFixture(size, channels);
        solver = new Nd4jStencilWalkSolver();
    }

    @Benchmark
    public INDArray walk() {
        return solver.walk(fixture.graph, fixture.scores, WalkFixture.STEPS);
    }
}
