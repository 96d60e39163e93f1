package dev.psa.bench.crf;

import dev.psa.crf.CrfBench;
import dev.psa.crf.CrfConfig;
import dev.psa.crf.DenseCrf;
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
 * One dense-CRF inference ({@link DenseCrf#inferScores}, lattice construction included), PSA's
 * settings (10 iterations, Gaussian 3/3, bilateral 80/13/10), on {@link CrfBench}'s synthetic image
 * and scores: time per image against size (250×188, a 500×375 VOC image, 1000×750 — growth should
 * be linear in pixels) and labels (3 = background + 2 classes, 21 = all). Target (issue 5, 2-core
 * machine): 500×375, 3 labels ≤ 600 ms. Run with {@code OMP_NUM_THREADS=2}; the sample mode prints
 * the median as p0.50.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class DenseCrfBenchmark {
    @Param({"250x188", "500x375", "1000x750"})
    public String size;

    @Param({"3", "21"})
    public int labels;

    /** Threads per inference; 0 = one per processor. */
    @Param({"0"})
    public int threads;

    private INDArray image;
    private INDArray scores;
    private DenseCrf crf;

    @Setup
    public void setUp() {
        int[] wh = CrfBench.parseSize(size);
        image = CrfBench.syntheticImage(wh[0], wh[1]);
        scores = CrfBench.syntheticScores(wh[0], wh[1], labels);
        crf = new DenseCrf(CrfConfig.psa(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    @Benchmark
    public INDArray inferScores() {
        return crf.inferScores(image, scores);
    }
}
