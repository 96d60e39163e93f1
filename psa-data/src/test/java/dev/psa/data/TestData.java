package dev.psa.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real-data fixtures vendored in the repository ({@code <repo>/testdata}). */
public final class TestData {
    private static final String SAMPLE = "testdata/voc2012-sample";

    private TestData() {
    }

    /**
     * The 80 real VOC 2012 masks of {@code <repo>/testdata/voc2012-sample} (see its SOURCE.md),
     * found walking up from the working directory (the module folder under Maven).
     */
    public static Path vocSample() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve(SAMPLE);
            if (Files.isDirectory(candidate.resolve("SegmentationClass"))) {
                return candidate;
            }
        }
        throw new AssertionError("real VOC sample not found: looked for " + SAMPLE + " in every folder above " + start);
    }
}
