package dev.psa.runtime.config;

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
 * @param clsWeights      {@code cls.weights}: a trained classifier (backbone + {@code fc8}; psa's .npz or
 *                        a PyTorch .pth such as the authors' {@code res38_cls.pth}); when set, train-cls
 *                        does not run and the cams stage uses this file
 * @param affWeights      {@code aff.weights}: a trained AffinityNet (backbone + {@code f8_*}, {@code f9},
 *                        and for VGG16 {@code gn8_*}); when set, train-aff does not run and the walk uses it
 */
public record PipelineConfig(Optional<Path> backboneWeights, Optional<Path> clsWeights, Optional<Path> affWeights) {
    public static PipelineConfig from(ComponentConfig root) {
        return new PipelineConfig(path(root, "backbone.weights"), path(root, "cls.weights"), path(root, "aff.weights"));
    }

    private static Optional<Path> path(ComponentConfig root, String key) {
        return root.getOptional(key).filter(s -> !s.isBlank()).map(Path::of);
    }
}
