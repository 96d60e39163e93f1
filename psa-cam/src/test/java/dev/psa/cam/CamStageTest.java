package dev.psa.cam;

import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.ClassList;
import dev.psa.api.InputNormalization;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;

class CamStageTest {
    /** Class k's CAM = mean of channel k over 8×8 cells (K-1 = 3). */
    private static final CamNetwork CHANNELS = images -> {
        INDArray pooled = Nd4j.cnn().avgPooling2d(images, org.nd4j.linalg.api.ops.impl.layers.convolution.config
                .Pooling2DConfig.builder().kH(8).kW(8).sH(8).sW(8).isNHWC(false).build());
        return Nd4j.nn.relu(pooled, 0);
    };

    private static InMemoryDataset dataset() {
        InMemoryDataset d = new InMemoryDataset(new ClassList(List.of("bg", "r", "g", "b")));
        for (int i = 0; i < 5; i++) {
            INDArray img = Nd4j.rand(DataType.FLOAT, 3, 16, 24).muli(255);
            d.add(i == 2 ? "bad2" : "img" + i, img, null, i % 2 == 0 ? new int[] {1, 3} : new int[] {2});
        }
        return d;
    }

    private static MultiScaleCam msc() {
        return new MultiScaleCam(CHANNELS, InputNormalization.IMAGENET,
                CamConfig.from(ComponentConfig.ofStrings(Map.of("scales", "1.0,0.5", "batch-size", "2"))), 3);
    }

    @Test
    void writesCamFilesRecordsTheBadImageAndResumes(@TempDir Path run) throws Exception {
        InMemoryDataset d = dataset();
        StageSummary first = CamStage.run(d, d.samples("train"), msc(), run, false, Progress.NONE);
        assertThat(first.written()).isEqualTo(4);
        assertThat(first.skipped()).isZero();
        assertThat(first.failures()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("bad2");
            assertThat(f.stage()).isEqualTo("cams");
            assertThat(f.reason()).contains("/mem/bad2.png").contains("corrupt PNG");
        });
        assertThat(first.line()).startsWith("cams: 5 images, 4 written, 0 skipped (already done), 1 failed");
        CamSet c0 = CamFiles.read(run.resolve("cam/img0.npz"), "img0");
        assertThat(c0.classIds()).containsExactly(1, 3);
        assertThat(c0.cams().shape()).containsExactly(2, 16, 24);
        assertThat(c0.cams().slice(0).maxNumber().doubleValue()).isBetween(0.999, 1.0);
        CamSet expected = msc().compute("img0", d.load(d.samples("train").get(0)).image(), new int[] {1, 3});
        assertThat(c0.cams().equalsWithEps(expected.cams(), 1e-6)).isTrue();
        assertThat(LabelPng.read(run.resolve("cam-pred/img0.png"))).isEqualTo(CamPrediction.predict(c0, 0.2));
        Files.delete(run.resolve("cam-pred/img3.png"));

        // a truncated file is recomputed, complete ones are skipped
        Files.write(run.resolve("cam/img1.npz"), new byte[] {80, 75, 3});
        int[] seen = new int[1];
        StageSummary second = CamStage.run(d, d.samples("train"), msc(), run, false,
                (done, total, id) -> seen[0] = done);
        assertThat(second.written()).isEqualTo(1);
        assertThat(second.skipped()).isEqualTo(3);
        assertThat(second.failures()).hasSize(1);
        assertThat(seen[0]).isEqualTo(5);
        assertThat(CamFiles.read(run.resolve("cam/img1.npz"), "img1").classIds()).containsExactly(2);
        try (var files = Files.list(run.resolve("cam"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("img0.npz", "img1.npz", "img3.npz", "img4.npz");
        }
        try (var files = Files.list(run.resolve("cam-pred"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("img0.png", "img1.png", "img3.png", "img4.png");
        }
    }

    @Test
    void failFastStopsAtTheBadImage(@TempDir Path run) {
        InMemoryDataset d = dataset();
        assertThatThrownBy(() -> CamStage.run(d, d.samples("train"), msc(), run, true, Progress.NONE))
                .isInstanceOf(PsaException.class).hasMessageContaining("bad2");
    }

    @Test
    void missingModelNamesTheFileAndTheFix(@TempDir Path run) {
        InMemoryDataset d = dataset();
        assertThatThrownBy(() -> CamStage.run(d, "train", new TinyBackboneProvider().create(ComponentConfig.empty()), CamConfig.defaults(), run, false,
                Progress.NONE)).isInstanceOf(PsaException.class).hasMessageContaining("cls/model.npz")
                .hasMessageContaining("train-cls");
    }
}
