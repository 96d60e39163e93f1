package dev.psa.cam.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;

/** Small tensor operations of the CAM pipeline, all through ND4J ops (so they run on the GPU backend). */
public final class Tensors {
    private Tensors() {
    }

    /**
     * Bilinear resize with half-pixel centres (PyTorch {@code align_corners=False}, REFERENCE.md
     * §Stage 1 upsampling).
     *
     * @param x [N, C, h, w] float32
     * @return [N, C, height, width] float32, a new array
     */
    public static INDArray resizeBilinear(INDArray x, int height, int width) {
        if (x.size(2) == height && x.size(3) == width) {
            return x.dup();
        }
        INDArray nhwc = x.permute(0, 2, 3, 1).dup('c');
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), height, width, x.size(1));
        Nd4j.exec(new ResizeBilinear(nhwc, out, height, width, false, true));
        return out.permute(0, 3, 1, 2).dup('c');
    }

    /**
     * Mirrors the last axis (horizontal flip).
     *
     * @param x any rank ≥ 1
     * @return a new array of the same shape
     */
    public static INDArray flipLastAxis(INDArray x) {
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.exec(new Reverse(x.dup('c'), out, x.rank() - 1));
        return out;
    }
}
