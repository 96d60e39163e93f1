package dev.psa.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loaded image with its image-level labels and optional mask.
 *
 * @param sample the dataset entry it came from
 * @param image  [3, H, W] float32, RGB in [0, 255], not normalised
 * @param mask   [H, W] ground truth, when present
 */
public record ImageSample(Sample sample, INDArray image, Optional<LabelMap> mask) {
    public ImageSample {
        requireNonNull(sample, "sample is null");
        requireNonNull(mask, "mask is null");
        Shapes.check("image of " + sample.id(), "[3, H, W]", image, 3, -1, -1);
        if (mask.isPresent()) {
            LabelMap m = mask.get();
            if (m.height() != image.size(1) || m.width() != image.size(2)) {
                throw new PsaException("mask of " + sample.id() + " is " + m.width() + "x" + m.height()
                        + " but its image is " + image.size(2) + "x" + image.size(1));
            }
        }
    }

    public int height() {
        return (int) image.size(1);
    }

    public int width() {
        return (int) image.size(2);
    }
}
