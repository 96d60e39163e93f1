package dev.psa.data.io;

import static java.util.Objects.requireNonNull;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;
import dev.psa.api.Shapes;
import dev.psa.api.io.AtomicFiles;
import dev.psa.data.io.internal.ImageFiles;

/**
 * Photos as arrays. Reading decodes JPEG (baseline, progressive, CMYK/YCCK through TwelveMonkeys),
 * PNG (8/16-bit, gray, palette, alpha dropped), BMP and GIF, applies the EXIF orientation (JPEG
 * APP1, PNG eXIf), and returns {@code [3, H, W]} float32 RGB in [0, 255] as displayed. Gray
 * images are replicated into the three channels with their stored values (no gamma conversion,
 * like PIL's {@code convert("RGB")}).
 */
public final class ImageIo {
    private ImageIo() {
    }

    /**
     * Reads an image file.
     *
     * @return [3, H, W] float32, RGB in [0, 255], after the EXIF orientation is applied
     * @throws PsaException naming the file when it is missing, empty, not an image, corrupt or
     *     truncated
     */
    public static INDArray readRgb(Path file) {
        requireNonNull(file, "file is null");
        ImageFiles.Decoded d = ImageFiles.decode(file, ImageFiles.readBytes(file));
        return orient(toPlanes(d.image()), d.image().getHeight(), d.image().getWidth(), d.orientation());
    }

    /**
     * Writes an image as a lossless 8-bit RGB PNG, atomically. Values are rounded and clamped to
     * [0, 255].
     *
     * @param rgb [3, H, W] RGB in [0, 255], any floating or integer type
     */
    public static void writePng(Path file, INDArray rgb) {
        requireNonNull(file, "file is null");
        ImageFiles.writeAtomically(file, toImage(rgb), "png");
    }

    /**
     * Writes an image as a baseline JPEG, atomically.
     *
     * @param rgb     [3, H, W] RGB in [0, 255]
     * @param quality JPEG quality in (0, 1]
     */
    public static void writeJpeg(Path file, INDArray rgb, float quality) {
        requireNonNull(file, "file is null");
        if (!(quality > 0 && quality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + quality);
        }
        BufferedImage img = toImage(rgb);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new PsaException(file + ": no JPEG writer available");
        }
        ImageWriter writer = writers.next();
        try {
            AtomicFiles.write(file, out -> {
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(ios);
                    ImageWriteParam p = writer.getDefaultWriteParam();
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setCompressionQuality(quality);
                    writer.write(null, new IIOImage(img, null, null), p);
                }
            });
        } catch (java.io.IOException e) {
            throw new PsaException(file + ": cannot write JPEG: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * @param rgb [3, H, W] RGB in [0, 255] (rounded, clamped)
     * @return an 8-bit {@code TYPE_INT_RGB} image
     */
    public static BufferedImage toImage(INDArray rgb) {
        Shapes.check("rgb", "[3, H, W]", rgb, 3, -1, -1);
        int h = (int) rgb.size(1);
        int w = (int) rgb.size(2);
        float[] v = rgb.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int plane = h * w;
        int[] px = new int[plane];
        for (int i = 0; i < plane; i++) {
            px[i] = (clamp(v[i]) << 16) | (clamp(v[plane + i]) << 8) | clamp(v[2 * plane + i]);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /**
     * Converts a decoded image (no orientation applied) to an array.
     *
     * @return [3, H, W] float32 RGB in [0, 255]
     */
    public static INDArray fromImage(BufferedImage img) {
        requireNonNull(img, "img is null");
        return Nd4j.create(toPlanes(img), new long[] {3, img.getHeight(), img.getWidth()}, DataType.FLOAT);
    }

    private static int clamp(float f) {
        if (!(f > 0)) {
            return 0; // also NaN
        }
        return f >= 255 ? 255 : Math.round(f);
    }

    /** Planar R, G, B floats of an image in [0, 255]. */
    static float[] toPlanes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] out = new float[3 * plane];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        boolean component = cm instanceof ComponentColorModel;
        ColorSpace cs = cm.getColorSpace();
        if (component && cs.getType() == ColorSpace.TYPE_GRAY) {
            float scale = 255f / ((1 << cm.getComponentSize(0)) - 1);
            float[] row = new float[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float g = row[x] * scale;
                    out[y * w + x] = g;
                    out[plane + y * w + x] = g;
                    out[2 * plane + y * w + x] = g;
                }
            }
        } else if (component && cs.isCS_sRGB() && r.getNumBands() >= 3) {
            float[] row = new float[w];
            for (int c = 0; c < 3; c++) {
                float scale = 255f / ((1 << cm.getComponentSize(c)) - 1);
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, c, row);
                    for (int x = 0; x < w; x++) {
                        out[c * plane + y * w + x] = row[x] * scale;
                    }
                }
            }
        } else {
            // packed RGB, palette, CMYK/YCCK or other colour spaces: let the colour model convert
            int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                out[i] = (rgb[i] >> 16) & 0xFF;
                out[plane + i] = (rgb[i] >> 8) & 0xFF;
                out[2 * plane + i] = rgb[i] & 0xFF;
            }
        }
        return out;
    }

    /**
     * Applies an EXIF orientation to planar data so the result is the image as displayed.
     *
     * @return [3, H', W'] float32 (H' = W and W' = H for orientations 5..8)
     */
    static INDArray orient(float[] planes, int h, int w, int orientation) {
        if (orientation == 1) {
            return Nd4j.create(planes, new long[] {3, h, w}, DataType.FLOAT);
        }
        boolean swap = orientation >= 5;
        int oh = swap ? w : h;
        int ow = swap ? h : w;
        int plane = h * w;
        float[] out = new float[3 * plane];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sy;
                int sx;
                switch (orientation) {
                    case 2 -> { sy = y; sx = w - 1 - x; }
                    case 3 -> { sy = h - 1 - y; sx = w - 1 - x; }
                    case 4 -> { sy = h - 1 - y; sx = x; }
                    case 5 -> { sy = x; sx = y; }
                    case 6 -> { sy = h - 1 - x; sx = y; }
                    case 7 -> { sy = h - 1 - x; sx = w - 1 - y; }
                    case 8 -> { sy = x; sx = w - 1 - y; }
                    default -> { sy = y; sx = x; }
                }
                int src = sy * w + sx;
                int dst = y * ow + x;
                out[dst] = planes[src];
                out[plane + dst] = planes[plane + src];
                out[2 * plane + dst] = planes[2 * plane + src];
            }
        }
        return Nd4j.create(out, new long[] {3, oh, ow}, DataType.FLOAT);
    }
}
