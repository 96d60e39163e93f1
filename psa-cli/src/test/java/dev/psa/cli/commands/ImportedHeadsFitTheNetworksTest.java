package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.affinity.AffConfig;
import dev.psa.affinity.AffinityNet;
import dev.psa.api.AffinityStencil;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.backbones.BackboneStats;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.backbones.weights.Heads;
import dev.psa.backbones.weights.WeightFiles;
import dev.psa.backbones.weights.WeightLoader.Layout;
import dev.psa.backbones.weights.WeightPlan;
import dev.psa.cam.ClassifierNet;

/**
 * The names and shapes {@code psa weights import --with-heads} (and {@link WeightFiles#readModel(Path,
 * BackboneStats, Heads)}) give the authors' head keys are exactly the parameters of psa-cam's
 * {@link ClassifierNet} and psa-affinity's {@link AffinityNet} on the same backbone — GroupNorms
 * included on VGG16. The checkpoint shapes are written from REFERENCE.md (fc8 [20, C, 1, 1];
 * f8_3/4/5 [64/128/256, tap, 1, 1]; gn8_* [c]; f9 [448, 448, 1, 1]), not taken from psa.
 */
class ImportedHeadsFitTheNetworksTest {
    /** Output and tap channels of each backbone, from REFERENCE.md §Backbones (tiny: its defaults). */
    private static final Map<String, long[]> CHANNELS = Map.of("resnet38", new long[] {4096, 512, 1024, 4096},
            "vgg16", new long[] {1024, 512, 512, 1024}, "tiny", new long[] {128, 64, 128, 128});

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "vgg16", "resnet38"})
    void headsPlanIntoTheClassifierAndAffinityNetParameters(String name) {
        Backbone backbone = ServiceLoader.load(BackboneProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow()
                .create(ComponentConfig.empty().scoped("backbone."));
        BackboneStats stats = BackboneStats.of(backbone);
        long[] ch = CHANNELS.get(name);
        Map<String, long[]> backboneKeys = new LinkedHashMap<>();
        stats.shapes().forEach((k, s) -> backboneKeys.put(k, s.length == 4 ? new long[] {s[3], s[2], s[0], s[1]} : s));

        Map<String, long[]> cls = new LinkedHashMap<>(backboneKeys);
        cls.put("fc8.weight", new long[] {20, ch[0], 1, 1});
        ClassifierNet classifier = ClassifierNet.build(backbone, 20, false, false, 1);
        assertThat(planned(WeightPlan.of(name + "_cls.pth", cls, stats, Heads.CLASSIFIER, Layout.AUTO)))
                .isEqualTo(shapes(classifier.params()));

        Map<String, long[]> aff = new LinkedHashMap<>(backboneKeys);
        int[] c = {64, 128, 256};
        for (int i = 0; i < 3; i++) {
            aff.put("f8_" + (i + 3) + ".weight", new long[] {c[i], ch[i + 1], 1, 1});
            if (name.equals("vgg16")) {
                aff.put("gn8_" + (i + 3) + ".weight", new long[] {c[i]});
                aff.put("gn8_" + (i + 3) + ".bias", new long[] {c[i]});
            }
        }
        aff.put("f9.weight", new long[] {448, 448, 1, 1});
        AffinityNet.Built net = AffinityNet.build(backbone, AffinityStencil.of(5), c, 1e-5, false, 1);
        assertThat(backbone.groupNormInAffinityHead()).isEqualTo(name.equals("vgg16"));
        assertThat(planned(WeightPlan.of(name + "_aff.pth", aff, stats, Heads.AFFINITY, Layout.AUTO)))
                .isEqualTo(shapes(net.params()));
    }

    /**
     * End to end on the tiny backbone: an AffinityNet checkpoint in PyTorch layout, imported with
     * heads, loads into psa's AffinityNet graph and its values land where PyTorch had them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anImportedModelLoadsIntoTheNetwork(boolean viaImport, @TempDir Path dir) throws Exception {
        Backbone backbone = new TinyBackboneProvider().create(ComponentConfig.empty().scoped("backbone."));
        AffinityNet.Built net = AffinityNet.build(backbone, AffinityStencil.of(5), AffConfig.defaults().headChannels(),
                1e-5, false, 3);
        Map<String, INDArray> torch = new LinkedHashMap<>();
        net.params().forEach((k, v) -> {
            long[] s = v.shape();
            torch.put(k, Nd4j.rand(DataType.FLOAT, s.length == 4 ? new long[] {s[3], s[2], s[0], s[1]} : s));
        });
        torch.put("conv3.num_batches_tracked", Nd4j.scalar(7L));
        Path file = dir.resolve("aff_torch_layout.npz");
        Npy.writeNpz(file, torch);
        Map<String, INDArray> model;
        if (viaImport) {
            Path out = dir.resolve("aff.npz");
            WeightsCommandTest.Result r = WeightsCommandTest.psa("weights", "import", "--backbone", "tiny", "--from",
                    file.toString(), "--out", out.toString(), "--with-heads");
            assertThat(r.exit()).as(r.err()).isZero();
            model = WeightFiles.readModel(out, BackboneStats.of(backbone), Heads.AFFINITY);
        } else {
            model = WeightFiles.readModel(file, BackboneStats.of(backbone), Heads.AFFINITY);
        }
        assertThat(model.keySet()).containsExactlyInAnyOrderElementsOf(net.params().keySet());
        for (Map.Entry<String, INDArray> e : model.entrySet()) {
            INDArray t = torch.get(e.getKey());
            INDArray expected = t.rank() == 4 ? t.permute(2, 3, 1, 0) : t;
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(expected);
            net.sd().getArrForVarName(e.getKey()).assign(e.getValue());
        }
        assertThat(net.params().get("f9.weight")).isEqualTo(torch.get("f9.weight").permute(2, 3, 1, 0));
    }

    private static Map<String, List<Long>> planned(WeightPlan plan) {
        Map<String, List<Long>> out = new TreeMap<>();
        plan.placed().forEach(p -> out.put(p.name(), Arrays.stream(p.shape()).boxed().toList()));
        return out;
    }

    private static Map<String, List<Long>> shapes(Map<String, INDArray> params) {
        Map<String, List<Long>> out = new TreeMap<>();
        params.forEach((k, v) -> out.put(k, Arrays.stream(v.shape()).boxed().toList()));
        return out;
    }
}
