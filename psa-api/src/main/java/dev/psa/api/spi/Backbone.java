package dev.psa.api.spi;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import dev.psa.api.InputNormalization;

/**
 * A feature extractor at output stride 8, built into a SameDiff graph (REFERENCE.md §Backbones).
 * Conv weights use SameDiff's default {@code YXIO} layout ([kh, kw, in, out]); weight import
 * converts from PyTorch's [out, in, kh, kw]. Every variable gets a unique explicit name.
 */
public interface Backbone {
    /** The provider name, e.g. {@code resnet38}. */
    String name();

    /** How images must be normalised before they enter {@link #build}. */
    InputNormalization normalization();

    /**
     * Adds the backbone's layers to {@code sd}, initialising its parameters randomly from
     * {@code options.seed()} (pretrained weights are loaded afterwards, by name).
     *
     * @param input [N, 3, H, W] float32, normalised; H and W need not be multiples of 8
     * @return the output tap ([N, C, ceil(H/8), ceil(W/8)]), the three affinity taps and the
     *     parameter roles (frozen early blocks as {@link ParamRole#FROZEN})
     */
    BackboneGraph build(SameDiff sd, SDVariable input, BuildOptions options);

    /** Whether AffinityNet's tap convs are followed by GroupNorm (VGG16: yes). */
    default boolean groupNormInAffinityHead() {
        return false;
    }
}
