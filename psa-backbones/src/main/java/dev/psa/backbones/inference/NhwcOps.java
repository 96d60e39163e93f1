package dev.psa.backbones.inference;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.nio.FloatBuffer;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The eager path's layer ops on NHWC float32 arrays ({@code [N, H, W, C]}, C-contiguous). NHWC because
 * ND4J's oneDNN convolution is faster on it than on NCHW here, 1×1 convolutions become one matrix
 * product without a copy, per-channel affine maps broadcast along the contiguous axis, and the phases
 * of a space-to-batch copy move whole channel vectors.
 */
final class NhwcOps {
    private NhwcOps() {
    }

    /**
     * A k×k convolution with explicit symmetric padding {@code dilation·(k−1)/2} (or SAME), YXIO weight
     * {@code [k, k, in, out]}; bias {@code [out]} or null.
     */
    static INDArray conv(INDArray x, INDArray weight, INDArray bias, int k, int stride, int dilation, boolean same) {
        if (k == 1 && stride == 1) {
            return pointwise(x, weight.reshape(weight.size(2), weight.size(3)), bias);
        }
        if (dilation > 1) {
            return spaceToBatchConv(x, weight, bias, k, dilation);
        }
        return nativeConv(x, weight, bias, k, stride, 1, same ? -1 : (k - 1) / 2);
    }

    /** 1×1 convolution as one matrix product {@code [N·H·W, in] × [in, out]}. */
    static INDArray pointwise(INDArray x, INDArray weight2d, INDArray bias) {
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        INDArray rows = x.reshape('c', n * h * w, x.size(3));
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n * h * w, weight2d.size(1));
        Nd4j.gemm(rows, weight2d, out, false, false, 1.0, 0.0);
        if (bias != null) {
            out.addiRowVector(bias);
        }
        return out.reshape('c', n, h, w, weight2d.size(1));
    }

    /**
     * A stride-1 dilated convolution as a plain one (TensorFlow's atrous method): the d² phases
     * {@code x[:, i::d, j::d, :]} are stacked as a batch (phase i·d + j holds images p·N .. p·N + N − 1),
     * convolved with the undilated kernel and padding (k−1)/2, and put back. A phase shorter than
     * ceil(H/d) × ceil(W/d) is padded with zeros, which stand exactly where the dilated convolution
     * reads its zero padding.
     */
    static INDArray spaceToBatchConv(INDArray x, INDArray weight, INDArray bias, int k, int d) {
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        long c = x.size(3);
        long hp = (h + d - 1) / d;
        long wp = (w + d - 1) / d;
        boolean ragged = hp * d != h || wp * d != w;
        boolean cpu = Nd4j.getEnvironment().isCPU();
        INDArray batch;
        if (cpu) {
            batch = ragged ? Nd4j.zeros(DataType.FLOAT, d * d * n, hp, wp, c)
                    : Nd4j.createUninitialized(DataType.FLOAT, d * d * n, hp, wp, c);
            copyPhases(contiguous(x), batch, d, true);
        } else {
            INDArray padded = x;
            if (ragged) {
                padded = Nd4j.zeros(DataType.FLOAT, n, hp * d, wp * d, c);
                padded.get(all(), interval(0, h), interval(0, w), all()).assign(x);
            }
            batch = padded.reshape('c', n, hp, d, wp, d, c).permute(2, 4, 0, 1, 3, 5).dup('c')
                    .reshape('c', d * d * n, hp, wp, c);
        }
        INDArray y = nativeConv(batch, weight, bias, k, 1, 1, (k - 1) / 2);
        batch.close();
        long o = y.size(3);
        INDArray out;
        if (cpu) {
            out = Nd4j.createUninitialized(DataType.FLOAT, n, h, w, o);
            copyPhases(out, y, d, false);
        } else {
            out = y.reshape('c', d, d, n, hp, wp, o).permute(2, 3, 0, 4, 1, 5).dup('c').reshape('c', n, hp * d, wp * d, o);
            if (ragged) {
                out = out.get(all(), interval(0, h), interval(0, w), all()).dup('c');
            }
        }
        y.close();
        return out;
    }

    /**
     * Moves whole channel vectors between an image batch {@code [N, H, W, C]} and its phase batch
     * {@code [d²N, ceil(H/d), ceil(W/d), C]} (both C-contiguous, CPU memory): a bulk copy per pixel,
     * much faster than ND4J's copy of a 6-D permuted view.
     */
    private static void copyPhases(INDArray images, INDArray phases, int d, boolean toPhases) {
        long n = images.size(0);
        long h = images.size(1);
        long w = images.size(2);
        int c = (int) images.size(3);
        long hp = phases.size(1);
        long wp = phases.size(2);
        FloatBuffer img = images.data().asNioFloat();
        FloatBuffer ph = phases.data().asNioFloat();
        long imgOff = images.offset();
        long phOff = phases.offset();
        for (long m = 0; m < n; m++) {
            for (long i = 0; i < h; i++) {
                for (long j = 0; j < w; j++) {
                    long p = (i % d) * d + j % d;
                    int a = Math.toIntExact(imgOff + ((m * h + i) * w + j) * c);
                    int b = Math.toIntExact(phOff + (((p * n + m) * hp + i / d) * wp + j / d) * c);
                    if (toPhases) {
                        ph.put(b, img, a, c);
                    } else {
                        img.put(a, ph, b, c);
                    }
                }
            }
        }
    }

    /** x itself if C-contiguous with default strides, else a C-contiguous copy. */
    private static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
    }

    /** ND4J's conv2d op in NHWC; {@code pad < 0} selects SAME mode. Input must be C-contiguous. */
    static INDArray nativeConv(INDArray x, INDArray weight, INDArray bias, int k, int stride, int dilation, int pad) {
        Conv2DConfig.Conv2DConfigBuilder cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .dH(dilation).dW(dilation).dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.YXIO);
        if (pad < 0) {
            cfg.paddingMode(PaddingMode.SAME);
        } else {
            cfg.pH(pad).pW(pad).paddingMode(PaddingMode.VALID);
        }
        return Nd4j.exec(new Conv2D(x, weight, bias, cfg.build()))[0];
    }

    /** Max pooling k×k, explicit symmetric padding (padded cells never win). */
    static INDArray maxPool(INDArray x, int k, int stride, int pad) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .dH(1).dW(1).type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(true).build();
        return Nd4j.exec(new MaxPooling2D(x, null, cfg))[0];
    }

    /** {@code x·scale + shift} per channel (last axis), optionally ReLU'd; in place when allowed. */
    static INDArray scaleShift(INDArray x, INDArray scale, INDArray shift, boolean relu, boolean inPlace) {
        INDArray rows = x.reshape('c', x.length() / x.size(3), x.size(3));
        INDArray out = inPlace ? rows.muliRowVector(scale) : rows.mulRowVector(scale);
        out.addiRowVector(shift);
        if (relu) {
            reluInPlace(out);
        }
        return inPlace ? x : out.reshape('c', x.shape());
    }

    static void reluInPlace(INDArray x) {
        Transforms.relu(x, false);
    }
}
