package dev.psa.eval;

import dev.psa.api.CamSet;
import dev.psa.api.LabelMap;
import java.nio.file.Path;

/** Test fixtures of this package, for tests in sub-packages. */
public final class TestDataAccess {
    private TestDataAccess() {
    }

    public static Path vocSample() {
        return TestData.vocSample();
    }

    public static CamSet camsFromMask(String id, LabelMap m) {
        return RunStageEvalTest.camsFromMask(id, m);
    }
}
