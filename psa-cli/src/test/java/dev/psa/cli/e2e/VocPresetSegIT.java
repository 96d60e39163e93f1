package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.LabelMap;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.pipeline.Stage;

/**
 * {@code psa run --preset psa-resnet38-voc} on a VOC-layout folder goes through train-seg and seg and
 * reports the val mIoU: the preset as it is (VOC dataset, Adam for the segmentation network, LargeFOV,
 * seg.split=val, multi-scale + CRF inference) with CPU-sized overrides — the tiny backbone instead of
 * ResNet-38 (whose CPU training would take hours), TinyRun's crops, epochs and heads. The folder is the 80
 * real VOC 2012 masks of testdata/voc2012-sample at a quarter size (nearest neighbour), 24 in
 * ImageSets/Segmentation/train.txt and 8 in val.txt, each image painted from its mask (class colour,
 * shaded), since the sample has no photos.
 */
class VocPresetSegIT {
    static final int TRAIN = 24;
    static final int VAL = 8;

    @TempDir
    Path dir;

    static Path sample() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("testdata/voc2012-sample");
            if (Files.isDirectory(s.resolve("SegmentationClass"))) {
                return s;
            }
        }
        throw new IllegalStateException("testdata/voc2012-sample not found above " + Path.of("").toAbsolutePath());
    }

    /** The VOC layout: JPEGImages/, SegmentationClass/, ImageSets/Segmentation/{train,val}.txt. */
    static Path vocFolder(Path root) throws Exception {
        Path voc = Files.createDirectories(root.resolve("VOC2012"));
        List<String> ids;
        try (Stream<String> lines = Files.lines(sample().resolve("ImageSets/Segmentation/sample.txt"))) {
            ids = lines.map(String::trim).filter(l -> !l.isEmpty()).limit(TRAIN + VAL).toList();
        }
        assertThat(ids).hasSize(TRAIN + VAL);
        int[] pal = LabelPng.vocPalette();
        for (String id : ids) {
            LabelMap full = LabelPng.read(sample().resolve("SegmentationClass/" + id + ".png"));
            int h = full.height() / 4;
            int w = full.width() / 4;
            byte[] m = new byte[h * w];
            float[] rgb = new float[3 * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = full.get(4 * y + 2, 4 * x + 2);
                    m[y * w + x] = (byte) v;
                    int c = pal[v == 255 ? 0 : v];
                    float shade = 0.5f + 0.4f * x / w;
                    rgb[y * w + x] = 30 + shade * ((c >> 16) & 0xFF);
                    rgb[h * w + y * w + x] = 30 + shade * ((c >> 8) & 0xFF);
                    rgb[2 * h * w + y * w + x] = 30 + shade * (c & 0xFF);
                }
            }
            LabelPng.write(voc.resolve("SegmentationClass/" + id + ".png"), new LabelMap(h, w, m));
            ImageIo.writePng(voc.resolve("JPEGImages/" + id + ".png"), Nd4j.create(rgb, new long[] {3, h, w}, DataType.FLOAT));
        }
        Path sets = Files.createDirectories(voc.resolve("ImageSets/Segmentation"));
        Files.writeString(sets.resolve("train.txt"), String.join("\n", ids.subList(0, TRAIN)) + "\n");
        Files.writeString(sets.resolve("val.txt"), String.join("\n", ids.subList(TRAIN, TRAIN + VAL)) + "\n");
        return root;
    }

    @Test
    void theResNet38VocPresetTrainsAndEvaluatesTheSegmentationNetworkOnVal() throws Exception {
        Path voc = vocFolder(dir.resolve("VOCdevkit"));
        List<String> sets = new ArrayList<>();
        for (String kv : TinyRun.KEYS) {
            // TinyRun's sizes, not its dataset or its segmentation inference (the preset's: 3 scales + CRF)
            if (!kv.startsWith("data.") && !kv.startsWith("seg.scales") && !kv.startsWith("seg.crf")) {
                sets.add(kv);
            }
        }
        sets.add("data.root=" + voc);
        Settings s = E2e.settings("psa-resnet38-voc", sets);
        assertThat(s.resolvedValues()).containsEntry("data.name", "voc2012").containsEntry("seg.optimizer", "adam")
                .containsEntry("seg.split", "val").containsEntry("seg.crf", "true").containsEntry("backbone.name", "tiny");
        Path run = dir.resolve("run");
        Map<Stage, Map<String, Object>> r = E2e.run(s, run);

        assertThat(r.get(Stage.TRAIN_SEG)).containsEntry("samples", TRAIN).containsEntry("labels", "rw");
        assertThat(r.get(Stage.SEG)).containsEntry("split", "val");
        try (Stream<Path> pred = Files.list(run.resolve("seg/pred"))) {
            assertThat(pred.map(p -> p.getFileName().toString()).sorted().toList()).hasSize(VAL)
                    .allMatch(n -> n.endsWith(".png"));
        }
        JsonNode state = new ObjectMapper().readTree(run.resolve("seg/checkpoint/state.json").toFile());
        assertThat(state.get("config").get("optimizer").asText()).isEqualTo("adam");
        assertThat(state.get("buffers").has("adam-m")).isTrue();
        JsonNode seg = new ObjectMapper().readTree(run.resolve("eval/seg.json").toFile());
        assertThat(seg.get("split").asText()).isEqualTo("val");
        assertThat(seg.get("images").asInt()).isEqualTo(VAL);
        double miou = E2e.miou(r, "seg");
        assertThat(miou).isEqualTo(seg.get("miou").asDouble()).isBetween(0.0, 1.0);
        System.out.printf("VocPresetSegIT: segmentation mIoU (val, %d images): %.2f; pseudo labels (train): %.2f%n",
                VAL, 100 * miou, 100 * E2e.miou(r, "rw"));
        String report = Files.readString(run.resolve("report/index.html"));
        assertThat(report).contains("id=\"seg-gallery\"").contains("Segmentation network: val");
    }
}
