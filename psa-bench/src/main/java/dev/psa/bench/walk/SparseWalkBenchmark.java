package dev.psa.bench.walk;

import dev.psa.randomwalk.solver.SparseStencilWalkSolver;
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

/**
 * The {@code sparse} solver, t = 256, γ = 5, β = 8: time per image against map size (32×32, a
 * 500×375 VOC image's 63×47, and 126×94 ≈ the same image at stride 4) and non-zero channels (3 =
 * background + 2 classes, 21 = all). Targets (issue 6, 2-core machine): 63×47 ≤ 30 ms with 3
 * channels, ≤ 150 ms with 21; linear in cells. Run with {@code OMP_NUM_THREADS=2}; the sample mode
 * prints the median as p0.50.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class SparseWalkBenchmark {
    @Param({"32x32", "63x47", "126x94"})
    public String size;

    @Param({"3", "21"})
    public int channels;

    private WalkFixture fixture;
    private SparseStencilWalkSolver solver;

    @Setup
    public void setUp() {
        fixture = new WalkFixture(size, channels);
        solver = new SparseStencilWalkSolver();
    }

    @Benchmark
    public INDArray walk() {
        return solver.walk(fixture.graph, fixture.scores, WalkFixture.STEPS);
    }
}
