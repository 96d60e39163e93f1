package dev.psa.randomwalk;

import dev.psa.api.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Bilinear resizing with {@code align_corners = false} (PyTorch's {@code nn.Upsample(size,
 * mode='bilinear')}, as the reference upsamples the walked scores, REFERENCE.md §Stage 4), written
 * as two interpolation matrices so it is plain ND4J matrix products: {@code out_c = U_y · M_c ·
 * U_xᵀ}. Output pixel o samples the input at {@code (o + 0.5)·in/out − 0.5}, clamped at 0 below;
 * the right neighbour is clamped to the last input pixel.
 */
public final class Upsampling {
    private Upsampling() {
    }

    /**
     * @param scores [K, h, w] floating point
     * @return [K, outH, outW] float32, the bilinear resize to outH × outW
     */
    public static INDArray bilinear(INDArray scores, int outH, int outW) {
        return bilinear(scores, outH, outW, outH, outW);
    }

    /**
     * Resizes to outH × outW and keeps the top-left cropH × cropW (the padded image cropped back to
     * the original one).
     *
     * @param scores [K, h, w] floating point
     * @return [K, cropH, cropW] float32
     */
    public static INDArray bilinear(INDArray scores, int outH, int outW, int cropH, int cropW) {
        Shapes.check("scores", "[K, h, w]", scores, -1, -1, -1);
        if (outH < 1 || outW < 1 || cropH < 1 || cropW < 1 || cropH > outH || cropW > outW) {
            throw new IllegalArgumentException("bilinear resize: need 1 <= crop <= size, got size " + outW + "x" + outH
                    + ", crop " + cropW + "x" + cropH);
        }
        int k = (int) scores.size(0);
        int h = (int) scores.size(1);
        int w = (int) scores.size(2);
        INDArray uy = interpolationMatrix(h, outH).get(
                NDArrayIndex.interval(0, cropH), NDArrayIndex.all());
        INDArray ux = interpolationMatrix(w, outW).get(
                NDArrayIndex.interval(0, cropW), NDArrayIndex.all());
        INDArray m = scores.castTo(DataType.FLOAT).dup('c');
        INDArray rows = m.reshape(k * h, w).mmul(ux.transpose()); // [K·h, cropW]
        INDArray byRow = rows.reshape(k, h, cropW).permute(1, 0, 2).dup('c').reshape(h, (long) k * cropW);
        INDArray out = uy.mmul(byRow); // [cropH, K·cropW]
        return out.reshape(cropH, k, cropW).permute(1, 0, 2).dup('c');
    }

    /**
     * @return [out, in] float32, row o holds the weights of output pixel o over the input pixels
     *         (each row sums to 1)
     */
    public static INDArray interpolationMatrix(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("interpolation sizes must be >= 1, got in=" + in + ", out=" + out);
        }
        float[] m = new float[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = Math.max(0, (o + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double lambda = src - i0;
            m[o * in + i0] += (float) (1 - lambda);
            m[o * in + i1] += (float) lambda;
        }
        return Nd4j.create(m, new long[] {out, in}, DataType.FLOAT);
    }
}
