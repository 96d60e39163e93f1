package dev.psa.randomwalk.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psa.api.AffinityGraph;
import dev.psa.api.spi.WalkSolver;
import dev.psa.randomwalk.WalkBench;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * sparse and nd4j-stencil agree with dense (REFERENCE.md §Stage 4: "256 sparse steps give the same
 * result up to float rounding") within 1e-5 of the largest score, on random graphs of several sizes:
 * square, non-square, thinner than the radius, a single cell.
 */
class WalkSolverAgreementTest {
    private static final WalkSolver DENSE_DOUBLE = new DenseWalkSolver(DataType.DOUBLE, 4096);
    private static final WalkSolver DENSE = new DenseWalkSolver();
    private static final WalkSolver SPARSE = new SparseStencilWalkSolver(1, 1);
    /** Three workers: one or more channels each where there are three channels or more. */
    private static final WalkSolver SPARSE_BY_CHANNEL = new SparseStencilWalkSolver(3, 8);
    /** Four workers over fewer channels: cell ranges with a barrier per step. */
    private static final WalkSolver SPARSE_BY_CELLS = new SparseStencilWalkSolver(4, 8);
    private static final WalkSolver ND4J = new Nd4jStencilWalkSolver();

    static Stream<Arguments> cases() {
        return Stream.of(
                // width, height, channels (non-zero first), steps
                Arguments.of(1, 1, 2, 256),
                Arguments.of(3, 2, 3, 256),
                Arguments.of(2, 7, 2, 7),
                Arguments.of(4, 4, 3, 1),
                Arguments.of(11, 6, 3, 256),
                Arguments.of(9, 17, 4, 100),
                Arguments.of(24, 20, 3, 256),
                Arguments.of(31, 13, 21, 64));
    }

    @ParameterizedTest(name = "{0}x{1}, {2} channels, t = {3}")
    @MethodSource("cases")
    void stencilSolversMatchDenseReference(int width, int height, int channels, int steps) {
        long seed = 1000L * width + height;
        AffinityGraph a = WalkBench.randomGraph(width, height, 5, 8, seed);
        // 2 zero channels after the non-zero ones: they must stay exactly zero
        INDArray scores = WalkBench.randomScores(channels + 2, channels, height, width, seed + 7);

        INDArray oracle = DENSE_DOUBLE.walk(a, scores, steps);
        double scale = oracle.amaxNumber().doubleValue();
        assertThat(scale).isPositive();

        for (WalkSolver s : new WalkSolver[] {DENSE, SPARSE, SPARSE_BY_CHANNEL, SPARSE_BY_CELLS}) {
            assertAgrees(s, a, scores, steps, channels, oracle, scale);
        }
        // the ND4J formulation costs ~3 op launches per step: full t on the small maps, fewer steps elsewhere
        int ndSteps = width * height <= 16 ? steps : Math.min(steps, 24);
        INDArray ndOracle = ndSteps == steps ? oracle : DENSE_DOUBLE.walk(a, scores, ndSteps);
        assertAgrees(ND4J, a, scores, ndSteps, channels, ndOracle, ndOracle.amaxNumber().doubleValue());
    }

    private static void assertAgrees(WalkSolver s, AffinityGraph a, INDArray scores, int steps, int channels,
            INDArray oracle, double scale) {
        INDArray got = s.walk(a, scores, steps);
        assertThat(got.shape()).containsExactly(channels + 2, a.height(), a.width());
        assertThat(got.dataType()).isEqualTo(DataType.FLOAT);
        double diff = got.castTo(DataType.DOUBLE).sub(oracle).amaxNumber().doubleValue();
        assertThat(diff / scale).as("%s max relative difference after %d steps", s.getClass().getSimpleName(), steps)
                .isLessThan(1e-5);
        for (int c = channels; c < channels + 2; c++) {
            assertThat(got.slice(c).amaxNumber().doubleValue()).as("zero channel %d", c).isZero();
        }
    }
}
