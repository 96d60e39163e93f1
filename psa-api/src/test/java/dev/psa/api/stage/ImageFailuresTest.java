package dev.psa.api.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageFailuresTest {

    @Test
    void aBadImageIsRecordedAndTheStageGoesOn() {
        ImageFailures f = new ImageFailures("walk", false);
        f.add("2007_000032", new IllegalStateException("cam/2007_000032.npz: truncated"));
        f.add("2007_000039", "cannot load image a.jpg: bad header", new IllegalArgumentException("bad header"));
        f.add("2007_000042", new NullPointerException());

        assertThat(f.list()).containsExactly(
                new ImageFailure("2007_000032", "walk", "cam/2007_000032.npz: truncated"),
                new ImageFailure("2007_000039", "walk", "cannot load image a.jpg: bad header"),
                new ImageFailure("2007_000042", "walk", "NullPointerException"));
    }

    @Test
    void failFastStopsAtTheFirstImageNamingIt() {
        ImageFailures f = new ImageFailures("seeds", true);
        IllegalStateException cause = new IllegalStateException("5x4 but image is 6x4");

        assertThatThrownBy(() -> f.add("img7", cause))
                .isInstanceOf(PsaException.class)
                .hasMessage("image img7: 5x4 but image is 6x4")
                .hasCause(cause);
        assertThat(f.list()).isEmpty();
    }

    @Test
    void aFailedWriteStopsTheStageEvenWithoutFailFast() {
        ImageFailures f = new ImageFailures("cams", false);
        Path target = Path.of("run", "cam", "a.npz");
        UncheckedIOException full = new UncheckedIOException(
                new AtomicFiles.WriteFailure(target, "no space left on device", new IOException("ENOSPC")));

        assertThatThrownBy(() -> f.add("a", full))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("cannot write " + target)
                .hasMessageContaining("no space left on device");
        assertThat(f.list()).isEmpty();
    }

    @Test
    void theListIsACopy() {
        ImageFailures f = new ImageFailures("seg", false);
        f.add(new ImageFailure("x", "seg", "gone"));
        var before = f.list();
        f.add("y", new RuntimeException("also gone"));

        assertThat(before).hasSize(1);
        assertThat(f.list()).extracting(ImageFailure::id).containsExactly("x", "y");
    }
}
