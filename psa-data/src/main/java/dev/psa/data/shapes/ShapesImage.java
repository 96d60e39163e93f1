package dev.psa.data.shapes;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.LabelMap;

/**
 * One generated image with everything known about it.
 *
 * @param id        the image id ({@code train_00042})
 * @param size      the image side S
 * @param rgb       planar R, G, B, each S·S integer values in [0, 255] (owned; do not mutate)
 * @param mask      the exact class mask (0 background, class ids of the visible objects)
 * @param parts     per pixel: {@link ShapesGenerator#BACKGROUND}, {@code CLUTTER}, {@code BODY} or {@code MARK}
 * @param instances per pixel: 0, or 1 + the index of the visible object in {@code objects}
 * @param objects   the placed objects, in drawing order
 * @param classes   sorted foreground class ids present
 */
public record ShapesImage(String id, int size, float[] rgb, LabelMap mask, byte[] parts, byte[] instances,
                          List<ShapesGenerator.ShapeObject> objects, int[] classes) {
    /** @return [3, S, S] float32 RGB in [0, 255] */
    public INDArray image() {
        return Nd4j.create(rgb.clone(), new long[] {3, size, size}, DataType.FLOAT);
    }

    /** The value of channel {@code c} at (y, x). */
    public float pixel(int c, int y, int x) {
        return rgb[c * size * size + y * size + x];
    }
}
