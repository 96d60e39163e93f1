package dev.psa.randomwalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.AffinityGraph;
import dev.psa.api.AffinityStencil;
import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.randomwalk.solver.DenseWalkSolver;
import dev.psa.randomwalk.solver.SparseStencilWalkSolver;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PseudoLabelerTest {
    private static final RwConfig CFG = RwConfig.defaults();

    /** A 24×16 image: class 1 lit on the left third, class 15 on the right third, nothing between. */
    private static CamSet cams() {
        INDArray m = Nd4j.zeros(DataType.FLOAT, 2, 16, 24);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 8; x++) {
                m.putScalar(new int[] {0, y, x}, 1.0);
                m.putScalar(new int[] {1, y, x + 16}, 1.0);
            }
        }
        return new CamSet("toy", new int[] {1, 15}, m);
    }

    @Test
    void withoutAffinitiesTheWalkIsTheIdentity() {
        AffinityGraph none = new AffinityGraph(AffinityStencil.of(5), Nd4j.zeros(DataType.FLOAT, 34, 2, 3));
        PseudoLabeler.Result r = PseudoLabeler.run(cams(), none, 21, CFG, new SparseStencilWalkSolver());
        assertThat(r.walked().scores().sub(r.initial().scores()).amaxNumber().doubleValue()).isLessThan(1e-6);
        LabelMap labels = r.labels();
        assertThat(labels.height()).isEqualTo(16);
        assertThat(labels.width()).isEqualTo(24);
        // cell centres: x = 3 (class 1), x = 11 (background: (1 - 0)^16 = 1 beats 0), x = 20 (class 15)
        for (int y = 0; y < 16; y++) {
            assertThat(labels.get(y, 3)).isEqualTo(1);
            assertThat(labels.get(y, 11)).isEqualTo(0);
            assertThat(labels.get(y, 20)).isEqualTo(15);
        }
        assertThat(labels.classesPresent()).containsExactly(0, 1, 15);
        assertThat(PseudoLabeler.label(cams(), none, 21, CFG, new SparseStencilWalkSolver())).isEqualTo(labels);
    }

    /**
     * Grid 2×3. Class 1 is 1 in the left column and weak (0.3) in the middle one, class 15 is 1 in the
     * right column; before the walk the middle is class 1. Affinity 1 ties the middle column to the right
     * one (and each column's two rows), nothing ties it to the left: the 4-cycle {middle, right} averages
     * to class 1 = 0.15, class 15 = 0.5, so the walk relabels the middle as class 15.
     */
    @Test
    void affinityPropagatesAClassIntoAWeakRegion() {
        INDArray m = cams().cams().dup();
        for (int y = 0; y < 16; y++) {
            for (int x = 8; x < 16; x++) {
                m.putScalar(new int[] {0, y, x}, 0.3);
            }
        }
        CamSet weak = new CamSet("weak", new int[] {1, 15}, m);
        WalkScores before = WalkScores.prepare(weak, 21, 16);
        assertThat(before.labels().get(8, 11)).isEqualTo(1);
        AffinityStencil stencil = AffinityStencil.of(5);
        INDArray w = Nd4j.zeros(DataType.FLOAT, stencil.size(), 2, 3);
        for (int o = 0; o < stencil.size(); o++) {
            if (stencil.dx(o) == 1 && stencil.dy(o) == 0) {
                w.putScalar(new int[] {o, 0, 1}, 1.0);
                w.putScalar(new int[] {o, 1, 1}, 1.0);
            }
            if (stencil.dx(o) == 0 && stencil.dy(o) == 1) {
                for (int x = 0; x < 3; x++) {
                    w.putScalar(new int[] {o, 0, x}, 1.0);
                }
            }
        }
        AffinityGraph graph = new AffinityGraph(stencil, w);
        PseudoLabeler.Result r = PseudoLabeler.run(weak, graph, 21, CFG, new SparseStencilWalkSolver());
        assertThat(r.walked().scores().getDouble(1, 0, 1)).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(r.walked().scores().getDouble(2, 1, 1)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(r.labels().get(8, 11)).isEqualTo(15);
        assertThat(r.labels().get(8, 3)).isEqualTo(1);
        assertThat(r.labels().get(8, 20)).isEqualTo(15);
        // dense reference gives the same labels
        assertThat(PseudoLabeler.label(weak, graph, 21, CFG, new DenseWalkSolver())).isEqualTo(r.labels());
    }

    @Test
    void rejectsAGraphOnAnotherGridOrRadius() {
        AffinityGraph wrongGrid = new AffinityGraph(AffinityStencil.of(5), Nd4j.zeros(DataType.FLOAT, 34, 3, 2));
        assertThatThrownBy(() -> PseudoLabeler.label(cams(), wrongGrid, 21, CFG, new SparseStencilWalkSolver()))
                .isInstanceOf(PsaException.class).hasMessageContaining("toy")
                .hasMessageContaining("expected grid [h, w] = [2, 3] for a 24x16 image").hasMessageContaining("got [3, 2]");
        AffinityGraph wrongRadius = new AffinityGraph(AffinityStencil.of(4), Nd4j.zeros(DataType.FLOAT,
                AffinityStencil.of(4).size(), 2, 3));
        assertThatThrownBy(() -> PseudoLabeler.label(cams(), wrongRadius, 21, CFG, new SparseStencilWalkSolver()))
                .hasMessageContaining("radius 4").hasMessageContaining("rw.radius = 5");
    }
}
