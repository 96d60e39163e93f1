package dev.psa.api;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A per-pixel class map: ground-truth mask, seed labels or pseudo labels. Values are class ids
 * {@code 0..K-1} or {@link ClassList#IGNORE}; stored row-major as unsigned bytes.
 *
 * @param height H
 * @param width  W
 * @param data   H·W unsigned bytes, row-major (the array is owned by the record; do not mutate)
 */
public record LabelMap(int height, int width, byte[] data) {
    public LabelMap {
        requireNonNull(data, "data is null");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("label map size must be positive, got " + width + "x" + height);
        }
        if (data.length != height * width) {
            throw new IllegalArgumentException("label map data: expected H*W = " + height + "*" + width + " = "
                    + (height * width) + " bytes, got " + data.length);
        }
    }

    /** A map filled with one value. */
    public static LabelMap filled(int height, int width, int value) {
        byte[] d = new byte[height * width];
        Arrays.fill(d, (byte) value);
        return new LabelMap(height, width, d);
    }

    /** The label at (y, x), in 0..255. */
    public int get(int y, int x) {
        return data[y * width + x] & 0xFF;
    }

    /** The label at flat index {@code y * width + x}, in 0..255. */
    public int get(int index) {
        return data[index] & 0xFF;
    }

    /** @return a copy of the labels as ints, row-major */
    public int[] toIntArray() {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] & 0xFF;
        }
        return out;
    }

    /**
     * Checks every value is a class id below {@code numClasses} or 255.
     *
     * @param source the file or stage the map came from, named in the error
     */
    public LabelMap validate(int numClasses, String source) {
        for (int i = 0; i < data.length; i++) {
            int v = data[i] & 0xFF;
            if (v >= numClasses && v != ClassList.IGNORE) {
                throw new PsaException(source + ": label value " + v + " at (y=" + (i / width) + ", x=" + (i % width)
                        + ") is outside the class range 0.." + (numClasses - 1) + " (or 255 = ignore)");
            }
        }
        return this;
    }

    /** @return sorted ids of the classes present (255 excluded, background included if present) */
    public int[] classesPresent() {
        boolean[] seen = new boolean[256];
        for (byte b : data) {
            seen[b & 0xFF] = true;
        }
        return IntStream.range(0, 255).filter(i -> seen[i]).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap m && m.height == height && m.width == width && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LabelMap[" + width + "x" + height + "]";
    }
}
