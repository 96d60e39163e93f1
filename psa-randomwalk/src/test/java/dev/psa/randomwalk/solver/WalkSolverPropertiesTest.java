package dev.psa.randomwalk.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import dev.psa.api.spi.WalkSolver;
import dev.psa.randomwalk.WalkBench;
import dev.psa.randomwalk.internal.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Properties of T = D⁻¹A and of every built-in solver (REFERENCE.md §Stage 4). */
class WalkSolverPropertiesTest {
    private static final List<WalkSolver> SOLVERS = List.of(new DenseWalkSolver(), new SparseStencilWalkSolver(1, 1),
            new SparseStencilWalkSolver(2, 4), new Nd4jStencilWalkSolver());

    @Test
    void transitionRowsSumToOneAndAIsSymmetric() {
        for (int[] size : new int[][] {{3, 2}, {1, 5}, {12, 9}}) {
            AffinityGraph a = WalkBench.randomGraph(size[0], size[1], 5, 8, 3);
            for (double s : Transition.of(a).rowSums()) {
                assertThat(s).isCloseTo(1.0, within(1e-6));
            }
            INDArray t = DenseWalkSolver.transitionMatrix(a, DataType.DOUBLE, 1000);
            int n = size[0] * size[1];
            for (int i = 0; i < n; i++) {
                assertThat(t.getRow(i).sumNumber().doubleValue()).isCloseTo(1.0, within(1e-12));
                for (int j = 0; j < n; j++) {
                    // A_ij = T_ij / T_ii because A_ii = 1, and A is symmetric
                    double aij = t.getDouble(i, j) / t.getDouble(i, i);
                    double aji = t.getDouble(j, i) / t.getDouble(j, j);
                    assertThat(aij).isCloseTo(aji, within(1e-12));
                }
            }
        }
    }

    @Test
    void aConstantMapIsAFixedPoint() {
        AffinityGraph a = WalkBench.randomGraph(7, 5, 5, 8, 4);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 2, 5, 7);
        for (WalkSolver s : SOLVERS) {
            INDArray got = s.walk(a, ones, 16);
            assertThat(got.sub(1.0).amaxNumber().doubleValue()).as(name(s)).isLessThan(1e-5);
        }
    }

    @Test
    void disconnectedComponentsNeverExchangeMass() {
        int w = 10;
        int h = 6;
        AffinityStencil stencil = AffinityStencil.of(5);
        float[] weights = new float[stencil.size() * h * w];
        for (int o = 0; o < stencil.size(); o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int px = x + stencil.dx(o);
                    // pairs on the same side of the cut between columns 4 and 5 only
                    boolean same = (x < 5) == (px < 5);
                    weights[(o * h + y) * w + x] = same ? 0.3f + 0.05f * ((x + y + o) % 7) : 0f;
                }
            }
        }
        AffinityGraph a = new AffinityGraph(stencil, Nd4j.create(weights, new long[] {stencil.size(), h, w},
                DataType.FLOAT));
        INDArray scores = Nd4j.zeros(DataType.FLOAT, 2, h, w);
        INDArray random = WalkBench.randomScores(1, 1, h, w, 11).slice(0).addi(0.1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                scores.putScalar(new int[] {x < 5 ? 0 : 1, y, x}, random.getFloat(y, x));
            }
        }
        for (WalkSolver s : SOLVERS) {
            INDArray got = s.walk(a, scores, 256);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // channel 0 started left only, channel 1 right only
                    assertThat(got.getFloat(x < 5 ? 1 : 0, y, x)).as("%s at (%d, %d)", name(s), y, x).isZero();
                    assertThat(got.getFloat(x < 5 ? 0 : 1, y, x)).isPositive();
                }
            }
        }
    }

    @Test
    void zeroStepsReturnAFloatCopy() {
        AffinityGraph a = WalkBench.randomGraph(4, 3, 5, 8, 5);
        INDArray scores = WalkBench.randomScores(3, 3, 3, 4, 12).castTo(DataType.DOUBLE);
        for (WalkSolver s : SOLVERS) {
            INDArray got = s.walk(a, scores, 0);
            assertThat(got.dataType()).isEqualTo(DataType.FLOAT);
            assertThat(got.castTo(DataType.DOUBLE).sub(scores).amaxNumber().doubleValue()).isLessThan(1e-7);
            got.assign(-1);
            assertThat(scores.minNumber().doubleValue()).as("input untouched by %s", name(s)).isGreaterThanOrEqualTo(0);
        }
    }

    /**
     * A 1×3 chain, radius 2 (only the offset (0, 1) fits): A = [[1, .5, 0], [.5, 1, .25], [0, .25, 1]],
     * so T = [[1/1.5, .5/1.5, 0], [.5/1.75, 1/1.75, .25/1.75], [0, .25/1.25, 1/1.25]]. Weights stored
     * for pairs that leave the grid (here 0.9) must be ignored.
     */
    @Test
    void handCheckedChain() {
        AffinityStencil stencil = AffinityStencil.of(2);
        assertThat(stencil.dy(0)).isZero();
        assertThat(stencil.dx(0)).isEqualTo(1);
        float[] weights = new float[stencil.size() * 3];
        java.util.Arrays.fill(weights, 0.9f);
        weights[0] = 0.5f; // (0,0)-(0,1)
        weights[1] = 0.25f; // (0,1)-(0,2)
        AffinityGraph a = new AffinityGraph(stencil, Nd4j.create(weights, new long[] {stencil.size(), 1, 3},
                DataType.FLOAT));
        INDArray x = Nd4j.create(new float[] {1, 0, 2}, new long[] {1, 1, 3}, DataType.FLOAT);
        for (WalkSolver s : SOLVERS) {
            INDArray one = s.walk(a, x, 1);
            assertThat(one.getDouble(0, 0, 0)).as(name(s)).isCloseTo(1 / 1.5, within(1e-6));
            assertThat(one.getDouble(0, 0, 1)).isCloseTo((0.5 + 0.25 * 2) / 1.75, within(1e-6));
            assertThat(one.getDouble(0, 0, 2)).isCloseTo(2 / 1.25, within(1e-6));
            INDArray two = s.walk(a, x, 2);
            assertThat(two.getDouble(0, 0, 0)).as(name(s)).isCloseTo(40.0 / 63, within(1e-6));
            assertThat(two.getDouble(0, 0, 1)).isCloseTo(548.0 / 735, within(1e-6));
            assertThat(two.getDouble(0, 0, 2)).isCloseTo(244.0 / 175, within(1e-6));
        }
    }

    @Test
    void rejectsBadArgumentsNamingBothShapes() {
        AffinityGraph a = WalkBench.randomGraph(4, 3, 5, 8, 6);
        for (WalkSolver s : SOLVERS) {
            assertThatThrownBy(() -> s.walk(a, Nd4j.zeros(DataType.FLOAT, 2, 4, 3), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[C, h, w] = [*, 3, 4]").hasMessageContaining("[2, 4, 3]");
            assertThatThrownBy(() -> s.walk(a, Nd4j.zeros(DataType.FLOAT, 2, 3, 4), -1))
                    .hasMessageContaining("steps must be >= 0, got -1");
        }
        INDArray w = a.weights().dup();
        w.putScalar(new int[] {0, 1, 1}, -0.5);
        AffinityGraph negative = new AffinityGraph(a.stencil(), w);
        for (WalkSolver s : SOLVERS) {
            assertThatThrownBy(() -> s.walk(negative, Nd4j.ones(DataType.FLOAT, 1, 3, 4), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[o=0, y=1, x=1]").hasMessageContaining("-0.5");
        }
    }

    @Test
    void denseRefusesMapsAboveItsLimit() {
        AffinityGraph a = WalkBench.randomGraph(10, 10, 5, 8, 7);
        assertThatThrownBy(() -> new DenseWalkSolver(DataType.FLOAT, 99).walk(a, Nd4j.ones(DataType.FLOAT, 1, 10, 10), 2))
                .hasMessageContaining("N = 10x10 = 100 cells").hasMessageContaining("rw.solver=sparse");
    }

    private static String name(WalkSolver s) {
        return s.getClass().getSimpleName();
    }
}
