package dev.psa.data.augment;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.LabelMap;
import dev.psa.api.Shapes;

/**
 * Image and label resizing on planar arrays. Bicubic follows PIL's {@code Image.resize(BICUBIC)}:
 * a separable Keys cubic (a = −0.5) on pixel centres whose support widens by the scale factor
 * when shrinking (antialiasing); results are clamped to [0, 255]. Nearest picks the source pixel
 * whose centre is nearest to the target centre, like PIL's {@code NEAREST}.
 */
public final class Resize {
    private static final double A = -0.5;

    private Resize() {
    }

    /**
     * @param rgb [C, H, W] values in [0, 255]
     * @return [C, outH, outW] float32
     */
    public static INDArray bicubic(INDArray rgb, int outH, int outW) {
        Shapes.check("image", "[C, H, W]", rgb, -1, -1, -1);
        int c = (int) rgb.size(0);
        float[] v = bicubic(rgb.castTo(DataType.FLOAT).dup('c').data().asFloat(), c, (int) rgb.size(1),
                (int) rgb.size(2), outH, outW);
        return Nd4j.create(v, new long[] {c, outH, outW}, DataType.FLOAT);
    }

    /** Nearest-neighbour resize of a label map. */
    public static LabelMap nearest(LabelMap labels, int outH, int outW) {
        return new LabelMap(outH, outW, nearest(labels.data(), labels.height(), labels.width(), outH, outW));
    }

    /** Planar bicubic resize of {@code channels} planes of h×w. */
    public static float[] bicubic(float[] src, int channels, int h, int w, int oh, int ow) {
        if (oh == h && ow == w) {
            return src.clone();
        }
        Weights wx = weights(w, ow);
        Weights wy = weights(h, oh);
        float[] tmp = new float[channels * h * ow];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int srow = c * h * w + y * w;
                int drow = c * h * ow + y * ow;
                for (int x = 0; x < ow; x++) {
                    double s = 0;
                    int start = wx.start[x];
                    double[] k = wx.k[x];
                    for (int i = 0; i < k.length; i++) {
                        s += k[i] * src[srow + start + i];
                    }
                    tmp[drow + x] = (float) s;
                }
            }
        }
        float[] out = new float[channels * oh * ow];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < oh; y++) {
                int start = wy.start[y];
                double[] k = wy.k[y];
                int drow = c * oh * ow + y * ow;
                for (int x = 0; x < ow; x++) {
                    double s = 0;
                    for (int i = 0; i < k.length; i++) {
                        s += k[i] * tmp[c * h * ow + (start + i) * ow + x];
                    }
                    out[drow + x] = (float) Math.max(0, Math.min(255, s));
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour resize of one h×w byte plane. */
    public static byte[] nearest(byte[] src, int h, int w, int oh, int ow) {
        int[] xs = new int[ow];
        for (int x = 0; x < ow; x++) {
            xs[x] = Math.min(w - 1, (int) ((x + 0.5) * w / ow));
        }
        byte[] out = new byte[oh * ow];
        for (int y = 0; y < oh; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / oh));
            for (int x = 0; x < ow; x++) {
                out[y * ow + x] = src[sy * w + xs[x]];
            }
        }
        return out;
    }

    private record Weights(int[] start, double[][] k) {
    }

    /** PIL's precompute_coeffs for the bicubic filter (support 2). */
    private static Weights weights(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1);
        double support = 2 * filterScale;
        int[] start = new int[out];
        double[][] k = new double[out][];
        for (int x = 0; x < out; x++) {
            double center = (x + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), in);
            double[] ww = new double[xmax - xmin];
            double total = 0;
            for (int i = 0; i < ww.length; i++) {
                ww[i] = cubic((i + xmin - center + 0.5) / filterScale);
                total += ww[i];
            }
            for (int i = 0; i < ww.length; i++) {
                ww[i] = total == 0 ? 0 : ww[i] / total;
            }
            start[x] = xmin;
            k[x] = ww;
        }
        return new Weights(start, k);
    }

    private static double cubic(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return ((A + 2) * t - (A + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * A;
        }
        return 0;
    }
}
