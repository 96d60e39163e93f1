package dev.psa.seg;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;

/**
 * {@code psa predict}: segments every image file of a folder with a trained network into
 * {@code OUT/<name>.png} (VOC palette) and, with overlays, {@code OUT/overlay/<name>.png} (the image
 * blended half and half with the label colours; background left as it is). An image that cannot be
 * read or segmented is reported and the others are still done.
 */
public final class SegPredict {
    /** The overlays' folder under the output folder. */
    public static final String OVERLAY = "overlay";

    /** What happened to one file. */
    public record Item(Path image, Path label, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Called after each image (for progress and error lines). */
    @FunctionalInterface
    public interface Listener {
        void onImage(int done, int total, Item item);
    }

    private SegPredict() {
    }

    /**
     * @param images  a folder of images (every regular, non-hidden file, sorted by name; subfolders ignored)
     * @param out     the output folder (created)
     * @param overlay also write the blended pictures
     * @return one item per file, in order
     * @throws PsaException when the image folder does not exist or holds no file
     */
    public static List<Item> run(SegPredictor predictor, Path images, Path out, boolean overlay, Listener listener) {
        requireNonNull(predictor, "predictor is null");
        requireNonNull(listener, "listener is null");
        if (!Files.isDirectory(images)) {
            throw new PsaException(images + ": image folder not found");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new PsaException(images + ": cannot list the image folder: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new PsaException(images + ": no image file in the folder");
        }
        List<Item> items = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            Path label = out.resolve(stem + ".png");
            Item item;
            try {
                INDArray rgb = ImageIo.readRgb(f);
                LabelMap labels = predictor.predict(rgb);
                LabelPng.write(label, labels);
                if (overlay) {
                    ImageIo.writePng(out.resolve(OVERLAY).resolve(stem + ".png"), blend(rgb, labels));
                }
                item = new Item(f, label, null);
            } catch (RuntimeException e) {
                AtomicFiles.rethrowWriteFailure(e); // a full disk is not a bad image
                item = new Item(f, null, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            items.add(item);
            listener.onImage(items.size(), files.size(), item);
        }
        return items;
    }

    /**
     * The image with each non-background pixel blended half and half with its label's VOC colour.
     *
     * @param rgb [3, H, W] RGB 0..255
     * @return [3, H, W] float32
     */
    public static INDArray blend(INDArray rgb, LabelMap labels) {
        int h = labels.height();
        int w = labels.width();
        float[] px = rgb.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] palette = LabelPng.vocPalette();
        for (int i = 0; i < h * w; i++) {
            int c = labels.get(i);
            if (c == 0) {
                continue;
            }
            int colour = palette[c];
            for (int ch = 0; ch < 3; ch++) {
                int v = (colour >> (16 - 8 * ch)) & 0xFF;
                px[ch * h * w + i] = 0.5f * px[ch * h * w + i] + 0.5f * v;
            }
        }
        return Nd4j.create(px, new long[] {3, h, w}, DataType.FLOAT);
    }
}
