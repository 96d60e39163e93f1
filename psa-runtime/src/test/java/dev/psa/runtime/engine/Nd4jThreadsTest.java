package dev.psa.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Nd4jThreadsTest {

    @Test
    void limitSetsEveryCountAndCloseRestoresThem() {
        Nd4jThreads before = Nd4jThreads.current();
        try (Nd4jThreads.Restore r = Nd4jThreads.limit(1)) {
            // ND4J 1.0.0-M2.1 keeps maxThreads (its setter does nothing); the master and BLAS counts are what change
            assertThat(Nd4jThreads.current().master()).isEqualTo(1);
            assertThat(Nd4jThreads.current().blas()).isEqualTo(1);
        }
        assertThat(Nd4jThreads.current()).isEqualTo(before);
    }

    @Test
    void zeroLeavesTheCountsAlone() {
        Nd4jThreads now = Nd4jThreads.current();
        try (Nd4jThreads.Restore r = Nd4jThreads.limit(0)) {
            assertThat(Nd4jThreads.current()).isEqualTo(now);
        }
        assertThat(Nd4jThreads.current()).isEqualTo(now);
    }
}
