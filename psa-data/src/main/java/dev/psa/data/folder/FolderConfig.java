package dev.psa.data.folder;

import static java.util.Objects.requireNonNull;

import java.util.List;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Layout of a custom dataset ({@code data.name=folder}, keys {@code data.folder.*}), all paths
 * relative to {@code data.root}.
 *
 * @param images     folder of the images ({@code <id>.jpg|.jpeg|.png})
 * @param labels     the label list: one line per image, {@code <id> <class> <class> …} (spaces,
 *                   tabs or commas; {@code #} starts a comment); these ids form the split {@code all}
 * @param masks      folder of optional masks ({@code <id>.png}, class ids or VOC palette); used
 *                   when it exists
 * @param classes    class list file, one name per line, background first
 * @param classNames the class list inline (background first); when set, {@code classes} is not read
 * @param splits     folder of further id lists {@code <split>.txt}; used when it exists
 */
public record FolderConfig(String images, String labels, String masks, String classes, List<String> classNames,
                           String splits) {
    public static final String PREFIX = "data.folder.";

    public FolderConfig {
        requireNonNull(images, "images is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(masks, "masks is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(splits, "splits is null");
        classNames = List.copyOf(classNames);
        Validator v = new Validator(PREFIX);
        v.check(!images.isBlank(), "images", "must name a folder under data.root");
        v.check(!labels.isBlank(), "labels", "must name the label list file under data.root");
        v.check(classNames.isEmpty() || classNames.size() >= 2, "class-names",
                "needs the background and at least one class, got " + classNames);
        v.check(classNames.stream().distinct().count() == classNames.size(), "class-names",
                "names must be unique, got " + classNames);
        v.throwIfAny();
    }

    /** @param c the view scoped to {@code data.folder.} */
    public static FolderConfig from(ComponentConfig c) {
        FolderConfig d = defaults();
        return new FolderConfig(c.getString("images", d.images), c.getString("labels", d.labels),
                c.getString("masks", d.masks), c.getString("classes", d.classes),
                c.getStrings("class-names", d.classNames), c.getString("splits", d.splits));
    }

    public static FolderConfig defaults() {
        return new FolderConfig("images", "labels.txt", "masks", "classes.txt", List.of(), "splits");
    }
}
