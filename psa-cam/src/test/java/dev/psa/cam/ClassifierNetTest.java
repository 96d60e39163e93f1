package dev.psa.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.ParamRole;

class ClassifierNetTest {
    private static Backbone tiny() {
        return new TinyBackboneProvider().create(ComponentConfig.ofStrings(Map.of("tiny.stem-channels", "8",
                "tiny.conv-channels", "8", "tiny.channels", "16")));
    }

    @Test
    void lossIsTheMultiLabelSoftMarginOfHandComputedValues() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 3);
        dev.psa.train.Losses.multiLabelSoftMargin(sd, ClassifierNet.LOSS, x, y);
        INDArray logits = Nd4j.createFromArray(new float[][] {{0, 2, -3}, {100, -100, 1}});
        INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0, 1}, {1, 1, 0}});
        double loss = sd.output(Map.of("x", logits, "y", labels), ClassifierNet.LOSS).get(ClassifierNet.LOSS)
                .getDouble(0);
        // −[y log σ(x) + (1−y) log(1−σ(x))] per entry, written out
        double expected = 0;
        double[][] xs = {{0, 2, -3}, {100, -100, 1}};
        double[][] ys = {{1, 0, 1}, {1, 1, 0}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double v = xs[i][j];
                double logSig = -Math.log1p(Math.exp(-Math.abs(v))) + Math.min(v, 0);
                double logOneMinus = -Math.log1p(Math.exp(-Math.abs(v))) - Math.max(v, 0);
                expected += -(ys[i][j] * logSig + (1 - ys[i][j]) * logOneMinus);
            }
        }
        expected /= 6;
        assertThat(loss).isCloseTo(expected, within(1e-4));
        // entry (0,0): log 2; (1,1): 100 (no overflow)
        assertThat(expected * 6).isCloseTo(Math.log(2) + Math.log1p(Math.exp(2)) + Math.log1p(Math.exp(-3)) + 3
                + Math.log1p(Math.exp(-100)) + 100 + Math.log1p(Math.exp(1)), within(1e-9));
    }

    @Test
    void headOnTinyBackboneGivesLogitsAsTheMeanOfScoresAndCamsAsTheirRelu() {
        ClassifierNet net = ClassifierNet.build(tiny(), 4, false, false, 3);
        assertThat(net.roles()).containsEntry(ClassifierNet.WEIGHT, ParamRole.NEW_WEIGHT);
        INDArray w = net.graph().getVariable(ClassifierNet.WEIGHT).getArr();
        assertThat(w.shape()).containsExactly(1, 1, 16, 4);
        double bound = Math.sqrt(6.0 / (16 + 4));
        assertThat(w.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 40, 30).subi(0.5).muli(4);
        Map<String, INDArray> out = net.graph().output(Map.of(ClassifierNet.INPUT, images), ClassifierNet.SCORE,
                ClassifierNet.LOGITS, ClassifierNet.CAM);
        INDArray score = out.get(ClassifierNet.SCORE);
        assertThat(score.shape()).containsExactly(2, 4, 5, 4);
        assertThat(out.get(ClassifierNet.LOGITS).equalsWithEps(score.mean(2, 3), 1e-5)).isTrue();
        assertThat(out.get(ClassifierNet.CAM).equalsWithEps(Nd4j.nn.relu(score, 0), 1e-6)).isTrue();
        assertThat(net.camNetwork().cams(images).equalsWithEps(out.get(ClassifierNet.CAM), 1e-6)).isTrue();

        ClassifierNet vgg = ClassifierNet.build(tiny(), 4, false, true, 3);
        INDArray sqrtCam = vgg.camNetwork().cams(images);
        assertThat(sqrtCam.equalsWithEps(Nd4j.math.sqrt(Nd4j.nn.relu(score, 0)), 1e-5)).isTrue();
    }

    @Test
    void trainingGraphDropsWholeChannelsThroughTheMask() {
        ClassifierNet train = ClassifierNet.build(tiny(), 4, true, false, 3);
        ClassifierNet infer = ClassifierNet.build(tiny(), 4, false, false, 3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 16, 1, 1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, 4);
        INDArray a = train.graph().output(Map.of(ClassifierNet.INPUT, images, ClassifierNet.DROP_MASK, ones,
                ClassifierNet.LABELS, labels), ClassifierNet.LOGITS).get(ClassifierNet.LOGITS);
        assertThat(a.equalsWithEps(infer.logits(images), 1e-5)).as("same seed, mask of ones").isTrue();
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 1, 16, 1, 1);
        INDArray b = train.graph().output(Map.of(ClassifierNet.INPUT, images, ClassifierNet.DROP_MASK, zeros,
                ClassifierNet.LABELS, labels), ClassifierNet.LOGITS).get(ClassifierNet.LOGITS);
        assertThat(b.amaxNumber().doubleValue()).isZero();
    }

    @Test
    void loadReportsMissingAndMisshapedParameters() {
        ClassifierNet a = ClassifierNet.build(tiny(), 4, false, false, 1);
        ClassifierNet b = ClassifierNet.build(tiny(), 4, false, false, 2);
        b.load(a.params(), b.roles().keySet(), "a");
        INDArray images = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16);
        assertThat(b.logits(images).equalsWithEps(a.logits(images), 1e-6)).isTrue();
        Map<String, INDArray> broken = new HashMap<>(a.params());
        broken.remove("conv5.bias");
        broken.put(ClassifierNet.WEIGHT, Nd4j.zeros(DataType.FLOAT, 1, 1, 16, 5));
        assertThatThrownBy(() -> b.load(broken, b.roles().keySet(), "model.npz")).isInstanceOf(PsaException.class)
                .hasMessageContaining("model.npz").hasMessageContaining("missing [conv5.bias]")
                .hasMessageContaining("fc8.weight (graph [1, 1, 16, 4], file [1, 1, 16, 5])");
    }
}
