package dev.psa.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;
import dev.psa.api.spi.Backbone;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.resnet38.ResNet38Backbone;
import dev.psa.backbones.resnet38.ResNet38Config;
import dev.psa.backbones.vgg16.Vgg16Backbone;
import dev.psa.backbones.vgg16.Vgg16Config;

/**
 * Every file written by a real {@code torch.save} ({@code testdata/torch-fixtures/README.md}:
 * zip with data descriptors, legacy, wrapped, {@code module.}-prefixed, shared storages,
 * transposed views, int64 counters) reads back exactly as {@code torch.load} read it
 * (expected.json: format, keys in order, shape, dtype, sum, first four values).
 */
class TorchFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code <repo>/testdata/torch-fixtures/NAME}, found walking up from the working directory. */
    static Path fixture(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("testdata/torch-fixtures").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new AssertionError("testdata/torch-fixtures/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    static JsonNode expected() throws Exception {
        return JSON.readTree(fixture("expected.json").toFile()).path("files");
    }

    static List<String> files() throws Exception {
        List<String> names = new ArrayList<>();
        expected().fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @MethodSource("files")
    void readsLikeTorchLoad(String name) throws Exception {
        JsonNode exp = expected().path(name);
        Path file = fixture(name);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
                .as("the fixture is the file expected.json describes").isEqualTo(exp.path("sha256").asText());
        assertThat(WeightFiles.format(file)).isEqualTo(exp.path("format").asText().equals("zip")
                ? WeightFiles.Format.PTH_ZIP : WeightFiles.Format.PTH_LEGACY);

        Map<String, INDArray> read = WeightFiles.read(file);
        List<String> keys = new ArrayList<>();
        exp.path("tensors").fieldNames().forEachRemaining(keys::add);
        assertThat(read.keySet()).containsExactlyElementsOf(keys);
        for (Iterator<Map.Entry<String, JsonNode>> it = exp.path("tensors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            INDArray a = read.get(e.getKey());
            JsonNode t = e.getValue();
            long[] shape = new long[t.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.path("shape").path(i).asLong();
            }
            assertThat(a.shape()).as(name + " " + e.getKey() + " shape").containsExactly(shape);
            assertThat(a.dataType()).as(name + " " + e.getKey() + " dtype")
                    .isEqualTo(t.path("dtype").asText().equals("int64") ? DataType.LONG : DataType.FLOAT);
            INDArray flat = a.castTo(DataType.DOUBLE).reshape(a.length());
            assertThat(flat.sumNumber().doubleValue()).as(name + " " + e.getKey() + " sum")
                    .isCloseTo(t.path("sum").asDouble(), within(1e-9));
            for (int i = 0; i < t.path("first4").size(); i++) {
                assertThat(flat.getDouble(i)).as(name + " " + e.getKey() + "[" + i + "]")
                        .isEqualTo(t.path("first4").path(i).asDouble());
            }
        }
    }

    /**
     * Every key of the authors' checkpoints has a place in psa: the all-keys fixtures hold every key
     * of the authors' resnet38_cls / resnet38_aff state_dicts (tiny channels), the VGG16 fixtures a
     * backbone subset plus every head key (fc8; f8_3..5, gn8_3..5, f9). Only the batch-norm step
     * counters stay unmapped (they are not loaded).
     */
    @ParameterizedTest
    @MethodSource("authorsFiles")
    void everyKeyOfTheAuthorsCheckpointsMapsToAPsaParameter(String name) throws Exception {
        Backbone backbone = name.startsWith("vgg16") ? new Vgg16Backbone(Vgg16Config.defaults())
                : new ResNet38Backbone(ResNet38Config.defaults());
        Set<String> params = BackboneStats.of(backbone).shapes().keySet();
        List<String> unmapped = new ArrayList<>();
        for (String key : WeightFiles.read(fixture(name)).keySet()) {
            if (WeightCommands.psaName(key, params).isEmpty() && !key.endsWith(".num_batches_tracked")) {
                unmapped.add(key);
            }
        }
        assertThat(unmapped).as(name).isEmpty();
        if (name.contains("allkeys")) {
            Set<String> keys = new HashSet<>(WeightFiles.read(fixture(name)).keySet());
            assertThat(keys).as("the all-keys file covers every backbone parameter").containsAll(params);
        }
    }

    @ParameterizedTest
    @MethodSource("truncations")
    void aTruncatedCheckpointIsAClearErrorNamingTheFileAndNothingIsWritten(String name, int keep,
            @TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(fixture(name));
        Path cut = dir.resolve("cut-" + name);
        Files.write(cut, Arrays.copyOf(all, all.length * keep / 100));
        Path out = dir.resolve("out.npz");
        assertThatThrownBy(() -> WeightCommands.importWeights(new Vgg16Backbone(Vgg16Config.defaults()), cut, out, true,
                WeightLoader.Layout.AUTO, new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(PsaException.class).hasMessageContaining(cut.toString());
        assertThat(out).doesNotExist();
    }

    static List<Arguments> truncations() {
        return List.of(Arguments.of("vgg16_aff.pth", 50), Arguments.of("vgg16_aff.pth", 95),
                Arguments.of("vgg16_aff_legacy.pth", 50), Arguments.of("vgg16_aff_legacy.pth", 95));
    }

    static List<String> authorsFiles() {
        return List.of("resnet38_cls_allkeys.pth", "resnet38_aff_allkeys_legacy.pth", "vgg16_cls.pth", "vgg16_aff.pth",
                "resnet38_cls_module.pth", "resnet38_aff_wrapped.pth");
    }
}
