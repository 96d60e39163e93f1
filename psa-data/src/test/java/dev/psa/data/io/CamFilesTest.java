package dev.psa.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.PsaException;
import dev.psa.api.io.Npy;

class CamFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesKeysAndLayout() {
        float[] v = new float[2 * 3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 23f;
        }
        CamSet cams = new CamSet("2007_000032", new int[] {1, 15},
                Nd4j.create(v, new long[] {2, 3, 4}, DataType.FLOAT));
        Path f = dir.resolve("cam/2007_000032.npz");
        CamFiles.write(f, cams);
        CamSet back = CamFiles.read(f, "2007_000032");
        assertThat(back.id()).isEqualTo("2007_000032");
        assertThat(back.classIds()).containsExactly(1, 15);
        assertThat(back.cams().shape()).containsExactly(2, 3, 4);
        assertThat(back.cams().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(back.cams().data().asFloat()).containsExactly(v);

        // the numpy-level layout other tools rely on
        Map<String, INDArray> raw = Npy.readNpz(f);
        assertThat(raw.keySet()).containsExactly("cams", "keys");
        assertThat(raw.get("keys").dataType()).isEqualTo(DataType.INT);
        assertThat(raw.get("cams").dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void anImageWithoutClassesKeepsItsSize() {
        CamSet none = new CamSet("x", new int[0], Nd4j.create(DataType.FLOAT, 0, 5, 7));
        Path f = dir.resolve("none.npz");
        CamFiles.write(f, none);
        CamSet back = CamFiles.read(f, "x");
        assertThat(back.classIds()).isEmpty();
        assertThat(back.height()).isEqualTo(5);
        assertThat(back.width()).isEqualTo(7);
    }

    @Test
    void acceptsNumpyDefaultTypes() {
        // what numpy.savez(f, cams=np.zeros((1,2,2)), keys=np.array([3])) writes: float64, int64
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("cams", Nd4j.create(new double[] {0, 0.5, 1, 0.25}, new long[] {1, 2, 2}, DataType.DOUBLE));
        m.put("keys", Nd4j.createFromArray(new long[] {3}));
        Path f = dir.resolve("py.npz");
        Npy.writeNpz(f, m);
        CamSet c = CamFiles.read(f, "py");
        assertThat(c.classIds()).containsExactly(3);
        assertThat(c.cams().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(c.cams().data().asFloat()).containsExactly(0f, 0.5f, 1f, 0.25f);
    }

    @Test
    void badFilesNameTheFileAndTheProblem() throws IOException {
        Path missing = dir.resolve("missing.npz");
        assertThatThrownBy(() -> CamFiles.read(missing, "m")).isInstanceOf(PsaException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("not found");

        Path noKeys = dir.resolve("nokeys.npz");
        Npy.writeNpz(noKeys, Map.of("cams", Nd4j.zeros(DataType.FLOAT, 1, 2, 2)));
        assertThatThrownBy(() -> CamFiles.read(noKeys, "n")).isInstanceOf(PsaException.class)
                .hasMessageContaining(noKeys.toString()).hasMessageContaining("'keys'");

        Path mismatch = dir.resolve("mismatch.npz");
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("cams", Nd4j.zeros(DataType.FLOAT, 2, 2, 2));
        m.put("keys", Nd4j.createFromArray(new int[] {4}));
        Npy.writeNpz(mismatch, m);
        assertThatThrownBy(() -> CamFiles.read(mismatch, "n")).isInstanceOf(PsaException.class)
                .hasMessageContaining(mismatch.toString()).hasMessageContaining("C = 2");

        Path unsorted = dir.resolve("unsorted.npz");
        m.put("keys", Nd4j.createFromArray(new int[] {5, 2}));
        Npy.writeNpz(unsorted, m);
        assertThatThrownBy(() -> CamFiles.read(unsorted, "n")).isInstanceOf(PsaException.class)
                .hasMessageContaining(unsorted.toString()).hasMessageContaining("strictly increasing");

        Path truncated = dir.resolve("truncated.npz");
        byte[] good = Files.readAllBytes(mismatch);
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> CamFiles.read(truncated, "t")).isInstanceOf(PsaException.class)
                .hasMessageContaining(truncated.toString());
    }
}
