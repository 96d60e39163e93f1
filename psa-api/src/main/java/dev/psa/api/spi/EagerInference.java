package dev.psa.api.spi;

import java.util.function.Function;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A backbone's inference graph run op by op outside SameDiff, for the stages that only read features
 * (CAMs, affinity features): frozen batch norms folded into the convolutions, no gradient state, every
 * intermediate array freed as soon as nothing reads it. It computes what the SameDiff graph built with
 * {@code training = false} computes, up to float rounding. Optional ({@link BackboneGraph#eager()}): a
 * backbone without one has its graph run by SameDiff.
 */
public interface EagerInference {
    /**
     * Prepares a forward pass from the backbone's input to one of the variables it built, with the
     * parameter values {@code sd} holds now (later changes to them are not seen: compile again).
     *
     * @param sd     the graph the backbone was built into, holding the parameters
     * @param output the name of a variable the backbone built, e.g. its output tap's
     * @return the forward pass
     * @throws IllegalArgumentException if {@code output} was not built by this backbone's layers or
     *     depends on a training-only op (dropout)
     */
    Forward compile(SameDiff sd, String output);

    /**
     * {@link #compile(SameDiff, String)} computing in {@code type}: {@code DOUBLE} gives a float64
     * reference of the float32 graph's values (parameters widened, every op in float64, ND4J's own
     * kernels), against which both float32 paths' rounding is measured. Inputs and outputs are then
     * float64 too.
     *
     * @throws IllegalArgumentException for a type other than FLOAT or DOUBLE, and as the other
     */
    default Forward compile(SameDiff sd, String output, DataType type) {
        if (type == DataType.FLOAT) {
            return compile(sd, output);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " runs in FLOAT only");
    }

    /** A compiled forward pass; safe to call from several threads (calls run one at a time). */
    @FunctionalInterface
    interface Forward {
        /**
         * @param images [N, 3, H, W] float32, normalised for the backbone (not modified)
         * @return the variable's value for these images, [N, C, h, w] in the compiled type (float32
         *     unless compiled for DOUBLE), a new array
         */
        INDArray apply(INDArray images);

        /**
         * Lets {@code reader} read the output in NHWC, [N, h, w, C], without the copy to NCHW that
         * {@link #apply} makes: for a large output read once (the 4096-channel features at a CAM's
         * largest scale are ~0.4 GB), that copy would be the pass's biggest allocation.
         *
         * @param reader gets the output, valid only during the call (do not keep it or views of it)
         * @return what {@code reader} returned
         */
        default <T> T readNhwc(INDArray images, Function<INDArray, T> reader) {
            INDArray nchw = apply(images);
            try {
                return reader.apply(nchw.permute(0, 2, 3, 1));
            } finally {
                nchw.close();
            }
        }
    }
}
