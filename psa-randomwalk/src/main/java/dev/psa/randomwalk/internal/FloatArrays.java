package dev.psa.randomwalk.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between INDArrays and Java arrays (row-major). */
public final class FloatArrays {
    private FloatArrays() {
    }

    /** @return the elements of {@code a} in row-major order as float32 (a copy) */
    public static float[] of(INDArray a) {
        if (a.length() == 0) {
            return new float[0];
        }
        return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
    }

    /** @return a new row-major float32 array of the given shape over a copy of {@code data} */
    public static INDArray create(float[] data, long... shape) {
        return Nd4j.create(data, shape, DataType.FLOAT);
    }
}
