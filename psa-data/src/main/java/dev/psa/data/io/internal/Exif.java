package dev.psa.data.io.internal;

/**
 * Finds the EXIF orientation tag (0x0112) in JPEG APP1 segments and PNG eXIf chunks. Any
 * malformed structure yields 1 (as stored): orientation is a hint, never a reason to fail.
 */
public final class Exif {
    private static final int ORIENTATION_TAG = 0x0112;

    private Exif() {
    }

    /** @return the orientation 1..8 of a JPEG file's bytes, 1 when absent */
    public static int jpegOrientation(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return 1;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // start of scan / end of image: no more metadata
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            int start = i + 4;
            if (marker == 0xE1 && len >= 8 && start + 6 <= b.length && b[start] == 'E' && b[start + 1] == 'x'
                    && b[start + 2] == 'i' && b[start + 3] == 'f' && b[start + 4] == 0 && b[start + 5] == 0) {
                int tiff = start + 6;
                int end = Math.min(b.length, i + 2 + len);
                return tiffOrientation(b, tiff, end);
            }
            i += 2 + len;
        }
        return 1;
    }

    /** @return the orientation 1..8 of a PNG file's bytes (eXIf chunk), 1 when absent */
    public static int pngOrientation(byte[] b) {
        int i = 8;
        while (i + 8 <= b.length) {
            long len = ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (len < 0 || i + 12 + len > b.length) {
                return 1;
            }
            if (b[i + 4] == 'e' && b[i + 5] == 'X' && b[i + 6] == 'I' && b[i + 7] == 'f') {
                return tiffOrientation(b, i + 8, (int) (i + 8 + len));
            }
            if (b[i + 4] == 'I' && b[i + 5] == 'E' && b[i + 6] == 'N' && b[i + 7] == 'D') {
                return 1;
            }
            i += 12 + (int) len;
        }
        return 1;
    }

    /** Reads IFD0 of a TIFF structure at {@code b[tiff..end)} and returns its orientation. */
    static int tiffOrientation(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = u32(b, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return 1;
        }
        int p = (int) (tiff + ifd);
        int count = u16(b, p, little);
        for (int k = 0; k < count; k++) {
            int e = p + 2 + 12 * k;
            if (e + 12 > end) {
                return 1;
            }
            if (u16(b, e, little) == ORIENTATION_TAG) {
                int type = u16(b, e + 2, little);
                int value = type == 3 ? u16(b, e + 8, little) : type == 4 ? (int) u32(b, e + 8, little) : 1;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xFF;
        int c = b[i + 1] & 0xFF;
        return little ? a | (c << 8) : (a << 8) | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            int byteVal = b[i + (little ? 3 - k : k)] & 0xFF;
            v = (v << 8) | byteVal;
        }
        return v;
    }
}
