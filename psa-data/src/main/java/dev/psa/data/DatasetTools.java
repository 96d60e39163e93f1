package dev.psa.data;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.io.Locations;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesGenerator;
import dev.psa.data.shapes.ShapesImage;
import dev.psa.data.voc.Voc2012Dataset;
import dev.psa.data.voc.VocWriter;
import java.util.Arrays;

/**
 * The logic of the {@code psa data …} commands; the CLI only parses arguments and calls these.
 */
public final class DatasetTools {
    private DatasetTools() {
    }

    /**
     * {@code psa data synth --out DIR --n N [--seed S]}: writes N images of the built-in shapes
     * dataset (default settings) in the VOC layout under {@code out}.
     */
    public static SynthSummary synth(Path out, int n, long seed) {
        return synth(out, ShapesConfig.defaults().with(ShapesConfig.defaults().size(), n, seed), VocWriter.Format.PNG);
    }

    /**
     * Writes the images of a shapes configuration in the VOC layout: the {@code train} and
     * {@code val} splits of {@link dev.psa.data.shapes.ShapesDataset} with the same ids and pixels,
     * {@code ImageSets/Segmentation/{train,val,trainval}.txt} and {@code classes.txt}; the command
     * prints {@link SynthSummary#line()}.
     */
    public static SynthSummary synth(Path out, ShapesConfig config, VocWriter.Format format) {
        requireNonNull(out, "out is null");
        requireNonNull(config, "config is null");
        requireNonNull(format, "format is null");
        ShapesGenerator gen = new ShapesGenerator(config);
        VocWriter writer = new VocWriter(out, gen.classes(), format);
        writer.writeClasses();
        List<String> train = writeSplit(gen, writer, "train", config.trainCount());
        List<String> val = writeSplit(gen, writer, "val", config.valCount());
        List<String> all = new ArrayList<>(train);
        all.addAll(val);
        writer.writeSplit("train", train);
        writer.writeSplit("val", val);
        writer.writeSplit("trainval", all);
        return new SynthSummary(out, train.size(), val.size(), config.size(), gen.classes().size(), config.seed());
    }

    private static List<String> writeSplit(ShapesGenerator gen, VocWriter writer, String split, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ShapesImage img = gen.generate(split, i);
            writer.write(img.id(), img.image(), img.mask());
            ids.add(img.id());
        }
        return ids;
    }

    /**
     * {@code psa data stats DIR}: per class name, the number of images containing it and its pixel
     * count, from the masks ({@code SegmentationClass/*.png}, else {@code SegmentationClassAug/*.png});
     * without masks, image counts come from {@code Annotations/*.xml} and pixels print as {@code -}.
     * {@code dir} is a VOC-layout root or a VOCdevkit folder above one. Unreadable files are listed
     * at the end and skipped. The command prints {@link Stats#lines()}:
     * <pre>
     * dataset /data/VOCdevkit/VOC2012: 1464 masks in SegmentationClass
     * class           images       pixels
     * background        1464    ...
     * aeroplane           88    ...
     * …
     * ignore (255)      1464    ...
     * </pre>
     *
     * @return the counts and their table
     */
    public static Stats stats(Path dir) {
        requireNonNull(dir, "dir is null");
        List<String> out = new ArrayList<>();
        Path root = Voc2012Dataset.resolveRoot(dir);
        ClassList classes = Voc2012Dataset.open(root).classes();
        int k = classes.size();
        long[] images = new long[256];
        long[] pixels = new long[256];
        List<String> problems = new ArrayList<>();
        Path masks = root.resolve("SegmentationClass");
        if (!Files.isDirectory(masks)) {
            masks = root.resolve("SegmentationClassAug");
        }
        int files = 0;
        String source;
        boolean withPixels;
        if (Files.isDirectory(masks)) {
            withPixels = true;
            source = masks.getFileName().toString();
            for (Path f : list(masks, ".png")) {
                try {
                    LabelMap m = LabelPng.read(f);
                    long[] hist = new long[256];
                    for (int i = 0; i < m.height() * m.width(); i++) {
                        hist[m.get(i)]++;
                    }
                    for (int v = 0; v < 256; v++) {
                        if (hist[v] > 0 && v >= k && v != ClassList.IGNORE) {
                            throw new PsaException(f + ": label value " + v + " is outside the class range 0.."
                                    + (k - 1) + " (or 255 = ignore)");
                        }
                    }
                    for (int v = 0; v < 256; v++) {
                        if (hist[v] > 0) {
                            images[v]++;
                            pixels[v] += hist[v];
                        }
                    }
                    files++;
                } catch (PsaException e) {
                    problems.add(e.getMessage());
                }
            }
        } else {
            withPixels = false;
            source = "Annotations";
            Path ann = root.resolve("Annotations");
            if (!Files.isDirectory(ann)) {
                throw new PsaException(Locations.string(root) + ": no SegmentationClass/, SegmentationClassAug/ or Annotations/ to count");
            }
            for (Path f : list(ann, ".xml")) {
                try {
                    for (int c : Voc2012Dataset.labelsFromXml(f, classes)) {
                        images[c]++;
                    }
                    files++;
                } catch (PsaException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        out.add("dataset " + Locations.string(root) + ": " + files + (withPixels ? " masks in " : " annotations in ") + source);
        int width = Math.max(12, classes.names().stream().mapToInt(String::length).max().orElse(0));
        out.add(String.format("%-" + width + "s %8s %14s", "class", "images", "pixels"));
        List<String> names = new ArrayList<>(classes.names());
        for (int c = 0; c < k; c++) {
            out.add(String.format("%-" + width + "s %8d %14s", names.get(c), images[c],
                    withPixels ? Long.toString(pixels[c]) : "-"));
        }
        if (withPixels) {
            out.add(String.format("%-" + width + "s %8d %14d", "ignore (255)", images[255], pixels[255]));
        }
        if (!problems.isEmpty()) {
            out.add("skipped " + problems.size() + " unreadable file(s):");
            problems.forEach(p -> out.add("  " + p));
        }
        long[] img = Arrays.copyOf(images, k);
        long[] pix = withPixels ? Arrays.copyOf(pixels, k) : new long[0];
        return new Stats(root, classes, files, img, pix, withPixels ? images[255] : 0, withPixels ? pixels[255] : 0,
                List.copyOf(problems), List.copyOf(out));
    }

    private static List<Path> list(Path dir, String ext) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(ext)).sorted().toList();
        } catch (IOException e) {
            throw new PsaException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * What {@link #stats} counted.
     *
     * @param images per class id, the number of images containing it
     * @param pixels per class id, its pixel count (empty when counted from annotations)
     * @param lines  the table {@code psa data stats} prints
     */
    public record Stats(Path root, ClassList classes, int files, long[] images, long[] pixels, long ignoreImages,
                        long ignorePixels, List<String> problems, List<String> lines) {
    }

    /** What {@link #synth} wrote. */
    public record SynthSummary(Path out, int train, int val, int size, int classes, long seed) {
        /** {@code wrote N images (train T, val V) of SxS pixels, K classes, seed S to DIR}. */
        public String line() {
            return "wrote " + (train + val) + " images (train " + train + ", val " + val + ") of " + size + "x" + size
                    + " pixels, " + classes + " classes, seed " + seed + " to " + Locations.string(out);
        }
    }
}
