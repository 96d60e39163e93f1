package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;

class ParamsTest {
    static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        sd.var("a", Nd4j.createFromArray(1f, 2f));
        sd.var("b", Nd4j.createFromArray(new float[][] {{3f}}));
        sd.constant("c", Nd4j.createFromArray(5f));
        return sd;
    }

    @Test
    void loadAssignsInPlaceAndCastsAndSnapshotCopies() {
        SameDiff sd = graph();
        INDArray aBefore = sd.getArrForVarName("a");
        Params.load(sd, Map.of("a", Nd4j.createFromArray(7.0, 8.0), "c", Nd4j.createFromArray(6f)));
        assertThat(sd.getArrForVarName("a")).isSameAs(aBefore);
        assertThat(aBefore.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(aBefore.toFloatVector()).containsExactly(7f, 8f);
        Map<String, INDArray> snap = Params.snapshot(sd, Set.of("b", "a", "c"));
        assertThat(snap.keySet()).containsExactly("a", "b", "c");
        aBefore.assign(0);
        assertThat(snap.get("a").toFloatVector()).containsExactly(7f, 8f);
        assertThat(snap.get("c").toFloatVector()).containsExactly(6f);
    }

    @Test
    void loadReportsEveryProblemAndAssignsNothing() {
        SameDiff sd = graph();
        assertThatThrownBy(() -> Params.load(sd, Map.of("a", Nd4j.createFromArray(1f, 2f, 3f),
                "zz", Nd4j.createFromArray(1f), "b", Nd4j.createFromArray(new float[][] {{9f}}))))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("'a': graph has shape [2], value has [3]")
                .hasMessageContaining("'zz': no such variable");
        assertThat(sd.getArrForVarName("b").getFloat(0)).isEqualTo(3f);
        assertThatThrownBy(() -> Params.snapshot(sd, Set.of("a", "nope")))
                .isInstanceOf(PsaException.class).hasMessageContaining("[nope]");
    }
}
