package dev.psa.backbones.inference;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float buffers reused by the eager path across layers and passes. ND4J 1.0.0-M2.1 frees an array's
 * native memory only when the garbage collector finds its Java object ({@code close()} marks it closed
 * but keeps the memory), and the heap fills so slowly that dead activations piled up to several GB per
 * image; reusing them also saves the page faults of fresh memory. An array handed out is a C-ordered
 * view at offset 0 of a buffer at least as long (best fit, at most twice as long). {@link #release}
 * frees the held buffers ({@code DataBuffer.close()} does return native memory at once).
 */
final class BufferPool {
    private final TreeMap<Long, ArrayDeque<DataBuffer>> free = new TreeMap<>();
    private final DataType type;
    private long allocated;

    /** A pool of float32 buffers. */
    BufferPool() {
        this(DataType.FLOAT);
    }

    /** A pool of buffers of this type (FLOAT, or DOUBLE for a reference pass). */
    BufferPool(DataType type) {
        this.type = type;
    }

    /** The type of the arrays handed out. */
    DataType type() {
        return type;
    }

    /** A C-ordered array of this shape and the pool's type, contents undefined. */
    INDArray take(long... shape) {
        long len = 1;
        for (long s : shape) {
            len *= s;
        }
        DataBuffer buf = null;
        Map.Entry<Long, ArrayDeque<DataBuffer>> e = free.ceilingEntry(len);
        if (e != null && e.getKey() <= 2 * len) {
            buf = e.getValue().pop();
            if (e.getValue().isEmpty()) {
                free.remove(e.getKey());
            }
        }
        if (buf == null) {
            buf = Nd4j.createUninitialized(type, len).data();
            allocated += len * type.width();
        }
        return view(buf, shape);
    }

    /** An array of this shape, all zeros. */
    INDArray zeros(long... shape) {
        INDArray a = take(shape);
        a.assign(0);
        return a;
    }

    /** Returns an array's buffer for reuse; the array (and any view of its buffer) must not be used again. */
    void give(INDArray a) {
        DataBuffer buf = a.data();
        free.computeIfAbsent(buf.length(), k -> new ArrayDeque<>()).push(buf);
    }

    /**
     * Frees the native memory of every buffer held for reuse ({@code DataBuffer.close()} returns it at
     * once; arrays given back must not be used again anyway).
     */
    void release() {
        for (ArrayDeque<DataBuffer> q : free.values()) {
            for (DataBuffer b : q) {
                allocated -= b.length() * type.width();
                b.close();
            }
        }
        free.clear();
    }

    /** Bytes allocated by this pool and not released: the buffers held for reuse and those handed out. */
    long allocatedBytes() {
        return allocated;
    }

    /** A C-ordered array of {@code shape} on the first elements of a buffer (of an array at offset 0). */
    static INDArray view(DataBuffer buf, long... shape) {
        return Nd4j.create(buf, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }
}
