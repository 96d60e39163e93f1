package dev.psa.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared real-data sample by walking up from the working directory. */
final class TestData {
    private TestData() {
    }

    /** {@code shared/data/voc2012-sample}: 80 real VOC 2012 masks (no images). */
    static Path vocSample() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("shared/data/voc2012-sample");
            if (Files.isDirectory(s.resolve("SegmentationClass"))) {
                return s;
            }
        }
        throw new IllegalStateException("shared/data/voc2012-sample not found above " + Path.of("").toAbsolutePath());
    }
}
