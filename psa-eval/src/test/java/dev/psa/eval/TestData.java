package dev.psa.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real-data sample vendored in the repository by walking up from the working directory. */
final class TestData {
    private static final String SAMPLE = "testdata/voc2012-sample";

    private TestData() {
    }

    /** {@code <repo>/testdata/voc2012-sample}: 80 real VOC 2012 masks (no images; see its SOURCE.md). */
    static Path vocSample() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve(SAMPLE);
            if (Files.isDirectory(s.resolve("SegmentationClass"))) {
                return s;
            }
        }
        throw new IllegalStateException(SAMPLE + " not found above " + Path.of("").toAbsolutePath());
    }
}
