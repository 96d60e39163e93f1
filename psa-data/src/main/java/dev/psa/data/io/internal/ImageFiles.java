package dev.psa.data.io.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;

/**
 * Decoding and encoding of image files with errors that name the file: missing, empty, not an
 * image, truncated or corrupt. Decoding happens from memory so the bytes can also be searched for
 * the EXIF orientation.
 */
public final class ImageFiles {
    static {
        // Registers TwelveMonkeys' JPEG reader (CMYK/YCCK, progressive, broken APP segments) even
        // when ImageIO was initialised by another class loader.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    private ImageFiles() {
    }

    /** A decoded image and the EXIF orientation (1..8, 1 = as stored) found in its bytes. */
    public record Decoded(BufferedImage image, int orientation) {
    }

    /** Reads and decodes a file, without applying any orientation. */
    public static BufferedImage decode(Path file) {
        return decode(file, readBytes(file)).image();
    }

    /** Reads a file's bytes; errors name the file. */
    public static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PsaException(file + ": file not found");
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Decodes image bytes that came from {@code file} (named in errors). */
    public static Decoded decode(Path file, byte[] bytes) {
        if (bytes.length == 0) {
            throw new PsaException(file + ": empty file, not an image");
        }
        String format = sniff(bytes);
        if (format.equals("png") && !hasPngEnd(bytes)) {
            throw new PsaException(file + ": truncated PNG (no IEND chunk after " + bytes.length + " bytes)");
        }
        if (format.equals("jpeg") && !hasJpegEnd(bytes)) {
            throw new PsaException(file + ": truncated JPEG (no end-of-image marker in " + bytes.length + " bytes)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PsaException(file + ": not a readable image (" + describe(bytes)
                        + "); supported: JPEG, PNG, BMP, GIF");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((src, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                for (String w : warnings) {
                    String lw = w.toLowerCase(Locale.ROOT);
                    if (lw.contains("premature") || lw.contains("truncat") || lw.contains("corrupt")) {
                        throw new PsaException(file + ": corrupt or truncated image: " + w);
                    }
                }
                if (img.getWidth() <= 0 || img.getHeight() <= 0) {
                    throw new PsaException(file + ": image has no pixels");
                }
                int orientation = format.equals("jpeg") ? Exif.jpegOrientation(bytes)
                        : format.equals("png") ? Exif.pngOrientation(bytes) : 1;
                return new Decoded(img, orientation);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PsaException p) {
                throw p;
            }
            throw new PsaException(file + ": corrupt or truncated " + (format.isEmpty() ? "image" : format.toUpperCase(Locale.ROOT))
                    + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** Encodes an image to bytes in the given ImageIO format ("png", "jpeg", …). */
    public static byte[] encode(BufferedImage img, String format, String what) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, b)) {
                throw new PsaException("no ImageIO writer for " + format + " (" + what + ")");
            }
        } catch (IOException e) {
            throw new PsaException("cannot encode " + what + " as " + format + ": " + e.getMessage(), e);
        }
        return b.toByteArray();
    }

    /** Encodes and writes an image through a temporary file and a rename. */
    public static void writeAtomically(Path file, BufferedImage img, String format) {
        byte[] bytes = encode(img, format, file.toString());
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new PsaException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** "png", "jpeg" or "" from the magic bytes. */
    static String sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        return "";
    }

    private static boolean hasPngEnd(byte[] b) {
        // IEND is the last chunk; allow a little trailing junk after it.
        int from = Math.max(8, b.length - 1024);
        for (int i = b.length - 8; i >= from; i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasJpegEnd(byte[] b) {
        // EOI (FF D9) ends the image; some cameras append data after it, so look through the tail.
        int from = Math.max(2, b.length - 64 * 1024);
        for (int i = b.length - 2; i >= from; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static String describe(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + " bytes starting with");
        for (int i = 0; i < Math.min(4, b.length); i++) {
            sb.append(String.format(" %02X", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
