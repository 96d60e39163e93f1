package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.cam.internal.ClassifierTask;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;

class ClassifierTaskTest {
    @Test
    void batchesHoldCropsLabelsAndAReproducibleChannelDropoutMask() {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(40, 10, 2));
        List<Sample> train = data.samples("train");
        Backbone tiny = new TinyBackboneProvider().create(ComponentConfig.ofStrings(Map.of("tiny.stem-channels", "4",
                "tiny.conv-channels", "4", "tiny.channels", "6")));
        ClsConfig config = ClsConfig.from(ComponentConfig.ofStrings(Map.of("crop", "48", "resize-min", "30",
                "resize-max", "50", "dropout", "0.5")));
        ClassifierTask task = new ClassifierTask(data, train, List.of(), ClassifierNet.build(tiny, 4, true, false, 1),
                ClassifierNet.build(tiny, 4, false, false, 1), config, tiny.normalization());
        int[] idx = {0, 3, 5};
        Map<String, INDArray> b = task.batch(idx, new Random(9));
        assertThat(b.get(ClassifierNet.INPUT).shape()).containsExactly(3, 3, 48, 48);
        INDArray labels = b.get(ClassifierNet.LABELS);
        assertThat(labels.shape()).containsExactly(3, 4);
        for (int i = 0; i < idx.length; i++) {
            for (int k = 1; k <= 4; k++) {
                assertThat(labels.getDouble(i, k - 1)).isEqualTo(train.get(idx[i]).has(k) ? 1.0 : 0.0);
            }
        }
        INDArray mask = b.get(ClassifierNet.DROP_MASK);
        assertThat(mask.shape()).containsExactly(3, 6, 1, 1);
        for (double v : mask.dup().data().asDouble()) {
            assertThat(v).isIn(0.0, 2.0);
        }
        Map<String, INDArray> again = task.batch(idx, new Random(9));
        assertThat(again.get(ClassifierNet.INPUT)).isEqualTo(b.get(ClassifierNet.INPUT));
        assertThat(again.get(ClassifierNet.DROP_MASK)).isEqualTo(mask);
        assertThat(task.batch(idx, new Random(10)).get(ClassifierNet.INPUT)).isNotEqualTo(b.get(ClassifierNet.INPUT));
    }
}
