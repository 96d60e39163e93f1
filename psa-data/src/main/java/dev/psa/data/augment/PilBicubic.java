package dev.psa.data.augment;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resizes an 8-bit image exactly as Pillow's {@code Image.resize(size, Image.BICUBIC)} does (the
 * authors' CAM inference resizes this way): a separable convolution, horizontal pass then vertical,
 * each with the bicubic kernel of a = −0.5, its support widened by the scale factor when shrinking,
 * coefficients normalised to sum 1 and turned into 22-bit fixed point, every pass rounded and
 * clamped to 0..255. Equal to Pillow 9.4's output byte for byte (testdata/pil-resize).
 */
public final class PilBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilBicubic() {
    }

    /**
     * @param image [C, H, W] values 0..255 (rounded and clamped to 8 bits first, like a PIL image)
     * @return [C, outH, outW] float32 with integer values 0..255
     */
    public static INDArray resize(INDArray image, int outH, int outW) {
        if (image.rank() != 3) {
            throw new IllegalArgumentException("image must be [C, H, W], got rank " + image.rank());
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("output size must be positive, got " + outW + "x" + outH);
        }
        int c = (int) image.size(0);
        int h = (int) image.size(1);
        int w = (int) image.size(2);
        float[] in = image.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] px = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            px[i] = (int) Math.max(0, Math.min(255, Math.rint(in[i])));
        }
        int[] cur = px;
        int curW = w;
        if (outW != w) {
            cur = horizontal(cur, c, h, w, outW);
            curW = outW;
        }
        if (outH != h) {
            cur = vertical(cur, c, h, curW, outH);
        }
        float[] out = new float[cur.length];
        for (int i = 0; i < cur.length; i++) {
            out[i] = cur[i];
        }
        return Nd4j.create(out, new long[] {c, outH, outW}, 'c');
    }

    /** Fixed-point coefficients for one axis: per output index its first input index, count and weights. */
    private record Coeffs(int[] start, int[] count, int[][] k) {
    }

    static double kernel(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private static Coeffs coeffs(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        double ss = 1.0 / filterScale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[][] k = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double[] kd = new double[Math.max(0, xmax)];
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double v = kernel((x + xmin - center + 0.5) * ss);
                kd[x] = v;
                ww += v;
            }
            int[] ki = new int[kd.length];
            for (int x = 0; x < kd.length; x++) {
                double v = ww != 0.0 ? kd[x] / ww : kd[x];
                ki[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = kd.length;
            k[xx] = ki;
        }
        return new Coeffs(start, count, k);
    }

    private static int clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int[] horizontal(int[] in, int c, int h, int w, int outW) {
        Coeffs k = coeffs(w, outW);
        int[] out = new int[c * h * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int row = (ch * h + y) * w;
                int orow = (ch * h + y) * outW;
                for (int xx = 0; xx < outW; xx++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    int s0 = k.start()[xx];
                    int[] kk = k.k()[xx];
                    for (int x = 0; x < k.count()[xx]; x++) {
                        ss += in[row + s0 + x] * kk[x];
                    }
                    out[orow + xx] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int c, int h, int w, int outH) {
        Coeffs k = coeffs(h, outH);
        int[] out = new int[c * outH * w];
        for (int ch = 0; ch < c; ch++) {
            for (int yy = 0; yy < outH; yy++) {
                int s0 = k.start()[yy];
                int[] kk = k.k()[yy];
                for (int x = 0; x < w; x++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < k.count()[yy]; y++) {
                        ss += in[(ch * h + s0 + y) * w + x] * kk[y];
                    }
                    out[(ch * outH + yy) * w + x] = clip8(ss);
                }
            }
        }
        return out;
    }
}
