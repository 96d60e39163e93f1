package dev.psa.data.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.io.Npy;

/**
 * Byte-exact agreement with Pillow 9.4's {@code Image.resize(..., BICUBIC)} on the fixtures of
 * testdata/pil-resize (made by its make_fixtures.py with Debian's python3-pil): up- and downscaling,
 * one axis only, non-integer factors, noise and hard edges (overshoot clamped).
 */
class PilBicubicTest {
    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/pil-resize"))) {
                return p.resolve("testdata/pil-resize");
            }
        }
        throw new AssertionError("testdata/pil-resize not found");
    }

    static List<String> cases() throws Exception {
        return Files.readAllLines(dir().resolve("cases.txt")).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .toList();
    }

    /** [H, W, 3] uint8 .npy → [3, H, W] float. */
    private static INDArray chw(Path f) {
        return Npy.read(f).castTo(DataType.FLOAT).permute(2, 0, 1).dup('c');
    }

    @ParameterizedTest
    @MethodSource("cases")
    void equalsPillowByteForByte(String file) {
        String source = file.substring(0, file.indexOf("_to_"));
        String[] wh = file.substring(file.indexOf("_to_") + 4, file.length() - 4).split("x");
        INDArray expected = chw(dir().resolve(file));
        INDArray got = PilBicubic.resize(chw(dir().resolve(source + ".npy")), Integer.parseInt(wh[1]),
                Integer.parseInt(wh[0]));
        assertThat(got.shape()).containsExactly(expected.shape());
        assertThat(got.sub(expected).amaxNumber().doubleValue()).as(file).isZero();
    }

    @Test
    void kernelIsTheBicubicOfAMinusOneHalf() {
        assertThat(PilBicubic.kernel(0)).isEqualTo(1.0);
        assertThat(PilBicubic.kernel(1)).isEqualTo(0.0);
        assertThat(PilBicubic.kernel(0.5)).isEqualTo(0.5625); // (1.5·0.5 − 2.5)·0.25 + 1
        assertThat(PilBicubic.kernel(-1.5)).isEqualTo(-0.0625); // ((1.5−5)·1.5 + 8)·1.5 − 4 = 0.125; ·(−0.5)
        assertThat(PilBicubic.kernel(2)).isEqualTo(0.0);
    }
}
