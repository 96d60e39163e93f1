package dev.psa.api.spi;

import static java.util.Objects.requireNonNull;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A named feature map of a backbone.
 *
 * @param name     e.g. {@code "b5_in"}, {@code "conv4_3"}
 * @param variable [N, channels, ceil(H/stride), ceil(W/stride)]
 * @param stride   output stride relative to the input (8 for every PSA tap)
 * @param channels number of channels
 */
public record FeatureTap(String name, SDVariable variable, int stride, int channels) {
    public FeatureTap {
        requireNonNull(name, "name is null");
        requireNonNull(variable, "variable is null");
        if (stride <= 0 || channels <= 0) {
            throw new IllegalArgumentException("tap " + name + ": stride and channels must be positive");
        }
    }
}
