package dev.psa.train;

import dev.psa.api.spi.ParamRole;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Puts pretrained backbone weights (ImageNet's, or a trained classifier's) into a freshly built training graph,
 * before training; AffinityNet starts from ImageNet weights only (REFERENCE.md §Stage 3), the segmentation
 * network from either.
 */
@FunctionalInterface
public interface Initializer {
    /** Random initialisation only. */
    Initializer NONE = (graph, backboneParams) -> { };

    /**
     * @param graph          the training graph
     * @param backboneParams the backbone's parameters (names and roles) in that graph
     */
    void initialize(SameDiff graph, Map<String, ParamRole> backboneParams);
}
