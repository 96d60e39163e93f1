package dev.psa.randomwalk;

import static java.util.Objects.requireNonNull;

import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Score maps of one image on its stride-8 grid, one channel per class that can win: background
 * (id 0) first, then the image's present classes in increasing id order. Absent classes have no
 * channel (they would be zero before and after the walk, REFERENCE.md §Stage 4).
 *
 * @param classIds    K' class ids, strictly increasing, the first one 0 (background)
 * @param scores      [K', h, w] float32, h = ceil(H / 8), w = ceil(W / 8)
 * @param imageHeight H, the original image height in pixels (before padding)
 * @param imageWidth  W, the original image width in pixels
 */
public record WalkScores(int[] classIds, INDArray scores, int imageHeight, int imageWidth) {
    /** The stride of the score grid. */
    public static final int STRIDE = 8;

    public WalkScores {
        requireNonNull(classIds, "classIds is null");
        classIds = classIds.clone();
        if (imageHeight < 1 || imageWidth < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
        Shapes.check("walk scores", "[K', h, w]", DataType.FLOAT, scores, classIds.length,
                Shapes.strided(imageHeight, STRIDE), Shapes.strided(imageWidth, STRIDE));
        if (classIds.length == 0 || classIds[0] != 0) {
            throw new IllegalArgumentException("walk scores: the first channel must be background (id 0), got ids "
                    + Arrays.toString(classIds));
        }
        for (int i = 1; i < classIds.length; i++) {
            if (classIds[i] <= classIds[i - 1] || classIds[i] > 254) {
                throw new IllegalArgumentException("walk scores: class ids must be strictly increasing in 0..254, got "
                        + Arrays.toString(classIds));
            }
        }
    }

    /**
     * Score preparation of REFERENCE.md §Stage 4: background (1 − max_c M_c)^α at full resolution
     * (1 where the image has no present class; the base is clamped at 0 so CAMs slightly above 1
     * cannot give NaN), then, as the reference code does, every channel padded with zeros at the
     * bottom/right to a multiple of 8 and 8×8 average pooled (the padding counts as 0 in the mean).
     *
     * @param cams       the present-class CAMs [C, H, W] (each in [0, 1])
     * @param numClasses K, classes including background; every class id must be below it
     * @param alpha      α of the background score (16 in PSA)
     */
    public static WalkScores prepare(CamSet cams, int numClasses, double alpha) {
        requireNonNull(cams, "cams is null");
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
        }
        int[] present = cams.classIds();
        for (int id : present) {
            if (id >= numClasses) {
                throw new PsaException("cams of " + cams.id() + ": class id " + id + " is outside 1.."
                        + (numClasses - 1) + " (numClasses = " + numClasses + ")");
            }
        }
        int c = present.length;
        int height = cams.height();
        int width = cams.width();
        int h = Shapes.strided(height, STRIDE);
        int w = Shapes.strided(width, STRIDE);
        INDArray m = cams.cams().castTo(DataType.FLOAT);
        INDArray full = Nd4j.zeros(DataType.FLOAT, c + 1, (long) h * STRIDE, (long) w * STRIDE);
        INDArray background;
        if (c == 0) {
            background = Nd4j.ones(DataType.FLOAT, height, width);
        } else {
            INDArray base = Transforms.max(m.max(0).rsub(1.0), 0.0, false);
            background = Transforms.pow(base, alpha, false);
        }
        full.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, height), NDArrayIndex.interval(0, width))
                .assign(background);
        if (c > 0) {
            full.get(NDArrayIndex.interval(1, c + 1), NDArrayIndex.interval(0, height), NDArrayIndex.interval(0, width))
                    .assign(m);
        }
        INDArray pooled = full.reshape(c + 1, h, STRIDE, w, STRIDE).mean(2, 4).castTo(DataType.FLOAT);
        int[] ids = new int[c + 1];
        System.arraycopy(present, 0, ids, 1, c);
        return new WalkScores(ids, pooled, height, width);
    }

    @Override
    public int[] classIds() {
        return classIds.clone();
    }

    /** @return the same classes and image size with other scores (e.g. the walked ones) */
    public WalkScores withScores(INDArray newScores) {
        return new WalkScores(classIds, newScores, imageHeight, imageWidth);
    }

    /** h, the grid height. */
    public int gridHeight() {
        return (int) scores.size(1);
    }

    /** w, the grid width. */
    public int gridWidth() {
        return (int) scores.size(2);
    }

    /**
     * The scores at full resolution: bilinear ({@code align_corners = false}) to the padded size
     * (8h × 8w), cropped to H × W.
     *
     * @return [K', H, W] float32, channel order as {@link #classIds()}
     */
    public INDArray upsampled() {
        return Upsampling.bilinear(scores, gridHeight() * STRIDE, gridWidth() * STRIDE, imageHeight, imageWidth);
    }

    /**
     * The pseudo label: argmax over the {@linkplain #upsampled() upsampled} channels (no
     * renormalisation, as the reference; ties go to the lower class id), as class ids.
     */
    public LabelMap labels() {
        INDArray arg = Nd4j.argMax(upsampled(), 0);
        int[] index = arg.castTo(DataType.INT).dup('c').reshape((long) imageHeight * imageWidth).toIntVector();
        byte[] data = new byte[index.length];
        for (int i = 0; i < index.length; i++) {
            data[i] = (byte) classIds[index[i]];
        }
        return new LabelMap(imageHeight, imageWidth, data);
    }

    /**
     * Maps a map of channel indices (e.g. the argmax of a CRF run on {@link #upsampled()}) to class
     * ids; 255 stays 255.
     *
     * @param channels values 0..K'-1 or 255, any size
     * @throws IllegalArgumentException at the first value that is not a channel of these scores
     */
    public LabelMap toClassIds(LabelMap channels) {
        requireNonNull(channels, "channels is null");
        byte[] out = new byte[channels.height() * channels.width()];
        for (int i = 0; i < out.length; i++) {
            int v = channels.get(i);
            if (v == 255) {
                out[i] = (byte) 255;
            } else if (v < classIds.length) {
                out[i] = (byte) classIds[v];
            } else {
                throw new IllegalArgumentException("channel index " + v + " at (y=" + (i / channels.width()) + ", x="
                        + (i % channels.width()) + ") is outside 0.." + (classIds.length - 1) + " (class ids "
                        + Arrays.toString(classIds) + ")");
            }
        }
        return new LabelMap(channels.height(), channels.width(), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalkScores s && Arrays.equals(s.classIds, classIds) && s.scores.equals(scores)
                && s.imageHeight == imageHeight && s.imageWidth == imageWidth;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(classIds) + 17 * imageHeight + imageWidth;
    }

    @Override
    public String toString() {
        return "WalkScores[ids=" + Arrays.toString(classIds) + ", grid " + gridWidth() + "x" + gridHeight() + ", image "
                + imageWidth + "x" + imageHeight + "]";
    }
}
