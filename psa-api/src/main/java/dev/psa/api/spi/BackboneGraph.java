package dev.psa.api.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a backbone added to a graph.
 *
 * @param output        the final feature map used by the classifier, stride 8
 * @param affinityTaps  the three taps AffinityNet reads, shallow to deep (ResNet-38: 512, 1024,
 *                      4096 channels; VGG16: conv4_3, conv5_3, fc7)
 * @param params        every trainable-or-frozen variable the backbone created, by SameDiff
 *                      name, with its role; names follow the authors' checkpoint keys where a
 *                      reference checkpoint exists (e.g. {@code b2.conv_branch2a.weight})
 * @param eager         the same layers run op by op for inference, if the backbone offers it (the
 *                      built-in ones do); empty: SameDiff runs the graph
 */
public record BackboneGraph(FeatureTap output, List<FeatureTap> affinityTaps, Map<String, ParamRole> params,
                            Optional<EagerInference> eager) {
    public BackboneGraph {
        requireNonNull(output, "output is null");
        affinityTaps = List.copyOf(affinityTaps);
        params = Map.copyOf(params);
        requireNonNull(eager, "eager is null (use Optional.empty())");
        if (affinityTaps.size() != 3) {
            throw new IllegalArgumentException("a backbone exposes 3 affinity taps, got " + affinityTaps.size());
        }
    }

    /** A graph without an eager inference path: SameDiff runs it. */
    public BackboneGraph(FeatureTap output, List<FeatureTap> affinityTaps, Map<String, ParamRole> params) {
        this(output, affinityTaps, params, Optional.empty());
    }
}
