package dev.psa.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.LabelMap;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.ParamRole;
import dev.psa.api.spi.SegHeadGraph;
import dev.psa.backbones.tiny.TinyBackboneProvider;
import dev.psa.seg.heads.AsppHead;
import dev.psa.seg.heads.LargeFovHead;

class SegNetTest {
    static Backbone tiny() {
        return new TinyBackboneProvider().create(ComponentConfig.ofStrings(Map.of(
                "backbone.tiny.stem-channels", "8", "backbone.tiny.conv-channels", "8", "backbone.tiny.channels", "8"))
                .scoped("backbone."));
    }

    /** The graph's loss equals the cross-entropy computed here from its own scores, 255 cells left out. */
    @Test
    void lossIsTheMeanCrossEntropyOverLabelledCells() {
        SegNet net = SegNet.build(tiny(), new LargeFovHead(8, 2, 0.0), 3, true, 7);
        Random rng = new Random(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 30, 40).subi(0.5).muli(4);
        LabelMap a = randomLabels(rng, 4, 5);
        LabelMap b = randomLabels(rng, 4, 5);
        INDArray target = SegLabels.oneHot(List.of(a, b), 3);
        int labelled = target.sumNumber().intValue();
        assertThat(labelled).isBetween(1, 39);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(SegNet.INPUT, images);
        feed.put(SegNet.TARGET, target);
        feed.put(SegNet.NORM, Nd4j.scalar(1f / labelled));
        Map<String, INDArray> out = net.graph().output(feed, SegNet.SCORES, SegNet.LOSS);
        INDArray scores = out.get(SegNet.SCORES);
        assertThat(scores.shape()).containsExactly(2, 3, 4, 5); // ceil(30/8) × ceil(40/8)
        double sum = 0;
        List<LabelMap> maps = List.of(a, b);
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    int c = maps.get(n).get(y, x);
                    if (c == 255) {
                        continue;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < 3; k++) {
                        max = Math.max(max, scores.getDouble(n, k, y, x));
                    }
                    double z = 0;
                    for (int k = 0; k < 3; k++) {
                        z += Math.exp(scores.getDouble(n, k, y, x) - max);
                    }
                    sum += -(scores.getDouble(n, c, y, x) - max - Math.log(z));
                }
            }
        }
        assertThat(out.get(SegNet.LOSS).getDouble(0)).isCloseTo(sum / labelled, within(1e-5));
    }

    @Test
    void headParametersAreNewLayersBesideTheBackbones() {
        SegNet net = SegNet.build(tiny(), new LargeFovHead(16, 12, 0.5), 5, true, 0);
        assertThat(net.roles()).containsEntry("seg_fc6.weight", ParamRole.NEW_WEIGHT)
                .containsEntry("seg_fc6.bias", ParamRole.NEW_BIAS).containsEntry("seg_fc8.weight", ParamRole.NEW_WEIGHT)
                .containsEntry("conv3.weight", ParamRole.WEIGHT);
        assertThat(net.backboneParams()).containsKey("conv3.weight").doesNotContainKey("seg_fc6.weight");
        assertThat(net.dropout()).extracting(m -> m.placeholder() + " " + m.channels() + " " + m.p())
                .containsExactly("seg_fc6/drop/mask 16 0.5", "seg_fc7/drop/mask 16 0.5");
        assertThat(net.params().get("seg_fc6.weight").shape()).containsExactly(3, 3, 8, 16);
        assertThat(net.params().get("seg_fc7.weight").shape()).containsExactly(1, 1, 16, 16);
        assertThat(net.params().get("seg_fc8.weight").shape()).containsExactly(1, 1, 16, 5);
        // the new classifier starts N(0, 0.01)
        assertThat(net.params().get("seg_fc8.weight").stdNumber().doubleValue()).isBetween(0.007, 0.013);
    }

    /**
     * ASPP by hand: with each branch's only non-zero weight at the kernel's top-left tap, branch d reads
     * the input d cells up and d cells left (zero outside), and the branches add up.
     */
    @Test
    void asppBranchesAreDilatedConvolutionsSummed() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("f", DataType.FLOAT, 1, 1, 5, 5);
        SegHeadGraph g = new AsppHead(new int[] {1, 2}, 0).build(sd, in, 1, 1, false, 0);
        for (String branch : List.of("seg_aspp0", "seg_aspp1")) {
            INDArray w = Nd4j.zeros(DataType.FLOAT, 3, 3, 1, 1);
            w.putScalar(new long[] {0, 0, 0, 0}, 1f);
            sd.getVariable(branch + ".weight").getArr().assign(w);
        }
        assertThat(g.params()).containsOnlyKeys("seg_aspp0.weight", "seg_aspp0.bias", "seg_aspp1.weight",
                "seg_aspp1.bias");
        INDArray f = Nd4j.arange(1, 26).castTo(DataType.FLOAT).reshape(1, 1, 5, 5);
        INDArray out = sd.output(Map.of("f", f), g.scores().name()).get(g.scores().name());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                double expected = at(f, y - 1, x - 1) + at(f, y - 2, x - 2);
                assertThat(out.getDouble(0, 0, y, x)).as("(%d,%d)", y, x).isEqualTo(expected);
            }
        }
    }

    private static double at(INDArray f, int y, int x) {
        return y < 0 || x < 0 || y >= 5 || x >= 5 ? 0 : f.getDouble(0, 0, y, x);
    }

    private static LabelMap randomLabels(Random rng, int h, int w) {
        byte[] d = new byte[h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (rng.nextInt(5) == 0 ? 255 : rng.nextInt(3));
        }
        return new LabelMap(h, w, d);
    }
}
