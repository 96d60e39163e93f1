package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.ClassList;
import dev.psa.api.InputNormalization;
import dev.psa.api.config.ComponentConfig;
import dev.psa.data.io.CamFiles;

/** A resumed CAM stage gives the CAMs of an uninterrupted one, bit for bit. */
class CamStageResumeTest {
    /**
     * A network whose output depends on the other images of its batch (as floating-point sums in a
     * real backbone's batched kernels may, at the last bit): mean of channel k over 8×8 cells plus
     * the batch mean of that.
     */
    private static final CamNetwork BATCH_DEPENDENT = images -> {
        INDArray pooled = Nd4j.cnn().avgPooling2d(images, org.nd4j.linalg.api.ops.impl.layers.convolution.config
                .Pooling2DConfig.builder().kH(8).kW(8).sH(8).sW(8).isNHWC(false).build());
        INDArray mean = pooled.mean(true, 0);
        return Nd4j.nn.relu(pooled.add(mean.broadcast(pooled.shape())), 0);
    };

    @Test
    void imagesMissingAfterAnInterruptionAreComputedInTheirOriginalBatch(@TempDir Path run) throws Exception {
        InMemoryDataset d = new InMemoryDataset(new ClassList(List.of("bg", "r", "g", "b")));
        Nd4j.getRandom().setSeed(7);
        for (int i = 0; i < 6; i++) {
            d.add("img" + i, Nd4j.rand(DataType.FLOAT, 3, 16, 24).muli(255), null, i % 2 == 0 ? new int[] {1, 3}
                    : new int[] {2});
        }
        MultiScaleCam msc = new MultiScaleCam(BATCH_DEPENDENT, InputNormalization.IMAGENET,
                CamConfig.from(ComponentConfig.ofStrings(Map.of("scales", "1.0", "batch-size", "4"))), 3);
        CamStage.run(d, d.samples("train"), msc, run, false, Progress.NONE);
        INDArray img2 = CamFiles.read(run.resolve("cam/img2.npz"), "img2").cams();
        INDArray img5 = CamFiles.read(run.resolve("cam/img5.npz"), "img5").cams();

        // interrupted after img0, img1 of the first batch and img4 of the second
        for (String id : List.of("img2", "img3", "img5")) {
            Files.delete(run.resolve("cam/" + id + ".npz"));
        }
        StageSummary resumed = CamStage.run(d, d.samples("train"), msc, run, false, Progress.NONE);

        assertThat(resumed.written()).isEqualTo(3);
        assertThat(resumed.skipped()).isEqualTo(3);
        assertThat(floats(CamFiles.read(run.resolve("cam/img2.npz"), "img2").cams())).containsExactly(floats(img2));
        assertThat(floats(CamFiles.read(run.resolve("cam/img5.npz"), "img5").cams())).containsExactly(floats(img5));
        // alone in a batch, img2 would differ: the test can tell
        INDArray alone = msc.computeAll(List.of(new MultiScaleCam.Input("img2",
                d.load(d.samples("train").get(2)).image(), new int[] {1, 3}))).get(0).cams();
        assertThat(alone.equalsWithEps(img2, 1e-3)).isFalse();
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }
}
