package dev.psa.data.augment;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ClassList;
import dev.psa.api.InputNormalization;
import dev.psa.api.LabelMap;
import dev.psa.api.Shapes;

/**
 * Applies an {@link AugmentConfig} to an image and, jointly, to any number of label planes
 * (masks, seed labels): the same resize (labels nearest-neighbour), flip and crop (labels padded
 * with 255). The order and the random draws follow the PSA reference pipeline: resize, flip,
 * colour jitter, normalisation, crop. Every random number comes from the {@link Random} passed to
 * {@link #apply}, so a seeded generator gives the same output.
 */
public final class Augmenter {
    /** No normalisation: the output stays RGB in [0, 255]. */
    public static final InputNormalization IDENTITY = new InputNormalization("identity", false, 1,
            new double[] {0, 0, 0}, new double[] {1, 1, 1});

    private final AugmentConfig config;
    private final InputNormalization normalization;

    public Augmenter(AugmentConfig config, InputNormalization normalization) {
        this.config = requireNonNull(config, "config is null");
        this.normalization = requireNonNull(normalization, "normalization is null");
    }

    public AugmentConfig config() {
        return config;
    }

    /**
     * What was done to one image, so callers can apply it to further planes.
     *
     * @param height    the size after resizing (before the crop)
     * @param width     the size after resizing
     * @param flipped   whether it was mirrored left–right
     * @param imageTop  first image row copied into the output
     * @param imageLeft first image column copied into the output
     * @param outTop    output row the copy starts at (zero padding above)
     * @param outLeft   output column the copy starts at
     * @param outHeight output height (the crop size, or {@code height} without crop)
     * @param outWidth  output width
     */
    public record Transform(int height, int width, boolean flipped, int imageTop, int imageLeft, int outTop,
                            int outLeft, int outHeight, int outWidth) {
    }

    /**
     * @param image  [3, H', W'] float32, normalised, zero where padded
     * @param labels the label planes, transformed like the image (255 where padded)
     */
    public record Augmented(INDArray image, List<LabelMap> labels, Transform transform) {
    }

    /**
     * Augments an image and its label planes.
     *
     * @param image  [3, H, W] RGB in [0, 255]
     * @param labels label planes of size H×W each (may be empty)
     * @param rng    the source of every random choice
     * @return the normalised image and the labels, both of the crop size (or the resized size)
     */
    public Augmented apply(INDArray image, List<LabelMap> labels, Random rng) {
        Shapes.check("image", "[3, H, W]", image, 3, -1, -1);
        requireNonNull(labels, "labels is null");
        requireNonNull(rng, "rng is null");
        int h = (int) image.size(1);
        int w = (int) image.size(2);
        for (int i = 0; i < labels.size(); i++) {
            LabelMap l = labels.get(i);
            if (l.height() != h || l.width() != w) {
                throw new IllegalArgumentException("labels[" + i + "]: expected [H, W] = [" + h + ", " + w + "], got ["
                        + l.height() + ", " + l.width() + "]");
            }
        }
        float[] px = image.castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<byte[]> planes = new ArrayList<>();
        for (LabelMap l : labels) {
            planes.add(l.data().clone());
        }

        // 1. random resize of the long side (PSA RandomResizeLong)
        if (config.resize()) {
            int target = config.resizeMin() + rng.nextInt(config.resizeMax() - config.resizeMin() + 1);
            int nh;
            int nw;
            if (w < h) {
                nh = target;
                nw = Math.max(1, (int) Math.round((double) w * target / h));
            } else {
                nw = target;
                nh = Math.max(1, (int) Math.round((double) h * target / w));
            }
            px = Resize.bicubic(px, 3, h, w, nh, nw);
            for (int i = 0; i < planes.size(); i++) {
                planes.set(i, Resize.nearest(planes.get(i), h, w, nh, nw));
            }
            h = nh;
            w = nw;
        }
        // 2. horizontal flip
        boolean flipped = config.flip() && rng.nextBoolean();
        if (flipped) {
            px = flip(px, 3, h, w);
            for (int i = 0; i < planes.size(); i++) {
                planes.set(i, flip(planes.get(i), h, w));
            }
        }
        // 3. colour jitter (values stay in [0, 255])
        if (config.jitters()) {
            ColorJitter.apply(px, h, w, config, rng);
        }
        // 4. normalisation
        INDArray norm = normalization.apply(Nd4j.create(px, new long[] {3, h, w}, DataType.FLOAT));
        // 5. random crop with zero padding (PSA RandomCrop)
        int crop = config.crop();
        if (crop == 0) {
            List<LabelMap> out = new ArrayList<>();
            for (byte[] p : planes) {
                out.add(new LabelMap(h, w, p));
            }
            return new Augmented(norm, out, new Transform(h, w, flipped, 0, 0, 0, 0, h, w));
        }
        int[] yy = cropOffsets(h, crop, rng);
        int[] xx = cropOffsets(w, crop, rng);
        Transform t = new Transform(h, w, flipped, yy[0], xx[0], yy[1], xx[1], crop, crop);
        float[] src = norm.dup('c').data().asFloat();
        float[] dst = new float[3 * crop * crop];
        int ch = Math.min(crop, h);
        int cw = Math.min(crop, w);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ch; y++) {
                System.arraycopy(src, c * h * w + (t.imageTop() + y) * w + t.imageLeft(), dst,
                        c * crop * crop + (t.outTop() + y) * crop + t.outLeft(), cw);
            }
        }
        List<LabelMap> out = new ArrayList<>();
        for (byte[] p : planes) {
            byte[] d = new byte[crop * crop];
            Arrays.fill(d, (byte) ClassList.IGNORE);
            for (int y = 0; y < ch; y++) {
                System.arraycopy(p, (t.imageTop() + y) * w + t.imageLeft(), d, (t.outTop() + y) * crop + t.outLeft(), cw);
            }
            out.add(new LabelMap(crop, crop, d));
        }
        return new Augmented(Nd4j.create(dst, new long[] {3, crop, crop}, DataType.FLOAT), out, t);
    }

    /** [image offset, output offset] along one axis, as PSA's RandomCrop draws them. */
    private static int[] cropOffsets(int size, int crop, Random rng) {
        int space = size - crop;
        if (space > 0) {
            return new int[] {rng.nextInt(space + 1), 0};
        }
        return new int[] {0, rng.nextInt(-space + 1)};
    }

    private static float[] flip(float[] px, int channels, int h, int w) {
        float[] out = new float[px.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int row = c * h * w + y * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] = px[row + w - 1 - x];
                }
            }
        }
        return out;
    }

    private static byte[] flip(byte[] p, int h, int w) {
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = p[y * w + w - 1 - x];
            }
        }
        return out;
    }
}
