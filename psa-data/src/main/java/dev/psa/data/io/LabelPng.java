package dev.psa.data.io;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.data.io.internal.ImageFiles;

/**
 * Label maps (ground-truth masks, seeds, pseudo labels) as PNG files.
 *
 * <p>Written files are 8-bit palette PNGs (PIL mode {@code P}) carrying the PASCAL VOC colour map,
 * so standard viewers show VOC colours while every pixel stores its class index. Reading accepts:
 * <ul>
 *   <li>palette PNGs (any bit depth): the value is the palette <em>index</em>, never the colour;</li>
 *   <li>8-bit (or 16-bit with values &le; 255) grayscale PNGs: the gray level is the class id;</li>
 *   <li>RGB(A) PNGs painted with the VOC colour map: each colour is mapped back to its index; a
 *       colour not in the map is an error naming the file and the pixel.</li>
 * </ul>
 */
public final class LabelPng {
    private static final int[] VOC = buildVocPalette();
    private static final IndexColorModel VOC_MODEL = buildModel();

    private LabelPng() {
    }

    /**
     * The PASCAL VOC colour map: entry {@code i} is the colour of label {@code i}, packed
     * {@code 0xRRGGBB} (0 black, 1 = 0x800000, …, 255 = 0xE0E0C0).
     *
     * @return a new array of 256 entries
     */
    public static int[] vocPalette() {
        return VOC.clone();
    }

    /**
     * Whether {@code file} exists and reads back as a label PNG: a per-image stage's output is complete (a
     * killed run's half file, which never carries the final name, or a damaged one is not).
     */
    public static boolean isComplete(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            read(file);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads a label PNG.
     *
     * @return the per-pixel labels (palette indices or gray levels), 0..255
     * @throws PsaException naming the file when it is missing, corrupt, truncated, or not a label
     *     image (colour not in the VOC map, 16-bit values above 255)
     */
    public static LabelMap read(Path file) {
        requireNonNull(file, "file is null");
        BufferedImage img = ImageFiles.decode(file);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        Raster r = img.getRaster();
        if (img.getColorModel() instanceof IndexColorModel) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) row[x];
                }
            }
        } else if (r.getNumBands() <= 2) {
            // gray (optionally with alpha): the first band is the label
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = row[x];
                    if (v > 255) {
                        throw new PsaException(file + ": gray label value " + v + " at (y=" + y + ", x=" + x
                                + ") does not fit a uint8 label map; save label PNGs as 8-bit palette or gray");
                    }
                    out[y * w + x] = (byte) v;
                }
            }
        } else {
            Map<Integer, Integer> inverse = inverseVoc();
            int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < rgb.length; i++) {
                Integer idx = inverse.get(rgb[i] & 0xFFFFFF);
                if (idx == null) {
                    throw new PsaException(file + ": RGB label image has colour #" + String.format("%06X", rgb[i] & 0xFFFFFF)
                            + " at (y=" + (i / w) + ", x=" + (i % w) + ") which is not in the VOC colour map;"
                            + " label PNGs must be palette (mode P) or 8-bit gray images holding class ids");
                }
                out[i] = (byte) (int) idx;
            }
        }
        return new LabelMap(h, w, out);
    }

    /**
     * Writes a label map as an 8-bit palette PNG with the VOC colour map, atomically.
     *
     * @throws PsaException naming the file when it cannot be written
     */
    public static void write(Path file, LabelMap labels) {
        requireNonNull(file, "file is null");
        requireNonNull(labels, "labels is null");
        ImageFiles.writeAtomically(file, toImage(labels), "png");
    }

    /** Encodes a label map as palette PNG bytes (what {@link #write} stores). */
    public static byte[] encode(LabelMap labels) {
        requireNonNull(labels, "labels is null");
        return ImageFiles.encode(toImage(labels), "png", "label map");
    }

    /** @return an 8-bit indexed image with the VOC colour map whose pixel indices are the labels */
    public static BufferedImage toImage(LabelMap labels) {
        requireNonNull(labels, "labels is null");
        BufferedImage img = new BufferedImage(labels.width(), labels.height(), BufferedImage.TYPE_BYTE_INDEXED,
                VOC_MODEL);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(labels.data(), 0, dst, 0, dst.length);
        return img;
    }

    private static Map<Integer, Integer> inverseVoc() {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 255; i >= 0; i--) {
            m.put(VOC[i], i);
        }
        return m;
    }

    /** The VOC devkit's bit-interleaved colour map (VOCdevkit labelcolormap). */
    private static int[] buildVocPalette() {
        int[] p = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = i;
            for (int j = 0; j < 8; j++) {
                r |= ((c) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            p[i] = (r << 16) | (g << 8) | b;
        }
        return p;
    }

    private static IndexColorModel buildModel() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (VOC[i] >> 16);
            g[i] = (byte) (VOC[i] >> 8);
            b[i] = (byte) VOC[i];
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}
