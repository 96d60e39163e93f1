package dev.psa.train;

import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.spi.ParamRole;

/** What a stage trains: a SameDiff graph with a scalar loss, its parameters' roles, and batches. */
public interface TrainTask {
    /**
     * The training graph (dropout on), parameters initialised or loaded. Trainable parameters must
     * be {@code VARIABLE} variables; the trainer updates their arrays in place, so after
     * training the graph holds the trained parameters.
     */
    SameDiff graph();

    /** Name of the scalar loss variable of {@link #graph()}. */
    String lossVariable();

    /**
     * Every parameter variable of the graph with its role; {@link ParamRole#FROZEN} ones are never
     * updated. Every {@code VARIABLE} of the graph must be listed.
     */
    Map<String, ParamRole> roles();

    /** Number of training samples, ≥ 1. */
    int numSamples();

    /**
     * The placeholder values for the batch made of these sample indices.
     *
     * @param sampleIndices indices in [0, numSamples), 1..batchSize of them
     * @param rng           the step's random source (augmentation); seeded by the trainer per step
     * @return placeholder name → value
     */
    Map<String, INDArray> batch(int[] sampleIndices, Random rng);

    /**
     * Optional per-epoch validation, run after the epoch's last step on the graph with the current
     * parameters. The returned metrics go to metrics.json and the log.
     *
     * @param epoch the epoch just finished, 0-based
     */
    default Map<String, Double> validate(SameDiff graph, int epoch) {
        return Map.of();
    }
}
