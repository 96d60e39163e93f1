package dev.psa.randomwalk.internal;

import static java.util.Objects.requireNonNull;

import dev.psa.api.AffinityGraph;
import dev.psa.api.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The argument checks every built-in walk solver makes. */
public final class WalkInputs {
    private WalkInputs() {
    }

    /**
     * @param solver the solver's name, for messages
     * @throws IllegalArgumentException when the scores are not [C, h, w] on the graph's grid, are not
     *                                  floating point, or steps is negative
     */
    public static void check(String solver, AffinityGraph affinity, INDArray scores, int steps) {
        requireNonNull(affinity, "affinity is null");
        Shapes.check(solver + " walk: scores", "[C, h, w]", scores, -1, affinity.height(), affinity.width());
        if (!scores.dataType().isFPType()) {
            throw new IllegalArgumentException(solver + " walk: scores must be floating point, got "
                    + scores.dataType());
        }
        if (steps < 0) {
            throw new IllegalArgumentException(solver + " walk: steps must be >= 0, got " + steps);
        }
    }

    /** t = 0: a float32 copy of the scores. */
    public static INDArray copy(INDArray scores) {
        return scores.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * @param data row-major [C, N] scores
     * @return per channel whether it has any non-zero value
     * @throws IllegalArgumentException at the first value that is not finite
     */
    public static boolean[] nonZeroChannels(String solver, float[] data, int channels, int cells) {
        boolean[] nonZero = new boolean[channels];
        for (int c = 0; c < channels; c++) {
            for (int i = c * cells; i < (c + 1) * cells; i++) {
                float v = data[i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(solver + " walk: score [c=" + c + ", cell " + (i - c * cells)
                            + "] is " + v + "; scores must be finite");
                }
                nonZero[c] |= v != 0;
            }
        }
        return nonZero;
    }
}
