package dev.psa.train.internal;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.spi.ParamRole;
import dev.psa.train.TrainConfig;

/**
 * The per-parameter update rule of the {@link dev.psa.train.Trainer} and its state: named buffer sets
 * (SGD: {@code momentum}; Adam: {@code adam-m}, {@code adam-v}), one array per trainable parameter with
 * the parameter's shape and dtype, plus a per-parameter update count (Adam's bias correction). All of it
 * goes into the checkpoint, so a resumed run continues exactly.
 */
public interface Optimizer {
    /** The optimizer of {@code config.optimizer()} with zeroed state for the given parameters. */
    static Optimizer create(TrainConfig config, Map<String, INDArray> params) {
        return config.adam() ? new AdamOptimizer(config, params) : new SgdOptimizer(config, params);
    }

    /** The names of the buffer sets of an optimizer ({@code sgd} or {@code adam}), in file order. */
    static List<String> bufferNames(String optimizer) {
        return optimizer.equals("adam") ? AdamOptimizer.BUFFERS : SgdOptimizer.BUFFERS;
    }

    /**
     * Updates one parameter in place.
     *
     * @param name the parameter's name (its state)
     * @param w    the parameter (the graph's own array)
     * @param g    its gradient
     * @param role its role: multiplier, weight decay; FROZEN does nothing
     * @param lr   the step's learning rate before the role multiplier
     */
    void update(String name, INDArray w, INDArray g, ParamRole role, double lr);

    /** The state buffers by set name, then parameter name (live arrays, copied when written). */
    Map<String, Map<String, INDArray>> buffers();

    /** Updates applied per parameter (SGD: empty, it needs none). */
    Map<String, Long> updates();

    /**
     * Restores a checkpoint's state.
     *
     * @return a problem for each missing set, parameter or shape mismatch (empty when it fits)
     */
    List<String> load(Map<String, Map<String, INDArray>> buffers, Map<String, Long> updates);
}
