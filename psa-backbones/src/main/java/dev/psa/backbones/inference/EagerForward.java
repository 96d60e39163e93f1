package dev.psa.backbones.inference;

import java.util.Arrays;
import java.util.function.Function;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.NativeHelpers;
import dev.psa.api.spi.EagerInference;

/**
 * A compiled eager forward pass ({@link LayerProgram#compile}): a fixed list of kernels over numbered
 * value slots. Values live in NHWC in arrays of a {@link BufferPool}; a value's buffer goes back to the
 * pool right after its last reader, and a kernel overwrites an input in place when nothing reads it
 * afterwards, so the memory in use is about the live activations of one layer, and the buffers of one
 * pass are reused by the next pass of the same input shape (freed before one of another shape).
 */
public final class EagerForward implements EagerInference.Forward {
    /** One layer op: reads values, returns a new one (from the pool) or an input it may overwrite. */
    @FunctionalInterface
    interface Kernel {
        INDArray run(INDArray[] in, boolean[] mayOverwrite, BufferPool pool);
    }

    /** A kernel applied to slots; {@code free}: slots whose last reader this is. */
    record Instr(String name, Kernel kernel, int[] in, int out, int[] free) {
    }

    private final List<Instr> instrs;
    private final int slots;
    private final int inputSlot;
    private final int outputSlot;
    private final BufferPool pool;
    private long[] lastShape;

    EagerForward(List<Instr> instrs, int slots, int inputSlot, int outputSlot, DataType type) {
        this.pool = new BufferPool(type);
        this.instrs = List.copyOf(instrs);
        this.slots = slots;
        this.inputSlot = inputSlot;
        this.outputSlot = outputSlot;
    }

    /** The number of kernels (layers after fusion). */
    public int kernels() {
        return instrs.size();
    }

    /** Bytes of activation buffers held for reuse: those of the last pass. */
    public synchronized long pooledBytes() {
        return pool.allocatedBytes();
    }

    @Override
    public INDArray apply(INDArray images) {
        check(images);
        return NativeHelpers.eager(() -> {
            synchronized (this) {
                INDArray nhwc = run(images);
                INDArray out = Nd4j.createUninitialized(pool.type(), nhwc.size(0), nhwc.size(3), nhwc.size(1),
                        nhwc.size(2));
                out.assign(nhwc.permute(0, 3, 1, 2));
                pool.give(nhwc);
                return out;
            }
        });
    }

    @Override
    public <T> T readNhwc(INDArray images, Function<INDArray, T> reader) {
        check(images);
        return NativeHelpers.eager(() -> {
            synchronized (this) {
                INDArray nhwc = run(images);
                try {
                    return reader.apply(nhwc);
                } finally {
                    pool.give(nhwc);
                }
            }
        });
    }

    /**
     * @param images [N, 3, H, W] float32, normalised (not modified)
     * @return the output in NHWC, [N, h, w, C] float32, a new array
     */
    public INDArray applyNhwc(INDArray images) {
        check(images);
        return NativeHelpers.eager(() -> {
            synchronized (this) {
                INDArray nhwc = run(images);
                INDArray out = nhwc.dup('c');
                pool.give(nhwc);
                return out;
            }
        });
    }

    private static void check(INDArray images) {
        if (images == null || images.rank() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("images: expected [N, 3, H, W], got "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
    }

    /**
     * Runs the kernels; returns the output value (a pool array the caller must give back). A pass on
     * images of another shape than the last one first frees the pool: the buffers of one size rarely
     * fit another (multi-scale CAMs change the size every pass), and keeping each size's set held
     * the sum of all of them (ResNet-38, 500×375 at scales 1, 0.5, 1.5, 2 × flip: ~7 GB of RSS
     * instead of the largest pass's).
     */
    private INDArray run(INDArray images) {
        if (!Arrays.equals(images.shape(), lastShape)) {
            pool.release();
            lastShape = images.shape().clone();
        }
        INDArray[] values = new INDArray[slots];
        INDArray x = pool.take(images.size(0), images.size(2), images.size(3), 3);
        x.assign(images.permute(0, 2, 3, 1).castTo(pool.type()));
        values[inputSlot] = x;
        boolean done = false;
        try {
            for (Instr instr : instrs) {
                INDArray[] in = new INDArray[instr.in().length];
                boolean[] overwrite = new boolean[in.length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = values[instr.in()[i]];
                    overwrite[i] = contains(instr.free(), instr.in()[i]) && count(instr.in(), instr.in()[i]) == 1;
                }
                INDArray result = instr.kernel().run(in, overwrite, pool);
                for (int slot : instr.free()) {
                    INDArray dead = values[slot];
                    values[slot] = null;
                    if (dead != null && dead.data() != result.data()) {
                        pool.give(dead);
                    }
                }
                values[instr.out()] = result;
            }
            done = true;
            return values[outputSlot];
        } finally {
            if (!done) {
                for (INDArray v : values) {
                    if (v != null) {
                        pool.give(v);
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
