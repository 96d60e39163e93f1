package dev.psa.api;

import static java.util.Objects.requireNonNull;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.Arrays;

/**
 * How a backbone wants its input: {@code out[c] = (in[order[c]] * scale - mean[c]) / std[c]}.
 *
 * @param name  a short name for logs ("imagenet", "caffe-bgr")
 * @param bgr   whether channels are reordered RGB → BGR
 * @param scale multiplied first (1/255 for ImageNet, 1 for Caffe)
 * @param mean  per output channel
 * @param std   per output channel
 */
public record InputNormalization(String name, boolean bgr, double scale, double[] mean, double[] std) {
    /** ImageNet: RGB/255, mean 0.485/0.456/0.406, std 0.229/0.224/0.225 (ResNet-38). */
    public static final InputNormalization IMAGENET = new InputNormalization("imagenet", false, 1 / 255.0,
            new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
    /** Caffe: BGR, mean 104.008/116.669/122.675, no scaling (VGG16-d). */
    public static final InputNormalization CAFFE_BGR = new InputNormalization("caffe-bgr", true, 1.0,
            new double[] {104.008, 116.669, 122.675}, new double[] {1, 1, 1});

    public InputNormalization {
        requireNonNull(name, "name is null");
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * @param rgb [3, H, W] or [N, 3, H, W] float32 RGB in [0, 255]
     * @return a new array of the same shape, normalised
     */
    public INDArray apply(INDArray rgb) {
        int axis = rgb.rank() == 4 ? 1 : 0;
        if (rgb.rank() != 3 && rgb.rank() != 4 || rgb.size(axis) != 3) {
            throw new IllegalArgumentException("image: expected [3, H, W] or [N, 3, H, W], got "
                    + Arrays.toString(rgb.shape()));
        }
        // Plain Java over the (small) array: a handful of element-wise ND4J ops per channel cost more
        // than the arithmetic at demo and test sizes.
        float[] in = rgb.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        long n = rgb.rank() == 4 ? rgb.size(0) : 1;
        int plane = (int) (rgb.size(axis + 1) * rgb.size(axis + 2));
        for (int b = 0; b < n; b++) {
            int base = b * 3 * plane;
            for (int c = 0; c < 3; c++) {
                int src = base + (bgr ? 2 - c : c) * plane;
                int dst = base + c * plane;
                float sc = (float) scale;
                float m = (float) mean[c];
                float inv = (float) (1.0 / std[c]);
                for (int i = 0; i < plane; i++) {
                    out[dst + i] = (in[src + i] * sc - m) * inv;
                }
            }
        }
        return Nd4j.create(out, rgb.shape(), 'c').castTo(rgb.dataType());
    }


}
