package dev.psa.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void sameArraysGiveIdenticalNpzBytesWhateverTheTime() throws Exception {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w", Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4));
        arrays.put("b", Nd4j.ones(DataType.FLOAT, 4));
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npy.writeNpz(a, arrays);
        Npy.writeNpz(b, arrays);
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        try (ZipFile zip = new ZipFile(a.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getTime).distinct().toList()).containsExactly(Npy.ENTRY_TIME);
        }

        Path stored = dir.resolve("stored.npz");
        Npy.writeNpz(stored, arrays, false);
        try (ZipFile zip = new ZipFile(stored.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getMethod).distinct().toList()).containsExactly(ZipEntry.STORED);
        }
        Map<String, INDArray> back = Npy.readNpz(stored);
        assertThat(back.keySet()).containsExactly("w", "b");
        assertThat(back.get("w")).isEqualTo(arrays.get("w"));
        assertThat(back.get("b")).isEqualTo(arrays.get("b"));
    }

    @Test
    void headerMatchesNumpyLayoutByteForByte() throws Exception {
        // numpy.save of np.arange(6, dtype='<f4').reshape(2,3) starts with this exact header (128-byte v1.0 blocks
        // are 64-aligned): magic, 1.0, little-endian length, dict, spaces, newline.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Nd4j.arange(6).castTo(DataType.FLOAT).reshape(2, 3));
        byte[] b = out.toByteArray();
        String header = new String(b, 10, (b[8] & 0xFF) | (b[9] & 0xFF) << 8, "ISO-8859-1");
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
        assertThat((10 + header.length()) % 64).isZero();
        assertThat(b.length).isEqualTo(10 + header.length() + 6 * 4);
    }

    @Test
    void roundTripsEveryDtype() throws Exception {
        for (INDArray a : new INDArray[] {
                Nd4j.rand(DataType.FLOAT, 2, 3, 4), Nd4j.rand(DataType.DOUBLE, 5),
                Nd4j.createFromArray(new int[] {1, -2, 3}), Nd4j.createFromArray(new long[] {1L << 40, -5}),
                Nd4j.scalar(2.5f)}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(out, a);
            INDArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "mem");
            assertThat(back.shape()).isEqualTo(a.shape());
            assertThat(back.dataType()).isEqualTo(a.dataType());
            assertThat(back).isEqualTo(a);
        }
    }

    @Test
    void uint8IsReadAsIntValues() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeUint8(out, new byte[] {0, 20, (byte) 255, 7}, 2, 2);
        INDArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "mem");
        assertThat(back.toIntMatrix()).isEqualTo(new int[][] {{0, 20}, {255, 7}});
    }

    @Test
    void npzRoundTripKeepsNamesAndOrder() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("conv1a.weight", Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3));
        m.put("keys", Nd4j.createFromArray(new int[] {3, 15}));
        Path f = dir.resolve("w.npz");
        Npy.writeNpz(f, m);
        Map<String, INDArray> back = Npy.readNpz(f);
        assertThat(back.keySet()).containsExactly("conv1a.weight", "keys");
        assertThat(back.get("conv1a.weight")).isEqualTo(m.get("conv1a.weight"));
    }

    @Test
    void truncatedAndForeignFilesNameTheFile() throws Exception {
        Path f = dir.resolve("cam.npy");
        Npy.write(f, Nd4j.rand(DataType.FLOAT, 10, 10));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 7));
        assertThatThrownBy(() -> Npy.read(f)).isInstanceOf(PsaException.class)
                .hasMessageContaining("cam.npy").hasMessageContaining("truncated");
        Path g = dir.resolve("x.npy");
        Files.writeString(g, "hello world");
        assertThatThrownBy(() -> Npy.read(g)).hasMessageContaining("x.npy").hasMessageContaining("magic");
        Path z = dir.resolve("bad.npz");
        Files.writeString(z, "not a zip");
        assertThatThrownBy(() -> Npy.readNpz(z)).hasMessageContaining("bad.npz");
    }
}
