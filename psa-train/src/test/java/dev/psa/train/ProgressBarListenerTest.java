package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.psa.train.internal.ProgressBarListener;

class ProgressBarListenerTest {
    @Test
    void showsLossAndImagesPerSecondOnStderrAndIsQuietWhenDisabled() {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            TrainListener quiet = new ProgressBarListener("quiet", false);
            quiet.onStep(1, 2, 0.5, 10);
            quiet.onStep(2, 2, 0.5, 10);
            assertThat(buf.size()).isZero();
            // a resumed run: the bar starts at step 3 of 5
            TrainListener bar = new ProgressBarListener("train-cls", true);
            for (int s = 3; s <= 5; s++) {
                bar.onStep(s, 5, 0.25, 8.0);
            }
            bar.onEpoch(0, Map.of("loss", 0.25));
        } finally {
            System.setErr(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("train-cls").contains("5/5").contains("loss 0.2500").contains("8.0 img/s");
    }
}
