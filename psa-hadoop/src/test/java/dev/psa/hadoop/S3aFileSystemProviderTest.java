package dev.psa.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.psa.api.io.Locations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The provider on {@code s3a://} (hadoop-aws 3.4.1 and the AWS SDK v2 against {@link TestS3}, an S3
 * server in the test JVM): {@link ProviderContract}'s cases, as on HDFS but for append, which S3
 * cannot do.
 */
class S3aFileSystemProviderTest extends ProviderContract {
    static TestS3 s3;
    static FileSystem fs;

    @BeforeAll
    static void startS3() throws Exception {
        for (String quiet : List.of("org.eclipse.jetty", "org.gaul", "jclouds", "org.jclouds", "org.apache.hadoop",
                "software.amazon")) {
            ((Logger) LoggerFactory.getLogger(quiet)).setLevel(Level.WARN);
        }
        s3 = TestS3.start("runs");
        // this file system gets its own configuration; HDFS tests in the same JVM keep theirs
        fs = FileSystems.newFileSystem(URI.create("s3a://runs/"), Map.of(HadoopPaths.CONF_KEY, s3.configuration()));
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    Path dir(String name) throws IOException {
        Path d = fs.getPath("/t/" + name);
        Files.createDirectories(d);
        return d;
    }

    @Override
    boolean appends() {
        return false;
    }

    @Test
    void installedProviderServesS3aUris() {
        Path p = Path.of(URI.create("s3a://runs/demo/cam/a.npz"));
        assertThat(p.getFileSystem()).isSameAs(fs);
        assertThat(p.getFileSystem().provider()).isInstanceOf(HadoopFileSystemProvider.S3a.class);
        assertThat(p.toUri()).isEqualTo(URI.create("s3a://runs/demo/cam/a.npz"));
        assertThat(Locations.string(p)).isEqualTo("s3a://runs/demo/cam/a.npz");
        assertThat(Locations.path("s3a://runs/demo/cam/a.npz")).isEqualTo(p);
        assertThat(Locations.isLocal(p)).isFalse();
    }
}
