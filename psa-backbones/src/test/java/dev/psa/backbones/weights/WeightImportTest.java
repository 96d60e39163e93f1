package dev.psa.backbones.weights;

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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.tiny.TinyBackbone;
import dev.psa.backbones.tiny.TinyConfig;
import dev.psa.backbones.tiny.TinyBackboneProvider;
import dev.psa.backbones.weights.WeightLoader.Layout;

class WeightImportTest {
    @TempDir
    Path tmp;

    @Test
    void importWritesTheProjectFormatWithHeads() {
        Path out = tmp.resolve("imported.npz");
        WeightImport.ImportResult r = WeightImport.importWeights(new TinyBackboneProvider().create(Fixtures.tinyConfig()),
                resource("tiny_state_dict_legacy.pth"), out, true, Layout.AUTO);
        assertThat(r.backbone()).isEqualTo(10);
        assertThat(r.heads()).containsExactly("fc8.weight");
        assertThat(r.skipped()).containsExactly("bn.num_batches_tracked");
        assertThat(r.layout()).isEqualTo(Layout.PYTORCH);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).startsWith("imported 10 tiny tensors and 1 head tensors [fc8.weight] from ")
                .endsWith("(PyTorch layout) into " + out);
        assertThat(r.lines().get(1)).startsWith("left out: ");

        Map<String, INDArray> m = Npy.readNpz(out);
        assertThat(m).hasSize(11);
        assertThat(m.values()).allSatisfy(a -> assertThat(a.dataType()).isEqualTo(DataType.FLOAT));
        assertThat(m.get("conv3.weight").shape()).containsExactly(3, 3, 2, 3);
        assertThat(m.get("conv3.weight").getDouble(2, 0, 1, 2)).isEqualTo(w(3, 2, 1, 2, 0));
        assertThat(m.get("fc8.weight").shape()).containsExactly(1, 1, 4, 5);
        assertThat(m.get("fc8.weight").getDouble(0, 0, 3, 4)).isEqualTo(w(6, 4, 3, 0, 0));

        // The written file is the project's own format: importing it again detects SameDiff layout.
        Path again = tmp.resolve("again.npz");
        WeightImport.ImportResult r2 = WeightImport.importWeights(new TinyBackbone(Fixtures.TINY), out, again,
                false, Layout.AUTO);
        assertThat(r2.layout()).isEqualTo(Layout.SAMEDIFF);
        assertThat(r2.skipped()).containsExactly("fc8.weight");
        Map<String, INDArray> m2 = Npy.readNpz(again);
        assertThat(m2).hasSize(10);
        m2.forEach((k, v) -> assertThat(v).as(k).isEqualTo(m.get(k)));
    }

    @Test
    void importIntoTheWrongBackboneListsEveryProblem() {
        assertThatThrownBy(() -> WeightImport.importWeights(
                new TinyBackboneProvider().create(ComponentConfig.empty().scoped("backbone.")),
                resource("tiny_state_dict.pth"), tmp.resolve("x.npz"), true, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> assertThat(e.misshaped()).hasSize(11)
                        .contains("fc8.weight: file [5, 4, 1, 1], expected [K, 128, 1, 1] (PyTorch layout [out, in, kh, kw];"
                                + " K = the number of classes)"))
                .hasMessageContaining("tiny_state_dict.pth");
        assertThat(tmp.resolve("x.npz")).doesNotExist();
    }

    /** One tensor of the wrong shape in an otherwise fitting file: that key, both shapes and the file named; nothing written. */
    @Test
    void aSingleShapeMismatchNamesTheKeyAndWritesNothing() {
        Map<String, INDArray> w = new LinkedHashMap<>(WeightFiles.read(resource("tiny_state_dict.pth")));
        w.put("conv4.weight", Nd4j.zeros(DataType.FLOAT, 4, 2, 1, 1));
        Path file = tmp.resolve("one_wrong.npz");
        Npy.writeNpz(file, w);
        Path out = tmp.resolve("sub").resolve("out.npz");
        assertThatThrownBy(() -> WeightImport.importWeights(new TinyBackbone(Fixtures.TINY), file, out, true, Layout.AUTO))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.misshaped()).containsExactly("conv4.weight: file [4, 2, 1, 1], expected [4, 3, 1, 1] "
                            + "(PyTorch layout [out, in, kh, kw])");
                    assertThat(e.missing()).isEmpty();
                    assertThat(e.unexpected()).isEmpty();
                })
                .hasMessageStartingWith(file + ": weights do not fit the network (0 missing, 0 unexpected, 1 wrongly shaped)");
        assertThat(tmp.resolve("sub")).doesNotExist();
    }

    @Test
    void inspectListsTensorsAndBackboneFit() {
        String text = String.join("\n", WeightImport.inspect(resource("tiny_state_dict.pth"),
                List.of(new TinyBackbone(Fixtures.TINY), new TinyBackbone(TinyConfig.defaults())))) + "\n";
        assertThat(text).contains("# format: PyTorch checkpoint (zip)")
                .contains("\nstem2.weight shape=[2, 2, 2, 2] dtype=float32 -> stem2.weight\n")
                .contains("\nconv3.weight shape=[3, 2, 3, 3] dtype=float64 -> conv3.weight\n")
                .contains("\nbn.num_batches_tracked shape=[] dtype=int64 -> unmapped\n")
                .contains("\nfc8.weight shape=")
                .contains("# tensors: 12, elements: " + (96 + 2 + 16 + 2 + 54 + 3 + 12 + 4 + 16 + 4 + 1 + 20))
                .contains("backbone tiny: fits (10 of 10 parameters, PyTorch layout, heads: fc8.weight, left out: "
                        + "1 key (batch-norm step counter, not a parameter))")
                .contains("backbone tiny: does not fit (0 of 10 parameters present with the right shape; 0 missing, "
                        + "11 wrongly shaped, 0 unexpected keys)");
    }

    @Test
    void trainableParamsAndDetailsLine() {
        long expected = (4 * 4 * 3 * 32 + 32) + (2 * 2 * 32 * 32 + 32) + (3 * 3 * 32 * 64 + 64)
                + (64 * 128 + 128) + (128 * 128 + 128);
        TinyBackbone tiny = new TinyBackbone(TinyConfig.defaults());
        assertThat(BackboneStats.trainableParams(tiny)).isEqualTo(expected);
        BackboneStats s = BackboneStats.of(tiny);
        assertThat(s.total()).isEqualTo(expected);
        assertThat(s.detailsLine()).isEqualTo("tiny params=" + expected);
        assertThat(s.shapes().get("stem1.weight")).containsExactly(4, 4, 3, 32);
    }
}
