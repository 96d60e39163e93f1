package dev.psa.api.spi;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The head of a segmentation network (REFERENCE.md §Stage 5): it turns a backbone's stride-8
 * feature map into per-class scores at the same stride. Any registered backbone plus any head
 * makes a segmentation network, so a plugin backbone gets segmentation without new code.
 */
public interface SegHead {
    /** The provider name, e.g. {@code largefov}. */
    String name();

    /**
     * Adds the head's layers to {@code sd}. Every variable gets a unique explicit name (by
     * convention starting with {@code seg_}); parameters are new layers
     * ({@link ParamRole#NEW_WEIGHT}, {@link ParamRole#NEW_BIAS}: 10× / 20× learning rate).
     *
     * @param features   [N, C, h, w] float32, the backbone's output tap
     * @param channels   C
     * @param numClasses K, background included
     * @param training   true adds dropout, as mask placeholders listed in {@link SegHeadGraph#dropout()}
     * @param seed       seed of the parameters' random initialisation
     * @return the scores [N, K, h, w] and the parameters with their roles
     */
    SegHeadGraph build(SameDiff sd, SDVariable features, int channels, int numClasses, boolean training, long seed);
}
