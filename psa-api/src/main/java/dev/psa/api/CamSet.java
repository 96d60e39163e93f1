package dev.psa.api;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The class activation maps of one image, for its present classes only (REFERENCE.md §Stage 1).
 *
 * @param id       the image id
 * @param classIds C strictly increasing foreground class ids (1..K-1), one per channel
 * @param cams     [C, H, W] float32, each channel normalised to peak at ~1, values in [0, 1]
 */
public record CamSet(String id, int[] classIds, INDArray cams) {
    public CamSet {
        requireNonNull(id, "id is null");
        requireNonNull(classIds, "classIds is null");
        classIds = classIds.clone();
        Shapes.check("cams of " + id, "[C, H, W]", cams, classIds.length, -1, -1);
        for (int i = 0; i < classIds.length; i++) {
            if (classIds[i] <= 0 || (i > 0 && classIds[i] <= classIds[i - 1])) {
                throw new IllegalArgumentException("cams of " + id + ": class ids must be strictly increasing"
                        + " foreground ids, got " + Arrays.toString(classIds));
            }
        }
    }

    @Override
    public int[] classIds() {
        return classIds.clone();
    }

    public int height() {
        return (int) cams.size(1);
    }

    public int width() {
        return (int) cams.size(2);
    }
}
