package dev.psa.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The classes of a dataset, index = class id. Index 0 is always the background; label value 255
 * ("ignore") is not a class.
 *
 * @param names K class names, names[0] is the background
 */
public record ClassList(List<String> names) {
    /** The label value that marks pixels to ignore. */
    public static final int IGNORE = 255;

    private static final ClassList VOC = new ClassList(List.of("background", "aeroplane", "bicycle", "bird",
            "boat", "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike",
            "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"));

    public ClassList {
        requireNonNull(names, "names is null");
        names = List.copyOf(names);
        if (names.size() < 2) {
            throw new IllegalArgumentException("a class list needs background and at least one class, got " + names);
        }
        if (names.size() > 255) {
            throw new IllegalArgumentException("at most 255 classes fit a uint8 label map, got " + names.size());
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("class names must be unique, got " + names);
        }
    }

    /** The 21 PASCAL VOC classes in their standard order. */
    public static ClassList voc() {
        return VOC;
    }

    /** K, the number of classes including background. */
    public int size() {
        return names.size();
    }

    public String name(int id) {
        if (id < 0 || id >= names.size()) {
            throw new IllegalArgumentException("class id " + id + " outside [0, " + (names.size() - 1) + "]");
        }
        return names.get(id);
    }

    /** @return the id of a class name; throws naming the known classes when it is not one */
    public int id(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown class '" + name + "'; known classes: " + names);
        }
        return i;
    }
}
