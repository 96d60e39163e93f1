package dev.psa.eval.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartsTest {
    @Test
    void histogramBinsAreTenPointsWideAndHundredGoesInTheLast() {
        assertThat(Charts.histogramBin(0)).isZero();
        assertThat(Charts.histogramBin(9.999)).isZero();
        assertThat(Charts.histogramBin(10)).isEqualTo(1);
        assertThat(Charts.histogramBin(55)).isEqualTo(5);
        assertThat(Charts.histogramBin(99.99)).isEqualTo(9);
        assertThat(Charts.histogramBin(100)).isEqualTo(9);
    }

    @Test
    void histogramIsAPngOfItsStatedSize() throws Exception {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("CAM prediction", new double[] {5, 15, 15, 100});
        s.put("pseudo labels", new double[] {50, 95, Double.NaN});
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.imageMiouHistogram(s)));
        assertThat(img.getWidth()).isEqualTo(380);
        assertThat(img.getHeight()).isEqualTo(360);
    }

    @Test
    void photoTilesEncodeAsJpegOfTheSameSize() throws Exception {
        BufferedImage rgb = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                rgb.setRGB(x, y, Tiles.jet(x / 29.0));
            }
        }
        byte[] jpeg = Tiles.jpeg(rgb, 0.9f);
        assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8); // JPEG SOI marker
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(back.getWidth()).isEqualTo(30);
        assertThat(back.getHeight()).isEqualTo(20);
        // lossy, but close: the middle pixel within a few levels per channel
        int a = rgb.getRGB(15, 10);
        int b = back.getRGB(15, 10);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF))).isLessThan(24);
        }
    }
}
