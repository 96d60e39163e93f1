package dev.psa.data.voc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.api.Sample;
import java.util.Arrays;

/**
 * Writes a dataset in the VOC 2012 layout so every VOC tool reads it: {@code JPEGImages/<id>.png}
 * (or {@code .jpg}), {@code SegmentationClass/<id>.png} (VOC palette), {@code Annotations/<id>.xml}
 * ({@code <object><name>} with a bounding box per class), {@code ImageSets/Segmentation/<split>.txt}
 * and {@code classes.txt} (the class list, background first). All files are written atomically.
 */
public final class VocWriter {
    /** Image file format. */
    public enum Format {
        /** lossless PNG (exact pixels); the VOC readers of psa accept {@code JPEGImages/*.png} */
        PNG,
        /** JPEG at quality 0.95, for tools that only read {@code JPEGImages/*.jpg} */
        JPEG
    }

    private final Path root;
    private final ClassList classes;
    private final Format format;

    /**
     * @param root    the folder that will hold JPEGImages/ etc.
     * @param classes the class list written to classes.txt
     */
    public VocWriter(Path root, ClassList classes, Format format) {
        this.root = requireNonNull(root, "root is null");
        this.classes = requireNonNull(classes, "classes is null");
        this.format = requireNonNull(format, "format is null");
    }

    /**
     * Writes one image with its mask and annotation.
     *
     * @param rgb  [3, H, W] RGB in [0, 255]
     * @param mask [H, W] class ids (255 = ignore)
     */
    public void write(String id, INDArray rgb, LabelMap mask) {
        Sample.checkId(id);
        if (rgb.size(1) != mask.height() || rgb.size(2) != mask.width()) {
            throw new IllegalArgumentException("image " + id + " is " + rgb.size(2) + "x" + rgb.size(1)
                    + " but its mask is " + mask.width() + "x" + mask.height());
        }
        mask.validate(classes.size(), "mask of " + id);
        String ext = format == Format.PNG ? ".png" : ".jpg";
        if (format == Format.PNG) {
            ImageIo.writePng(root.resolve("JPEGImages").resolve(id + ext), rgb);
        } else {
            ImageIo.writeJpeg(root.resolve("JPEGImages").resolve(id + ext), rgb, 0.95f);
        }
        LabelPng.write(root.resolve("SegmentationClass").resolve(id + ".png"), mask);
        writeText(root.resolve("Annotations").resolve(id + ".xml"), annotation(id + ext, mask));
    }

    /** Writes {@code ImageSets/Segmentation/<split>.txt}. */
    public void writeSplit(String split, List<String> ids) {
        writeText(root.resolve("ImageSets/Segmentation").resolve(split + ".txt"),
                ids.isEmpty() ? "" : String.join("\n", ids) + "\n");
    }

    /** Writes {@code classes.txt}. */
    public void writeClasses() {
        writeText(root.resolve(Voc2012Dataset.CLASSES_FILE), String.join("\n", classes.names()) + "\n");
    }

    /** A VOC annotation: size and one object (name + bounding box of its pixels) per class present. */
    String annotation(String filename, LabelMap mask) {
        int k = classes.size();
        int[] x0 = new int[k];
        int[] y0 = new int[k];
        int[] x1 = new int[k];
        int[] y1 = new int[k];
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        Arrays.fill(x1, -1);
        Arrays.fill(y1, -1);
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                int c = mask.get(y, x);
                if (c > 0 && c < k) {
                    x0[c] = Math.min(x0[c], x);
                    y0[c] = Math.min(y0[c], y);
                    x1[c] = Math.max(x1[c], x);
                    y1[c] = Math.max(y1[c], y);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<annotation>\n  <folder>VOC2012</folder>\n  <filename>").append(escape(filename))
                .append("</filename>\n  <size>\n    <width>").append(mask.width()).append("</width>\n    <height>")
                .append(mask.height()).append("</height>\n    <depth>3</depth>\n  </size>\n  <segmented>1</segmented>\n");
        List<Integer> present = new ArrayList<>();
        for (int c = 1; c < k; c++) {
            if (x1[c] >= 0) {
                present.add(c);
            }
        }
        for (int c : present) {
            // VOC boxes are 1-based and inclusive
            sb.append(String.format(Locale.ROOT, "  <object>\n    <name>%s</name>\n    <pose>Unspecified</pose>\n"
                    + "    <truncated>0</truncated>\n    <difficult>0</difficult>\n    <bndbox>\n"
                    + "      <xmin>%d</xmin>\n      <ymin>%d</ymin>\n      <xmax>%d</xmax>\n      <ymax>%d</ymax>\n"
                    + "    </bndbox>\n  </object>\n", escape(classes.name(c)), x0[c] + 1, y0[c] + 1, x1[c] + 1, y1[c] + 1));
        }
        return sb.append("</annotation>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void writeText(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new PsaException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
