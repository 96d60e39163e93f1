package dev.psa.backbones.weights.internal;

import java.util.List;

/**
 * A {@code torch.<Type>Storage} named in a pickle: element size and how its bytes decode.
 *
 * @param name     e.g. {@code FloatStorage}
 * @param itemSize bytes per element
 */
public record StorageType(String name, int itemSize) {
    public static final List<String> NAMES = List.of("FloatStorage", "DoubleStorage", "HalfStorage",
            "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage");

    public static StorageType of(String name) {
        int size = switch (name) {
            case "FloatStorage", "IntStorage" -> 4;
            case "DoubleStorage", "LongStorage" -> 8;
            case "HalfStorage", "BFloat16Storage", "ShortStorage" -> 2;
            case "CharStorage", "ByteStorage", "BoolStorage" -> 1;
            default -> throw new IllegalArgumentException("unknown storage type " + name);
        };
        return new StorageType(name, size);
    }
}
