package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

/**
 * One tensor of a weight file as the file stores it, before anything is read or converted.
 *
 * @param shape         the tensor's shape as stored (PyTorch conv weights [out, in, kh, kw]); empty for a 0-d tensor
 * @param dtype         numpy's name of the stored type: {@code float32}, {@code float64}, {@code float16},
 *                      {@code bfloat16}, {@code int64}, {@code int32}, {@code int16}, {@code int8},
 *                      {@code uint8}, {@code bool}
 * @param storage       the storage it is a view of (a PyTorch storage key; an .npz entry name);
 *                      two tensors with one storage share its bytes
 * @param storageOffset first element of the view in its storage, in elements
 * @param stride        elements between neighbours along each dimension (C order: {@code [.., w, 1]})
 */
public record TensorInfo(long[] shape, String dtype, String storage, long storageOffset, long[] stride) {
    public TensorInfo {
        shape = shape.clone();
        requireNonNull(dtype, "dtype is null");
        requireNonNull(storage, "storage is null");
        stride = stride.clone();
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("shape and stride differ in rank: " + shape.length + " vs " + stride.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }

    /** Number of elements. */
    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** PyTorch's {@code is_contiguous()}: C-order strides, dimensions of size 1 excepted. */
    public boolean contiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) {
                return true;
            }
            if (shape[d] != 1) {
                if (stride[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
        }
        return true;
    }

    /** C-order strides of a shape. */
    static long[] cStrides(long[] shape) {
        long[] s = new long[shape.length];
        long n = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = n;
            n *= shape[d];
        }
        return s;
    }
}
