package dev.psa.affinity.sampler;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.PairClass;

/** Reading pair-class arrays into Java and writing weights back. */
final class PairCodes {
    private PairCodes() {
    }

    /** @return the codes in 'c' order, each checked to be a {@link PairClass} code */
    static int[] read(INDArray pairClasses) {
        float[] f = pairClasses.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] codes = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            int c = Math.round(f[i]);
            if (c < PairClass.IGNORE || c > PairClass.NEGATIVE || c != f[i]) {
                throw new IllegalArgumentException("pairClasses: value " + f[i] + " at flat index " + i
                        + " is not a PairClass code (0 ignore, 1 bg+, 2 fg+, 3 negative)");
            }
            codes[i] = c;
        }
        return codes;
    }

    static INDArray like(float[] data, INDArray shapeOf) {
        return Nd4j.create(data, shapeOf.shape(), 'c');
    }
}
