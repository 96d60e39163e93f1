package dev.psa.cam;

import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.api.stage.ImageFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.crf.CrfConfig;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;

class SeedStageTest {
    /** A 16×16 image: left half red object (class 1), right half gray background; CAM high on the left. */
    private static InMemoryDataset dataset(Path run) {
        InMemoryDataset d = new InMemoryDataset(new ClassList(List.of("bg", "red", "green")));
        INDArray img = Nd4j.zeros(DataType.FLOAT, 3, 16, 16).addi(120);
        INDArray cam = Nd4j.zeros(DataType.FLOAT, 1, 16, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 8; x++) {
                img.putScalar(new long[] {0, y, x}, 230);
                img.putScalar(new long[] {1, y, x}, 20);
                img.putScalar(new long[] {2, y, x}, 20);
                cam.putScalar(new long[] {0, y, x}, x < 4 ? 1.0 : 0.3);
            }
        }
        d.add("a", img, null, 1);
        CamFiles.write(CamStage.file(run, "a"), new CamSet("a", new int[] {1}, cam));
        d.add("nocam", img, null, 1);
        d.add("small", img, null, 2);
        CamFiles.write(CamStage.file(run, "small"), new CamSet("small", new int[] {2},
                Nd4j.zeros(DataType.FLOAT, 1, 8, 8)));
        return d;
    }

    @Test
    void writesSeedsWithTheCrfRecordsBadImagesAndResumes(@TempDir Path run) {
        InMemoryDataset d = dataset(run);
        StageSummary s = SeedStage.run(d, "train", SeedConfig.defaults(), CrfConfig.defaults(), run, false,
                Progress.NONE);
        assertThat(s.written()).isEqualTo(1);
        assertThat(s.failures()).extracting(ImageFailure::id).containsExactly("nocam", "small");
        assertThat(s.failures().get(0).reason()).contains("cam/nocam.npz").contains("psa cams");
        assertThat(s.failures().get(1).reason()).contains("8x8").contains("16x16");
        LabelMap seeds = LabelPng.read(SeedStage.seedFile(run, "a"));
        // the red half is confident class 1 (the CRF spreads the CAM over the uniformly red region),
        // the gray half confident background
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                assertThat(seeds.get(y, x)).as("(%d, %d)", y, x).isEqualTo(x < 8 ? 1 : 0);
            }
        }
        StageSummary again = SeedStage.run(d, "train", SeedConfig.defaults(), CrfConfig.defaults(), run, false,
                Progress.NONE);
        assertThat(again.skipped()).isEqualTo(1);
        assertThat(again.written()).isZero();
        assertThatThrownBy(() -> SeedStage.run(d, "train", SeedConfig.defaults(), CrfConfig.defaults(), run, true,
                Progress.NONE)).isInstanceOf(PsaException.class).hasMessageContaining("nocam");
    }

    @Test
    void withoutCrfSeedsAreTheArgmaxOfTheRawScores(@TempDir Path run) {
        InMemoryDataset d = dataset(run);
        SeedConfig noCrf = new SeedConfig(4, 32, false);
        SeedStage.run(d, "train", noCrf, CrfConfig.defaults(), run, false, Progress.NONE);
        LabelMap seeds = LabelPng.read(SeedStage.seedFile(run, "a"));
        // CAM 1.0 → class; CAM 0.3: lo bg 0.7^4 = 0.24 < 0.3 → class too; CAM 0 → lo bg → hi bg → 0
        assertThat(seeds.get(3, 2)).isEqualTo(1);
        assertThat(seeds.get(3, 6)).isEqualTo(1);
        assertThat(seeds.get(3, 12)).isEqualTo(0);
    }
}
