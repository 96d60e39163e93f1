package dev.psa.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {
    @TempDir
    Path tmp;

    @Test
    void plainPathsStayLocalPaths() {
        assertThat(Locations.path("runs/a")).isEqualTo(Path.of("runs/a"));
        assertThat(Locations.path("/data/runs/a")).isEqualTo(Path.of("/data/runs/a"));
        // a colon later in the name is not a scheme; one letter before ":/" is a Windows drive, not a scheme
        assertThat(Locations.path("runs/a:b")).isEqualTo(Path.of("runs/a:b"));
        assertThat(Locations.path("C:/runs").getFileSystem()).isSameAs(FileSystems.getDefault());
    }

    @Test
    void fileUrisAreLocalPathsAndRoundTrip() {
        Path p = tmp.resolve("run 1");
        assertThat(Locations.path(p.toUri().toString())).isEqualTo(p);
        assertThat(Locations.string(p)).isEqualTo(p.toString());
        assertThat(Locations.path(Locations.string(p))).isEqualTo(p);
        assertThat(Locations.isLocal(p)).isTrue();
    }

    @Test
    void anUnknownSchemeNamesTheTextAndTheScheme() {
        assertThatThrownBy(() -> Locations.path("nosuchfs://host/runs/a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuchfs://host/runs/a").hasMessageContaining("no file system for scheme nosuchfs");
    }
}
