package dev.psa.api;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shape checks for public entry points. Messages state both sides, e.g.
 * {@code cams: expected [K, h, w] = [21, 47, 63], got [21, 63, 47]}. A {@code -1} in an
 * expected shape accepts any size on that axis.
 */
public final class Shapes {
    private Shapes() {
    }

    /**
     * @param what     the parameter's name, as the message shows it
     * @param letters  the symbolic shape, e.g. {@code "[K, h, w]"}
     * @param array    the array to check
     * @param expected the expected sizes; -1 accepts any size
     * @return the array
     * @throws IllegalArgumentException naming both shapes when they differ
     */
    public static INDArray check(String what, String letters, INDArray array, long... expected) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        long[] got = array.shape();
        boolean ok = got.length == expected.length;
        for (int i = 0; ok && i < got.length; i++) {
            ok = expected[i] < 0 || expected[i] == got[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(what + ": expected " + letters + " = "
                    + format(expected) + ", got " + Arrays.toString(got));
        }
        return array;
    }

    /** Like {@link #check} and also requires the data type. */
    public static INDArray check(String what, String letters, DataType type, INDArray array, long... expected) {
        check(what, letters, array, expected);
        if (array.dataType() != type) {
            throw new IllegalArgumentException(what + ": expected " + type + ", got " + array.dataType());
        }
        return array;
    }

    private static String format(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] < 0 ? "*" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }

    /** Stride-8 size of an image side: {@code ceil(size / 8)}. */
    public static int strided(int size, int stride) {
        return (size + stride - 1) / stride;
    }
}
