package dev.psa.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * One entry of a dataset split, before any pixel is read.
 *
 * @param id      the image id (a file stem; never contains a path separator or "..")
 * @param image   the image file
 * @param mask    the ground-truth mask file, when the dataset has one
 * @param classes sorted ids of the foreground classes present (1..K-1), from annotations or the mask
 */
public record Sample(String id, Path image, Optional<Path> mask, int[] classes) {
    public Sample {
        requireNonNull(id, "id is null");
        requireNonNull(image, "image is null");
        requireNonNull(mask, "mask is null");
        requireNonNull(classes, "classes is null");
        checkId(id);
        classes = classes.clone();
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] <= 0 || classes[i] >= 255 || (i > 0 && classes[i] <= classes[i - 1])) {
                throw new IllegalArgumentException("sample " + id + ": classes must be strictly increasing ids in"
                        + " 1..254, got " + Arrays.toString(classes));
            }
        }
    }

    /** Rejects ids that could name a file outside the dataset root. */
    public static String checkId(String id) {
        if (id.isEmpty() || id.contains("/") || id.contains("\\") || id.contains("..") || id.indexOf('\0') >= 0) {
            throw new PsaException("invalid image id '" + id + "': ids are file stems without path separators or '..'");
        }
        return id;
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    /** @return whether foreground class {@code c} is present */
    public boolean has(int c) {
        return Arrays.binarySearch(classes, c) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && s.id.equals(id) && s.image.equals(image) && s.mask.equals(mask)
                && Arrays.equals(s.classes, classes);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", classes=" + Arrays.toString(classes) + "]";
    }
}
