package dev.psa.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param stepLosses the loss of every step from step 0 (a resumed run includes the losses recorded
 *                   before the interruption)
 * @param steps      steps completed, = maxSteps when training finished
 * @param params     every parameter of the task's roles by SameDiff variable name (copies, in the
 *                   graph's dtype and shape), as written to model.npz
 */
public record TrainResult(List<Double> stepLosses, long steps, Map<String, INDArray> params) {
    public TrainResult {
        stepLosses = List.copyOf(stepLosses);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
