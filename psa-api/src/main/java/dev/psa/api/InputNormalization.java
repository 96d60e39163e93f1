package dev.psa.api;

import static java.util.Objects.requireNonNull;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
                    + java.util.Arrays.toString(rgb.shape()));
        }
        INDArray out = Nd4j.createUninitialized(rgb.dataType(), rgb.shape());
        for (int c = 0; c < 3; c++) {
            int src = bgr ? 2 - c : c;
            INDArray in = axis == 0 ? rgb.slice(src, 0) : rgb.get(all(), point(src));
            INDArray dst = axis == 0 ? out.slice(c, 0) : out.get(all(), point(c));
            dst.assign(in.mul(scale).subi(mean[c]).divi(std[c]));
        }
        return out;
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex point(long i) {
        return org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    }
}
