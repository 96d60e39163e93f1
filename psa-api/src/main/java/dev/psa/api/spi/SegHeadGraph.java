package dev.psa.api.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What a {@link SegHead} added to a graph.
 *
 * @param scores  [N, K, h, w] class scores (logits) at the backbone's stride
 * @param params  every parameter variable the head created, by SameDiff name, with its role
 * @param dropout the dropout masks of the training graph: float placeholders [N, channels, h, w] the
 *                head multiplies its activations with; the trainer fills each per step from its seeded
 *                random source (0 with probability p, else 1 / (1 − p)), so training is reproducible
 *                and resumable
 */
public record SegHeadGraph(SDVariable scores, Map<String, ParamRole> params, List<DropoutMask> dropout) {
    /** A dropout mask placeholder: its name, its channel count and the drop probability. */
    public record DropoutMask(String placeholder, int channels, double p) {
        public DropoutMask {
            requireNonNull(placeholder, "placeholder is null");
            if (channels <= 0 || !(p > 0 && p < 1)) {
                throw new IllegalArgumentException("dropout mask " + placeholder + ": channels > 0 and p in (0, 1)"
                        + " expected, got " + channels + ", " + p);
            }
        }
    }

    public SegHeadGraph {
        requireNonNull(scores, "scores is null");
        params = Map.copyOf(params);
        dropout = List.copyOf(dropout);
    }

    /** A head without dropout. */
    public SegHeadGraph(SDVariable scores, Map<String, ParamRole> params) {
        this(scores, params, List.of());
    }
}
