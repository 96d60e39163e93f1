package dev.psa.backbones.weights;

import static dev.psa.backbones.weights.Fixtures.resource;
import static dev.psa.backbones.weights.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;

class WeightFilesTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheZipCheckpointWithViewsOffsetsAndDtypes() {
        Path file = resource("tiny_state_dict.pth");
        assertThat(WeightFiles.format(file)).isEqualTo(WeightFiles.Format.PTH_ZIP);
        Map<String, INDArray> m = WeightFiles.read(file);
        assertThat(m.keySet()).containsExactly("stem1.weight", "stem1.bias", "stem2.weight", "stem2.bias",
                "conv3.weight", "conv3.bias", "conv4.weight", "conv4.bias", "conv5.weight", "conv5.bias",
                "bn.num_batches_tracked", "fc8.weight");
        checkValues(m);
    }

    @Test
    void readsTheLegacyCheckpointIdentically() {
        Path legacy = resource("tiny_state_dict_legacy.pth");
        assertThat(WeightFiles.format(legacy)).isEqualTo(WeightFiles.Format.PTH_LEGACY);
        Map<String, INDArray> m = WeightFiles.read(legacy);
        checkValues(m);
        Map<String, INDArray> zip = WeightFiles.read(resource("tiny_state_dict.pth"));
        assertThat(m.keySet()).containsExactlyElementsOf(zip.keySet());
        zip.forEach((k, v) -> assertThat(m.get(k)).as(k).isEqualTo(v));
    }

    private static void checkValues(Map<String, INDArray> m) {
        INDArray stem1 = m.get("stem1.weight");
        assertThat(stem1.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(stem1.shape()).containsExactly(2, 3, 4, 4);
        INDArray stem2 = m.get("stem2.weight");
        assertThat(stem2.shape()).containsExactly(2, 2, 2, 2);
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        assertThat(stem1.getDouble(o, i, y, x)).isEqualTo(w(1, o, i, y, x));
                        if (i < 2 && y < 2 && x < 2) {
                            assertThat(stem2.getDouble(o, i, y, x)).isEqualTo(w(2, o, i, y, x));
                        }
                    }
                }
            }
        }
        assertThat(m.get("stem1.bias").toDoubleVector()).containsExactly(0.5, 1.5);
        assertThat(m.get("stem2.bias").toDoubleVector()).containsExactly(2.5, 3.5);
        assertThat(m.get("conv3.weight").dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(m.get("conv3.weight").getDouble(2, 1, 2, 0)).isEqualTo(w(3, 2, 1, 2, 0));
        assertThat(m.get("conv3.bias").dataType()).isEqualTo(DataType.FLOAT);
        assertThat(m.get("conv3.bias").toDoubleVector()).containsExactly(-1.25, 0, 2.75);
        assertThat(m.get("conv5.weight").getDouble(3, 2, 0, 0)).isEqualTo(w(5, 3, 2, 0, 0));
        assertThat(m.get("conv5.bias").toDoubleVector()).containsExactly(5, 5.25, 5.5, 5.75);
        INDArray steps = m.get("bn.num_batches_tracked");
        assertThat(steps.rank()).isZero();
        assertThat(steps.getLong(0)).isEqualTo(7);
        assertThat(m.get("fc8.weight").shape()).containsExactly(5, 4, 1, 1);
    }

    @Test
    void refusesGlobalOsSystemInAZipCheckpoint() throws IOException {
        // PROTO 2; GLOBAL 'os system'; BINUNICODE 'touch /tmp/pwned'; TUPLE1; REDUCE; STOP
        byte[] pkl = concat(new byte[] {(byte) 0x80, 2}, ascii("cos\nsystem\n"), binunicode("touch /tmp/pwned"),
                new byte[] {(byte) 0x85, 'R', '.'});
        Path file = zip("evil.pth", pkl);
        assertThatThrownBy(() -> WeightFiles.read(file))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("global 'os.system' is not allowed")
                .hasMessageContaining("torch._utils._rebuild_tensor_v2");
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void refusesStackGlobalBuiltinsEval() throws IOException {
        // PROTO 4; SHORT_BINUNICODE 'builtins'; SHORT_BINUNICODE 'eval'; STACK_GLOBAL; ...
        byte[] pkl = concat(new byte[] {(byte) 0x80, 4}, shortUnicode("builtins"), shortUnicode("eval"),
                new byte[] {(byte) 0x93}, shortUnicode("1+1"), new byte[] {(byte) 0x85, 'R', '.'});
        Path file = zip("eval.pth", pkl);
        assertThatThrownBy(() -> WeightFiles.read(file))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("global 'builtins.eval' is not allowed");
    }

    @Test
    void refusesAMaliciousLegacyPickleAndObjectOpcodes() throws IOException {
        Path legacy = tmp.resolve("evil_legacy.pth");
        Files.write(legacy, concat(new byte[] {(byte) 0x80, 2}, ascii("cposix\nsystem\n"), binunicode("id"),
                new byte[] {(byte) 0x85, 'R', '.'}));
        assertThatThrownBy(() -> WeightFiles.read(legacy))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining(legacy.toString())
                .hasMessageContaining("global 'posix.system' is not allowed");
        // INST opcode: i<module>\n<name>\n instantiates a class directly
        Path inst = zip("inst.pth", concat(new byte[] {(byte) 0x80, 2, '('}, ascii("icollections\nOrderedDict\n.")));
        assertThatThrownBy(() -> WeightFiles.read(inst))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("opcode 0x69 (INST) is not allowed");
    }

    @Test
    void refusesReduceOnAnAllowedStorageTypeAndBuildOnOtherObjects() throws IOException {
        Path reduce = zip("reduce.pth", concat(new byte[] {(byte) 0x80, 2}, ascii("ctorch\nFloatStorage\n"),
                new byte[] {')', 'R', '.'}));
        assertThatThrownBy(() -> WeightFiles.read(reduce))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("REDUCE on StorageType");
        Path build = zip("build.pth", new byte[] {(byte) 0x80, 2, ']', '}', 'b', '.'});
        assertThatThrownBy(() -> WeightFiles.read(build))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("BUILD");
    }

    @Test
    void readsNpzAndRejectsUnknownFormats() throws IOException {
        Path npz = tmp.resolve("w.npz");
        dev.psa.api.io.Npy.writeNpz(npz, Map.of("a.weight", org.nd4j.linalg.factory.Nd4j.arange(6).reshape(2, 3)
                .castTo(DataType.FLOAT)));
        assertThat(WeightFiles.format(npz)).isEqualTo(WeightFiles.Format.NPZ);
        assertThat(WeightFiles.read(npz).get("a.weight").getDouble(1, 2)).isEqualTo(5.0);
        Path text = tmp.resolve("notes.pth");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> WeightFiles.read(text)).isInstanceOf(PsaException.class)
                .hasMessageContaining("notes.pth").hasMessageContaining("unknown weight file format");
        Path noPkl = zip("nopkl.pth", null);
        assertThatThrownBy(() -> WeightFiles.read(noPkl)).isInstanceOf(PsaException.class)
                .hasMessageContaining("without data.pkl");
        assertThatThrownBy(() -> WeightFiles.read(tmp.resolve("missing.pth"))).isInstanceOf(PsaException.class)
                .hasMessageContaining("no such weight file");
    }

    private Path zip(String name, byte[] pkl) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(raw)) {
            z.putNextEntry(new ZipEntry("archive/" + (pkl == null ? "version" : "data.pkl")));
            z.write(pkl == null ? ascii("3\n") : pkl);
            z.closeEntry();
        }
        return file;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] binunicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {'X', (byte) b.length, 0, 0, 0}, b);
    }

    private static byte[] shortUnicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) 0x8c, (byte) b.length}, b);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
