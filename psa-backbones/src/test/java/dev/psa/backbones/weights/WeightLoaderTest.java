package dev.psa.backbones.weights;

import static dev.psa.backbones.BackboneTesting.build;
import static dev.psa.backbones.BackboneTesting.input;
import static dev.psa.backbones.weights.Fixtures.resource;
import static dev.psa.backbones.weights.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.BuildOptions.Purpose;
import dev.psa.backbones.BackboneTesting.Built;
import dev.psa.backbones.tiny.TinyBackbone;
import dev.psa.backbones.tiny.TinyConfig;
import dev.psa.backbones.weights.WeightLoader.Layout;

class WeightLoaderTest {
    private static final BuildOptions SEED_1 = new BuildOptions(Purpose.CLASSIFICATION, false, 1);
    private static final BuildOptions SEED_2 = new BuildOptions(Purpose.CLASSIFICATION, false, 2);

    @TempDir
    Path tmp;

    @Test
    void pthFixtureLoadsIntoTheRightLayersAsYxio() {
        Built net = build(new TinyBackbone(Fixtures.TINY), SEED_1);
        Map<String, INDArray> weights = WeightFiles.read(resource("tiny_state_dict.pth"));
        WeightLoader.Report r = WeightLoader.load(net.sd(), weights, net.graph().params().keySet(),
                WeightLoader.Options.pytorch().withSkipPrefixes(List.of("fc8.")));
        assertThat(r.loaded()).hasSize(10);
        assertThat(r.skipped()).containsExactlyInAnyOrder("bn.num_batches_tracked", "fc8.weight");
        assertThat(r.layout()).isEqualTo(Layout.PYTORCH);
        String[] convs = {"stem1", "stem2", "conv3", "conv4", "conv5"};
        for (int t = 0; t < convs.length; t++) {
            INDArray v = net.sd().getVariable(convs[t] + ".weight").getArr();
            long[] s = v.shape(); // [kh, kw, in, out]
            for (long y = 0; y < s[0]; y++) {
                for (long x = 0; x < s[1]; x++) {
                    for (long i = 0; i < s[2]; i++) {
                        for (long o = 0; o < s[3]; o++) {
                            assertThat(v.getDouble(y, x, i, o)).as(convs[t] + "[%d,%d,%d,%d]", y, x, i, o)
                                    .isEqualTo(w(t + 1, o, i, y, x));
                        }
                    }
                }
            }
        }
        assertThat(net.sd().getVariable("stem2.bias").getArr().toDoubleVector()).containsExactly(2.5, 3.5);
        assertThat(net.sd().getVariable("conv3.bias").getArr().toDoubleVector()).containsExactly(-1.25, 0, 2.75);
        assertThat(net.sd().getVariable("conv3.weight").getArr().dataType())
                .isEqualTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    @Test
    void missingUnexpectedAndMisshapedKeysAreReportedTogether() {
        Built net = build(new TinyBackbone(Fixtures.TINY), SEED_1);
        Map<String, INDArray> weights = new LinkedHashMap<>(WeightFiles.read(resource("tiny_state_dict.pth")));
        weights.remove("conv4.bias");
        weights.put("conv5.bias", Nd4j.zeros(5));
        INDArray before = net.sd().getVariable("stem1.weight").getArr().dup();
        assertThatThrownBy(() -> WeightLoader.load(net.sd(), weights, net.graph().params().keySet()))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.missing()).containsExactly("conv4.bias");
                    assertThat(e.unexpected()).containsExactly("fc8.weight");
                    assertThat(e.misshaped()).containsExactly("conv5.bias: file [5], expected [4]");
                })
                .hasMessageContaining("1 missing, 1 unexpected, 1 wrongly shaped");
        assertThat(net.sd().getVariable("stem1.weight").getArr()).isEqualTo(before);

        Built wide = build(new TinyBackbone(TinyConfig.defaults()), SEED_1);
        assertThatThrownBy(() -> WeightLoader.load(wide.sd(), WeightFiles.read(resource("tiny_state_dict.pth")),
                wide.graph().params().keySet(), WeightLoader.Options.pytorch().withIgnoreUnexpected(true).withSource("x.pth")))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> assertThat(e.misshaped()).hasSize(10))
                .hasMessageContaining("x.pth")
                .hasMessageContaining("stem1.weight: file [2, 3, 4, 4], expected [32, 3, 4, 4] (PyTorch layout [out, in, kh, kw])");
    }

    @Test
    void modelExportedToNpzAndImportedBackGivesIdenticalOutputs() {
        Built original = build(new TinyBackbone(TinyConfig.defaults()), SEED_1);
        INDArray x = input(2, 40, 48, 9);
        INDArray expected = original.run(x).get("output");

        Path own = tmp.resolve("model.npz");
        Npy.writeNpz(own, WeightLoader.values(original.sd(), original.graph().params().keySet()));
        Built fresh = build(new TinyBackbone(TinyConfig.defaults()), SEED_2);
        assertThat(fresh.run(x).get("output").equalsWithEps(expected, 1e-3)).isFalse();
        WeightLoader.Report r = WeightLoader.load(fresh.sd(), WeightFiles.read(own), fresh.graph().params().keySet(),
                WeightLoader.Options.pytorch().withLayout(Layout.AUTO));
        assertThat(r.layout()).isEqualTo(Layout.SAMEDIFF);
        assertThat(fresh.run(x).get("output")).isEqualTo(expected);

        Path torchLayout = tmp.resolve("from_pytorch.npz");
        Map<String, INDArray> asTorch = new LinkedHashMap<>();
        WeightLoader.values(original.sd(), original.graph().params().keySet())
                .forEach((k, v) -> asTorch.put(k, WeightLoader.toPyTorch(v)));
        assertThat(asTorch.get("conv3.weight").shape()).containsExactly(64, 32, 3, 3);
        Npy.writeNpz(torchLayout, asTorch);
        Built third = build(new TinyBackbone(TinyConfig.defaults()), SEED_2);
        WeightLoader.Report r2 = WeightLoader.load(third.sd(), WeightFiles.read(torchLayout), third.graph().params().keySet(),
                WeightLoader.Options.pytorch().withLayout(Layout.AUTO));
        assertThat(r2.layout()).isEqualTo(Layout.PYTORCH);
        assertThat(third.run(x).get("output")).isEqualTo(expected);
    }

    @Test
    void dataParallelPrefixIsStripped() {
        Built net = build(new TinyBackbone(Fixtures.TINY), SEED_1);
        Map<String, INDArray> prefixed = new LinkedHashMap<>();
        WeightFiles.read(resource("tiny_state_dict.pth")).forEach((k, v) -> prefixed.put("module." + k, v));
        WeightLoader.Report r = WeightLoader.load(net.sd(), prefixed, net.graph().params().keySet(),
                WeightLoader.Options.pytorch().withSkipPrefixes(List.of("fc8.")));
        assertThat(r.loaded()).contains("conv5.bias");
        assertThat(net.sd().getVariable("conv5.bias").getArr().toDoubleVector()).containsExactly(5, 5.25, 5.5, 5.75);
    }
}
