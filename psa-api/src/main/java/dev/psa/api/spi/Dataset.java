package dev.psa.api.spi;

import java.util.List;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.Sample;

/** A dataset: named splits of samples with image-level labels and optional masks. */
public interface Dataset {
    /** The classes; index 0 is the background. */
    ClassList classes();

    /** The names of the splits this dataset has (e.g. {@code train}, {@code val}). */
    List<String> splits();

    /**
     * @return the samples of a split, in a stable order
     * @throws dev.psa.api.PsaException naming the split, the available ones, and any missing file
     */
    List<Sample> samples(String split);

    /**
     * Reads one sample's pixels.
     *
     * @return image [3, H, W] float32 RGB in [0, 255], with its mask when the dataset has one
     * @throws dev.psa.api.PsaException naming the file and the problem (corrupt, truncated, size
     *     mismatch, label values out of range)
     */
    ImageSample load(Sample sample);
}
