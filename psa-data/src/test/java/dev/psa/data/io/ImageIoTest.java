package dev.psa.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;

class ImageIoTest {
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    @TempDir
    Path dir;

    @Test
    void pngRoundTripIsExact() {
        float[] v = new float[3 * 7 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37) % 256;
        }
        INDArray rgb = Nd4j.create(v, new long[] {3, 7, 5}, DataType.FLOAT);
        Path f = dir.resolve("x.png");
        ImageIo.writePng(f, rgb);
        INDArray back = ImageIo.readRgb(f);
        assertThat(back.shape()).containsExactly(3, 7, 5);
        assertThat(back.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(back.data().asFloat()).containsExactly(v);
        // channel order: plane 0 is red
        BufferedImage img = ImageIo.toImage(rgb);
        assertThat((img.getRGB(1, 0) >> 16) & 0xFF).isEqualTo((int) v[1]);
    }

    @Test
    void writingClampsAndRounds() {
        INDArray rgb = Nd4j.create(new float[] {-5f, 254.6f, 300f, Float.NaN, 0.4f, 0.6f}, new long[] {3, 1, 2},
                DataType.FLOAT);
        Path f = dir.resolve("c.png");
        ImageIo.writePng(f, rgb);
        assertThat(ImageIo.readRgb(f).data().asFloat()).containsExactly(0f, 255f, 255f, 0f, 0f, 1f);
    }

    @Test
    void grayAndSixteenBitAndPalettePngs() throws IOException {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setPixels(0, 0, 2, 1, new int[] {10, 200});
        Path gf = dir.resolve("g.png");
        ImageIO.write(g, "png", gf.toFile());
        // stored gray values, replicated (no linear-gray gamma conversion)
        assertThat(ImageIo.readRgb(gf).data().asFloat()).containsExactly(10, 200, 10, 200, 10, 200);

        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setPixels(0, 0, 2, 1, new int[] {65535, 0});
        Path g16f = dir.resolve("g16.png");
        ImageIO.write(g16, "png", g16f.toFile());
        assertThat(ImageIo.readRgb(g16f).data().asFloat()).containsExactly(255, 0, 255, 0, 255, 0);

        Path pf = dir.resolve("p.png");
        LabelPng.write(pf, new dev.psa.api.LabelMap(1, 2, new byte[] {1, 15}));
        assertThat(ImageIo.readRgb(pf).data().asFloat()).containsExactly(128, 192, 0, 128, 0, 128);
    }

    @Test
    void jpegBaselineAndProgressiveDecode() throws IOException {
        BufferedImage img = halves(32, 16);
        for (boolean progressive : new boolean[] {false, true}) {
            Path f = dir.resolve("h" + progressive + ".jpg");
            Files.write(f, jpeg(img, progressive));
            INDArray a = ImageIo.readRgb(f);
            assertThat(a.shape()).containsExactly(3, 16, 32);
            assertThat(a.getDouble(0, 8, 4)).isCloseTo(255, within(12.0));
            assertThat(a.getDouble(2, 8, 4)).isCloseTo(0, within(12.0));
            assertThat(a.getDouble(2, 8, 28)).isCloseTo(255, within(12.0));
        }
    }

    @Test
    void cmykJpegDecodes() throws IOException {
        // a 4-channel JPEG with an Adobe marker (CMYK, Adobe-inverted: 255 = no ink)
        BufferedImage cmyk = new BufferedImage(16, 16, BufferedImage.TYPE_4BYTE_ABGR);
        int[] px = new int[16 * 16 * 4];
        Arrays.fill(px, 255);
        cmyk.getRaster().setPixels(0, 0, 16, 16, px);
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(b)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(cmyk.getRaster(), null, null), null);
        } finally {
            w.dispose();
        }
        Path f = dir.resolve("cmyk.jpg");
        Files.write(f, b.toByteArray());
        INDArray a = ImageIo.readRgb(f);
        assertThat(a.shape()).containsExactly(3, 16, 16);
        assertThat(a.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(a.maxNumber().doubleValue()).isLessThanOrEqualTo(255);
    }

    @Test
    void exifOrientationIsApplied() throws IOException {
        BufferedImage img = halves(32, 16); // left red, right blue
        byte[] jpg = jpeg(img, false);
        // 1: as stored
        assertHalves(readWithOrientation(jpg, 1), 16, 32, RED, BLUE, false);
        // 3: rotated 180 -> left blue
        assertHalves(readWithOrientation(jpg, 3), 16, 32, BLUE, RED, false);
        // 2: mirrored -> left blue
        assertHalves(readWithOrientation(jpg, 2), 16, 32, BLUE, RED, false);
        // 6: rotate 90 clockwise -> 32 high, 16 wide, top red
        assertHalves(readWithOrientation(jpg, 6), 32, 16, RED, BLUE, true);
        // 8: rotate 90 counter-clockwise -> top blue
        assertHalves(readWithOrientation(jpg, 8), 32, 16, BLUE, RED, true);
        // 5: transpose -> top red
        assertHalves(readWithOrientation(jpg, 5), 32, 16, RED, BLUE, true);

        // PNG eXIf chunk
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        Path f = dir.resolve("o.png");
        Files.write(f, withPngExif(b.toByteArray(), 8));
        assertHalves(ImageIo.readRgb(f), 32, 16, BLUE, RED, true);
    }

    @Test
    void orientationMapsEachPixelExactly() {
        // 2x3 image (h=2, w=3) with values 0..5 in every channel
        float[] planes = new float[18];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                planes[c * 6 + i] = i;
            }
        }
        // stored: [[0 1 2], [3 4 5]]
        assertThat(plane0(ImageIo.orient(planes, 2, 3, 6))).containsExactly(3, 0, 4, 1, 5, 2);
        assertThat(plane0(ImageIo.orient(planes, 2, 3, 8))).containsExactly(2, 5, 1, 4, 0, 3);
        assertThat(plane0(ImageIo.orient(planes, 2, 3, 5))).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(plane0(ImageIo.orient(planes, 2, 3, 7))).containsExactly(5, 2, 4, 1, 3, 0);
        assertThat(plane0(ImageIo.orient(planes, 2, 3, 4))).containsExactly(3, 4, 5, 0, 1, 2);
        assertThat(plane0(ImageIo.orient(planes, 2, 3, 3))).containsExactly(5, 4, 3, 2, 1, 0);
    }

    @Test
    void truncatedAndCorruptJpegsNameTheFile() throws IOException {
        byte[] jpg = jpeg(halves(64, 64), false);
        Path t = dir.resolve("t.jpg");
        Files.write(t, Arrays.copyOf(jpg, jpg.length * 2 / 3));
        assertThatThrownBy(() -> ImageIo.readRgb(t)).isInstanceOf(PsaException.class)
                .hasMessageContaining(t.toString()).hasMessageContaining("truncated");

        Path g = dir.resolve("g.jpg");
        Files.write(g, Arrays.copyOf("GIF-ish nonsense".getBytes(), 64));
        assertThatThrownBy(() -> ImageIo.readRgb(g)).isInstanceOf(PsaException.class)
                .hasMessageContaining(g.toString()).hasMessageContaining("not a readable image");
    }

    private static float[] plane0(INDArray a) {
        return a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup('c').data().asFloat();
    }

    private INDArray readWithOrientation(byte[] jpg, int orientation) throws IOException {
        Path f = dir.resolve("o" + orientation + ".jpg");
        Files.write(f, withJpegExif(jpg, orientation));
        return ImageIo.readRgb(f);
    }

    private static void assertHalves(INDArray a, int h, int w, int first, int second, boolean vertical) {
        assertThat(a.shape()).containsExactly(3, h, w);
        int y1 = vertical ? h / 4 : h / 2;
        int x1 = vertical ? w / 2 : w / 4;
        int y2 = vertical ? 3 * h / 4 : h / 2;
        int x2 = vertical ? w / 2 : 3 * w / 4;
        assertColour(a, y1, x1, first);
        assertColour(a, y2, x2, second);
    }

    private static void assertColour(INDArray a, int y, int x, int rgb) {
        for (int c = 0; c < 3; c++) {
            int expected = (rgb >> (16 - 8 * c)) & 0xFF;
            assertThat(a.getDouble(c, y, x)).as("channel " + c + " at " + y + "," + x).isCloseTo(expected, within(16.0));
        }
    }

    private static BufferedImage halves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? RED : BLUE);
            }
        }
        return img;
    }

    private static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(b)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(1f);
            if (progressive) {
                p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return b.toByteArray();
    }

    /** A little-endian TIFF block with one IFD0 entry: orientation (SHORT). */
    private static byte[] tiffOrientation(int orientation) {
        ByteBuffer t = ByteBuffer.allocate(26).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        t.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        t.putShort((short) 1);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        t.putInt(0);
        return t.array();
    }

    private static byte[] withJpegExif(byte[] jpg, int orientation) {
        byte[] tiff = tiffOrientation(orientation);
        int len = 2 + 6 + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpg.length + 2 + len);
        out.put(jpg, 0, 2); // SOI
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) len);
        out.put("Exif".getBytes()).put((byte) 0).put((byte) 0).put(tiff);
        out.put(jpg, 2, jpg.length - 2);
        return out.array();
    }

    private static byte[] withPngExif(byte[] png, int orientation) {
        byte[] tiff = tiffOrientation(orientation);
        int ihdrEnd = 8 + 12 + 13; // signature + IHDR chunk
        ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
        chunk.putInt(tiff.length).put("eXIf".getBytes()).put(tiff);
        CRC32 crc = new CRC32();
        crc.update("eXIf".getBytes());
        crc.update(tiff);
        chunk.putInt((int) crc.getValue());
        ByteBuffer out = ByteBuffer.allocate(png.length + chunk.capacity());
        out.put(png, 0, ihdrEnd).put(chunk.array()).put(png, ihdrEnd, png.length - ihdrEnd);
        return out.array();
    }
}
