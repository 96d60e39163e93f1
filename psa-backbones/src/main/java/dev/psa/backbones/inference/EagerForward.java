package dev.psa.backbones.inference;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.NativeHelpers;
import dev.psa.api.spi.EagerInference;

/**
 * A compiled eager forward pass ({@link LayerProgram#compile}): a fixed list of kernels over numbered
 * value slots. Values live in NHWC; each is closed (its native memory freed) right after its last
 * reader, and a kernel overwrites an input in place when nothing reads it afterwards, so the memory
 * held at any time is about the live activations of one layer, not of the whole network.
 */
public final class EagerForward implements EagerInference.Forward {
    /** One layer op: reads values, returns a new one or an input it was allowed to overwrite. */
    @FunctionalInterface
    interface Kernel {
        INDArray run(INDArray[] in, boolean[] mayOverwrite);
    }

    /** A kernel applied to slots; {@code free}: slots whose last reader this is. */
    record Instr(String name, Kernel kernel, int[] in, int out, int[] free) {
    }

    private final List<Instr> instrs;
    private final int slots;
    private final int inputSlot;
    private final int outputSlot;

    EagerForward(List<Instr> instrs, int slots, int inputSlot, int outputSlot) {
        this.instrs = List.copyOf(instrs);
        this.slots = slots;
        this.inputSlot = inputSlot;
        this.outputSlot = outputSlot;
    }

    /** The number of kernels (layers after fusion). */
    public int kernels() {
        return instrs.size();
    }

    @Override
    public INDArray apply(INDArray images) {
        INDArray nhwc = applyNhwc(images);
        INDArray out = nhwc.permute(0, 3, 1, 2).dup('c');
        nhwc.close();
        return out;
    }

    /**
     * @param images [N, 3, H, W] float32, normalised (not modified)
     * @return the output in NHWC, [N, h, w, C] float32, a new array
     */
    public INDArray applyNhwc(INDArray images) {
        if (images == null || images.rank() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("images: expected [N, 3, H, W], got "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        return NativeHelpers.eager(() -> run(images));
    }

    private INDArray run(INDArray images) {
        INDArray[] values = new INDArray[slots];
        values[inputSlot] = images.castTo(DataType.FLOAT).permute(0, 2, 3, 1).dup('c');
        boolean done = false;
        try {
            for (Instr instr : instrs) {
                INDArray[] in = new INDArray[instr.in().length];
                boolean[] overwrite = new boolean[in.length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = values[instr.in()[i]];
                    overwrite[i] = contains(instr.free(), instr.in()[i]) && count(instr.in(), instr.in()[i]) == 1;
                }
                INDArray result = instr.kernel().run(in, overwrite);
                for (int slot : instr.free()) {
                    INDArray dead = values[slot];
                    values[slot] = null;
                    if (dead != null && dead != result) {
                        dead.close();
                    }
                }
                values[instr.out()] = result;
            }
            done = true;
            return values[outputSlot];
        } finally {
            if (!done) {
                for (INDArray v : values) {
                    if (v != null && !v.wasClosed()) {
                        v.close();
                    }
                }
            }
        }
    }

    private static boolean contains(int[] a, int v) {
        return count(a, v) > 0;
    }

    private static int count(int[] a, int v) {
        int c = 0;
        for (int x : a) {
            c += x == v ? 1 : 0;
        }
        return c;
    }
}
