package dev.psa.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real-data fixtures laid beside the repository ({@code <repo>/../shared}). */
public final class TestData {
    private static final String SAMPLE = "shared/data/voc2012-sample";

    private TestData() {
    }

    /**
     * The 80 real VOC 2012 masks: {@code $PSA_VOC_SAMPLE} when set, else the first
     * {@code shared/data/voc2012-sample} found walking up from the working directory (the module
     * folder under Maven), which finds {@code <repo>/../shared/...}.
     */
    public static Path vocSample() {
        String env = System.getenv("PSA_VOC_SAMPLE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve(SAMPLE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("real VOC sample not found: looked for " + SAMPLE + " in every folder above "
                + start + " (the repository's sibling 'shared' folder); set PSA_VOC_SAMPLE to its path");
    }
}
