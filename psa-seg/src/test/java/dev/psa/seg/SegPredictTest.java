package dev.psa.seg;

import dev.psa.train.Initializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.seg.heads.LargeFovHead;
import dev.psa.train.TrainListener;

class SegPredictTest {
    /** Two good images and a broken file: two label PNGs and overlays, one error naming the file. */
    @Test
    void segmentsAFolderAndReportsABadFileWhileDoingTheOthers(@TempDir Path dir) throws Exception {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(48, 14, 1));
        SegConfig c = SegConfig.from(ComponentConfig.ofStrings(Map.of("seg.crop", "48", "seg.epochs", "1",
                "seg.batch-size", "4", "seg.labels", "gt", "seg.scales", "1.0", "seg.crf", "true")).scoped("seg."));
        LargeFovHead head = new LargeFovHead(8, 2, 0.5);
        SegStage.Result r = SegStage.train(data, "train", SegNetTest.tiny(), head, c, dir.resolve("run"), false,
                Initializer.NONE, TrainListener.none());
        assertThat(SegStage.classes(dir.resolve("run/seg")).names()).isEqualTo(data.classes().names());
        SegPredictor p = new SegPredictor(SegStage.load(SegNetTest.tiny(), head, data.classes().size(), r.model()),
                SegNetTest.tiny().normalization(), c);

        Path images = Files.createDirectories(dir.resolve("images"));
        List<Sample> val = data.samples("val");
        INDArray a = data.load(val.get(0)).image();
        ImageIo.writePng(images.resolve("a.png"), a);
        ImageIo.writePng(images.resolve("c.png"), data.load(val.get(1)).image());
        Files.writeString(images.resolve("b.jpg"), "not an image");
        Path out = dir.resolve("out");
        List<SegPredict.Item> items = SegPredict.run(p, images, out, true, (done, total, item) -> { });

        assertThat(items).extracting(i -> i.image().getFileName().toString()).containsExactly("a.png", "b.jpg", "c.png");
        assertThat(items.get(1).ok()).isFalse();
        assertThat(items.get(1).error()).contains("b.jpg");
        assertThat(out.resolve("b.png")).doesNotExist();
        LabelMap la = LabelPng.read(out.resolve("a.png"));
        assertThat(la).isEqualTo(p.predict(ImageIo.readRgb(images.resolve("a.png"))));
        assertThat(out.resolve("c.png")).isRegularFile();
        INDArray overlay = ImageIo.readRgb(out.resolve("overlay/a.png"));
        assertThat(overlay.shape()).containsExactly(3, 48, 48);
        // background pixels keep the image; a labelled pixel is halfway to its VOC colour
        int[] palette = LabelPng.vocPalette();
        for (int i = 0; i < 48 * 48; i++) {
            int y = i / 48;
            int x = i % 48;
            int label = la.get(i);
            double red = a.getDouble(0, y, x);
            double expected = label == 0 ? red : 0.5 * red + 0.5 * ((palette[label] >> 16) & 0xFF);
            assertThat(overlay.getDouble(0, y, x)).as("pixel %d", i).isCloseTo(expected,
                    within(0.51));
        }

        assertThatThrownBy(() -> SegPredict.run(p, dir.resolve("none"), out, false, (d, t, i) -> { }))
                .isInstanceOf(PsaException.class).hasMessageContaining("none").hasMessageContaining("not found");
    }
}
