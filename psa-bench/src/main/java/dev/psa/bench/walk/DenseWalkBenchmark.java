package dev.psa.bench.walk;

import dev.psa.randomwalk.solver.DenseWalkSolver;
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
 * The {@code dense} reference (N×N T, 8 squarings for t = 256, ≈ 4e11 FLOP at 63×47), the baseline
 * for the "sparse ≥ 100× faster" target; 126×94 is left out (N² = 1.4e8 entries, ~2.7e13 FLOP).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class DenseWalkBenchmark {
    @Param({"32x32", "63x47"})
    public String size;

    @Param({"3"})
    public int channels;

    private WalkFixture fixture;
    private DenseWalkSolver solver;

    @Setup
    public void setUp() {
        fixture = new WalkFixture(size, channels);
        solver = new DenseWalkSolver();
    }

    @Benchmark
    public INDArray walk() {
        return solver.walk(fixture.graph, fixture.scores, WalkFixture.STEPS);
    }
}
