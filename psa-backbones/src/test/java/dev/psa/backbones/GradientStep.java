package dev.psa.backbones;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.ParamRole;

/**
 * One plain SGD step on the non-FROZEN parameters (what the trainer does, minus momentum and
 * multipliers), with loss = mean(output²). Snapshots every parameter before the step.
 */
public final class GradientStep {
    private GradientStep() {
    }

    /**
     * @return for FROZEN parameters their values before the step, for the others a [2] array of
     *     their sum and L2 norm before the step (enough to see a change, without a copy
     *     of ~100M values)
     */
    public static Map<String, INDArray> step(SameDiff sd, BackboneGraph graph, INDArray input, double lr) {
        Map<String, INDArray> before = new HashMap<>();
        graph.params().forEach((p, role) -> before.put(p, role == ParamRole.FROZEN ? sd.getVariable(p).getArr().dup()
                : summary(sd.getVariable(p).getArr())));
        String lossName = "test_loss";
        if (!sd.hasVariable(lossName)) {
            SDVariable out = graph.output().variable();
            sd.setLossVariables(sd.math().square(out).mean(lossName));
        }
        List<String> trainable = graph.params().entrySet().stream()
                .filter(e -> e.getValue() != ParamRole.FROZEN).map(Map.Entry::getKey).toList();
        Map<String, INDArray> grads = sd.calculateGradients(Map.of("input", input), trainable);
        for (String p : trainable) {
            sd.getVariable(p).getArr().subi(grads.get(p).mul(lr));
        }
        return before;
    }

    /** @return [sum, L2 norm] of a parameter */
    public static INDArray summary(INDArray param) {
        return org.nd4j.linalg.factory.Nd4j.createFromArray(param.sumNumber().doubleValue(), param.norm2Number().doubleValue());
    }
}
