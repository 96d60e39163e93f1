package dev.psa.eval.report.internal;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.data.io.LabelPng;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Gallery tiles: label maps in the VOC palette, CAM heat maps over images, scaled thumbnails. */
public final class Tiles {
    private static final int[] VOC = LabelPng.vocPalette();

    private Tiles() {
    }

    /** A label map painted with the VOC palette (255 = ignore in its cream colour), as RGB. */
    public static BufferedImage labels(LabelMap m) {
        BufferedImage img = new BufferedImage(m.width(), m.height(), BufferedImage.TYPE_INT_RGB);
        int[] px = new int[m.width() * m.height()];
        for (int i = 0; i < px.length; i++) {
            px[i] = VOC[m.get(i)];
        }
        img.setRGB(0, 0, m.width(), m.height(), px, 0, m.width());
        return img;
    }

    /**
     * The jet colour of a value in [0, 1] (blue → cyan → yellow → red), packed 0xRRGGBB.
     */
    public static int jet(double v) {
        double x = Math.max(0, Math.min(1, v));
        double r = clamp(1.5 - Math.abs(4 * x - 3));
        double g = clamp(1.5 - Math.abs(4 * x - 2));
        double b = clamp(1.5 - Math.abs(4 * x - 1));
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * The CAM heat map (max over classes) blended over the image.
     *
     * @param base  the image, or null for a mid-gray background (internal helper)
     * @param maxCam H·W values in [0, 1], row-major, at the image's size
     * @param alpha opacity of the heat map
     */
    public static BufferedImage heatmap(BufferedImage base, float[] maxCam, int width, int height, double alpha) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int b = base == null ? 0x808080 : base.getRGB(x, y);
                int h = jet(maxCam[y * width + x]);
                out.setRGB(x, y, blend(b, h, alpha));
            }
        }
        return out;
    }

    private static int blend(int a, int b, double alpha) {
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - alpha) + ((b >> 16) & 0xFF) * alpha);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - alpha) + ((b >> 8) & 0xFF) * alpha);
        int bl = (int) Math.round((a & 0xFF) * (1 - alpha) + (b & 0xFF) * alpha);
        return (r << 16) | (g << 8) | bl;
    }

    /** Scales so the longest side is at most {@code maxSide}; nearest neighbour for label maps. */
    public static BufferedImage thumb(BufferedImage img, int maxSide, boolean nearest) {
        int w = img.getWidth();
        int h = img.getHeight();
        double s = Math.min(1.0, (double) maxSide / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * s));
        int th = Math.max(1, (int) Math.round(h * s));
        if (tw == w && th == h) {
            return img;
        }
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, nearest
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, tw, th, null);
        g.dispose();
        return out;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Baseline JPEG bytes of an RGB image: photos and heat maps, several times smaller than PNG in
     * a report that embeds every tile (label maps stay PNG: exact colours, and they compress well).
     *
     * @param quality in (0, 1]
     */
    public static byte[] jpeg(BufferedImage img, float quality) {
        if (!(quality > 0 && quality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + quality);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG writer in this JVM");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb(img), null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The image as TYPE_INT_RGB (JPEG writers reject alpha). */
    private static BufferedImage rgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** A legend: one swatch per class with its name, as a PNG-free HTML fragment. */
    public static String legendHtml(ClassList classes) {
        StringBuilder sb = new StringBuilder("<div class=\"legend\">");
        for (int c = 0; c < classes.size(); c++) {
            sb.append(swatch(VOC[c], c + " " + classes.name(c)));
        }
        sb.append(swatch(VOC[255], "255 ignore / unknown")).append("</div>");
        return sb.toString();
    }

    private static String swatch(int rgb, String label) {
        return String.format("<span class=\"sw\"><i style=\"background:#%06X\"></i>%s</span>", rgb, Html.esc(label));
    }
}
