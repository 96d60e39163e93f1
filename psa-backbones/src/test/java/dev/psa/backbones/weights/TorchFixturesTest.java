package dev.psa.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every file written by a real {@code torch.save} (src/test/resources/torch-fixtures/README.md:
 * zip with data descriptors, legacy, wrapped, {@code module.}-prefixed, shared storages,
 * transposed views, int64 counters) reads back exactly as {@code torch.load} read it
 * (expected.json: format, keys in order, shape, dtype, sum, first four values).
 */
class TorchFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path fixture(String name) {
        try {
            return Path.of(TorchFixturesTest.class.getResource("/torch-fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
}
