package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The output lines of {@code psa bench backbone} and {@code psa bench cam} (issue 17's contract). */
class BenchCommandTest {
    @Test
    void backboneAndCamBenchmarksPrintTheirLines() {
        WeightsCommandTest.Result b = WeightsCommandTest.psa("bench", "backbone", "--backbone", "tiny", "--size", "32",
                "--batch", "2", "--repeats", "1");
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out().strip()).matches("backbone tiny size=32 batch=2 ms=\\d+");

        WeightsCommandTest.Result c = WeightsCommandTest.psa("bench", "cam", "--backbone", "tiny", "--size", "40x32",
                "--repeats", "1");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out().strip()).matches("cam tiny size=40x32 ms=\\d+ peak_rss_mb=[1-9]\\d*");
    }
}
