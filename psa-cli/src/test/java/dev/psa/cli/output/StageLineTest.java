package dev.psa.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.psa.runtime.pipeline.Stage;

class StageLineTest {
    @Test
    void segmentationStagesSayWhatTheyDidOrThatTheyAreOff() {
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("samples", 400);
        train.put("steps", 250);
        train.put("final-loss", 0.20864);
        train.put("labels", "rw");
        assertThat(StageLine.of(Stage.TRAIN_SEG, train)).isEqualTo("400 images, 250 steps, final loss 0.2086, labels rw");

        Map<String, Object> seg = new LinkedHashMap<>();
        seg.put("images", 100);
        seg.put("written", 60);
        seg.put("skipped", 40);
        seg.put("failed", 1);
        seg.put("split", "val");
        assertThat(StageLine.of(Stage.SEG, seg))
                .isEqualTo("100 images of val (60 computed, 40 already done), 1 failed (see failures.json)");

        assertThat(StageLine.of(Stage.TRAIN_SEG, Map.of("enabled", false))).isEqualTo("off (seg.enabled=false)");
        assertThat(StageLine.of(Stage.SEG, Map.of("enabled", false))).isEqualTo("off (seg.enabled=false)");

        assertThat(StageLine.of(Stage.EVAL, Map.of("rw-miou", 0.8602, "seg-miou", 0.9747)))
                .isEqualTo("mIoU % pseudo labels 86.02, segmentation 97.47");
    }
}
