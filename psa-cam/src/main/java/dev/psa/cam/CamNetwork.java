package dev.psa.cam;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Something that turns a batch of normalised images into class activation maps: the trained
 * classifier ({@link ClassifierNet#camNetwork}) or, in tests, a hand-made function.
 */
@FunctionalInterface
public interface CamNetwork {
    /**
     * @param images [N, 3, H, W] float32, normalised for the backbone
     * @return [N, K-1, h, w] float32, ≥ 0: one map per foreground class at the network's output
     *     resolution (stride 8 for PSA backbones: h = ceil(H/8), w = ceil(W/8))
     */
    INDArray cams(INDArray images);
}
