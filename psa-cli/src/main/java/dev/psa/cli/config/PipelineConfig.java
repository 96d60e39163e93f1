package dev.psa.cli.config;

import java.nio.file.Path;
import java.util.Optional;
import dev.psa.api.config.ComponentConfig;

/**
 * Keys of the pipeline runner itself.
 *
 * @param backboneWeights {@code backbone.weights}: pretrained backbone weights (.npz in psa's format
 *                        from {@code psa weights import}, or a PyTorch .pth with the authors' names)
 *                        loaded into the classifier and into AffinityNet before training (REFERENCE.md:
 *                        both start from ImageNet weights); empty = random initialisation
 */
public record PipelineConfig(Optional<Path> backboneWeights) {
    public static PipelineConfig from(ComponentConfig root) {
        return new PipelineConfig(root.getOptional("backbone.weights").filter(s -> !s.isBlank()).map(Path::of));
    }
}
