package dev.psa.backbones.inference;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.nio.FloatBuffer;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The eager path's layer ops on NHWC float32 arrays ({@code [N, H, W, C]}, C-ordered at offset 0 of
 * their buffer), each writing a new value into an array of the pool. NHWC because ND4J's oneDNN
 * convolution is faster on it than on NCHW here, 1×1 convolutions become one matrix product without a
 * copy, per-channel affine maps broadcast along the contiguous axis, and the phases of a space-to-batch
 * copy move whole channel vectors.
 */
final class NhwcOps {
    private NhwcOps() {
    }

    /**
     * A k×k convolution with explicit symmetric padding {@code dilation·(k−1)/2} (or SAME), YXIO weight
     * {@code [k, k, in, out]}; bias {@code [out]} or null. Dilated ones need stride 1 and no SAME.
     */
    static INDArray conv(INDArray x, INDArray weight, INDArray bias, int k, int stride, int dilation, boolean same,
                         BufferPool pool) {
        if (k == 1 && stride == 1) {
            return pointwise(x, weight.reshape('c', weight.size(2), weight.size(3)), bias, pool);
        }
        if (dilation > 1) {
            return spaceToBatchConv(x, weight, bias, k, dilation, pool);
        }
        return nativeConv(x, weight, bias, k, stride, same ? -1 : (k - 1) / 2, pool);
    }

    /** 1×1 convolution as one matrix product {@code [N·H·W, in] × [in, out]}. */
    static INDArray pointwise(INDArray x, INDArray weight2d, INDArray bias, BufferPool pool) {
        long rows = x.length() / x.size(3);
        INDArray out = pool.take(x.size(0), x.size(1), x.size(2), weight2d.size(1));
        INDArray out2d = BufferPool.view(out.data(), rows, weight2d.size(1));
        Nd4j.gemm(BufferPool.view(x.data(), rows, x.size(3)), weight2d, out2d, false, false, 1.0, 0.0);
        if (bias != null) {
            out2d.addiRowVector(bias);
        }
        return out;
    }

    /**
     * A stride-1 dilated convolution as a plain one (TensorFlow's atrous method): the d² phases
     * {@code x[:, i::d, j::d, :]} are stacked as a batch (phase i·d + j holds images p·N .. p·N + N − 1),
     * convolved with the undilated kernel and padding (k−1)/2, and put back. A phase shorter than
     * ceil(H/d) × ceil(W/d) is padded with zeros, which stand exactly where the dilated convolution
     * reads its zero padding (so is a phase beyond the image, when H or W &lt; d).
     */
    static INDArray spaceToBatchConv(INDArray x, INDArray weight, INDArray bias, int k, int d, BufferPool pool) {
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        long c = x.size(3);
        long hp = (h + d - 1) / d;
        long wp = (w + d - 1) / d;
        boolean ragged = hp * d != h || wp * d != w;
        boolean cpu = Nd4j.getEnvironment().isCPU() && x.dataType() == DataType.FLOAT;
        INDArray batch = ragged ? pool.zeros(d * d * n, hp, wp, c) : pool.take(d * d * n, hp, wp, c);
        if (cpu) {
            copyPhases(x, batch, d, true);
        } else {
            INDArray padded = x;
            if (ragged) {
                padded = pool.zeros(n, hp * d, wp * d, c);
                padded.get(all(), interval(0, h), interval(0, w), all()).assign(x);
            }
            batch.reshape('c', d, d, n, hp, wp, c).assign(padded.reshape('c', n, hp, d, wp, d, c)
                    .permute(2, 4, 0, 1, 3, 5));
            if (padded != x) {
                pool.give(padded);
            }
        }
        INDArray y = nativeConv(batch, weight, bias, k, 1, (k - 1) / 2, pool);
        pool.give(batch);
        long o = y.size(3);
        INDArray out = pool.take(n, h, w, o);
        if (cpu) {
            copyPhases(out, y, d, false);
        } else {
            INDArray full = ragged ? pool.take(n, hp * d, wp * d, o) : out;
            full.reshape('c', n, hp, d, wp, d, o).assign(y.reshape('c', d, d, n, hp, wp, o).permute(2, 3, 0, 4, 1, 5));
            if (ragged) {
                out.assign(full.get(all(), interval(0, h), interval(0, w), all()));
                pool.give(full);
            }
        }
        pool.give(y);
        return out;
    }

    /**
     * Moves whole channel vectors between an image batch {@code [N, H, W, C]} and its phase batch
     * {@code [d²N, ceil(H/d), ceil(W/d), C]} (both at offset 0 of CPU buffers): one bulk copy per pixel,
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
        for (long m = 0; m < n; m++) {
            for (long i = 0; i < h; i++) {
                for (long j = 0; j < w; j++) {
                    long p = (i % d) * d + j % d;
                    int a = Math.toIntExact(((m * h + i) * w + j) * c);
                    int b = Math.toIntExact((((p * n + m) * hp + i / d) * wp + j / d) * c);
                    if (toPhases) {
                        ph.put(b, img, a, c);
                    } else {
                        img.put(a, ph, b, c);
                    }
                }
            }
        }
    }

    /** ND4J's conv2d op in NHWC, undilated; {@code pad < 0} selects SAME mode. */
    static INDArray nativeConv(INDArray x, INDArray weight, INDArray bias, int k, int stride, int pad, BufferPool pool) {
        long oh = pad < 0 ? (x.size(1) + stride - 1) / stride : (x.size(1) + 2L * pad - k) / stride + 1;
        long ow = pad < 0 ? (x.size(2) + stride - 1) / stride : (x.size(2) + 2L * pad - k) / stride + 1;
        INDArray out = pool.take(x.size(0), oh, ow, weight.size(3));
        Conv2DConfig.Conv2DConfigBuilder cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).dH(1).dW(1)
                .dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.YXIO);
        if (pad < 0) {
            cfg.paddingMode(PaddingMode.SAME);
        } else {
            cfg.pH(pad).pW(pad).paddingMode(PaddingMode.VALID);
        }
        INDArray[] in = bias == null ? new INDArray[] {x, weight} : new INDArray[] {x, weight, bias};
        Nd4j.exec(new Conv2D(in, new INDArray[] {out}, cfg.build()));
        return out;
    }

    /** Max pooling k×k, explicit symmetric padding (padded cells never win). */
    static INDArray maxPool(INDArray x, int k, int stride, int pad, BufferPool pool) {
        INDArray out = pool.take(x.size(0), (x.size(1) + 2L * pad - k) / stride + 1,
                (x.size(2) + 2L * pad - k) / stride + 1, x.size(3));
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .dH(1).dW(1).type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(true).build();
        Nd4j.exec(new MaxPooling2D(x, out, cfg));
        return out;
    }

    /** {@code x·scale + shift} per channel (last axis), optionally ReLU'd; in place when allowed. */
    static INDArray scaleShift(INDArray x, INDArray scale, INDArray shift, boolean relu, boolean inPlace,
                               BufferPool pool) {
        long rows = x.length() / x.size(3);
        INDArray out = inPlace ? x : pool.take(x.shape());
        INDArray out2d = BufferPool.view(out.data(), rows, x.size(3));
        if (inPlace) {
            out2d.muliRowVector(scale);
        } else {
            Nd4j.exec(new BroadcastMulOp(BufferPool.view(x.data(), rows, x.size(3)), scale, out2d, 1));
        }
        out2d.addiRowVector(shift);
        if (relu) {
            reluInPlace(out);
        }
        return out;
    }

    static void reluInPlace(INDArray x) {
        Transforms.relu(x, false);
    }
}
