package dev.psa.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageJobTest {

    private final ImageJob job = new ImageJob("eval", "rw", "hdfs://nn:8020/runs/a",
            Map.of("rw.beta", "8", "eval.fail-fast", "true"), Map.of("rw.beta", "--set", "eval.fail-fast", "preset demo"));

    @Test
    void aDefaultIsAddedWithItsSourceWhenTheConfigurationLacksTheKey() {
        ImageJob share = job.withDefault("eval.threads", "1", "spark.psa.task-threads");

        assertThat(share.values()).containsEntry("eval.threads", "1").containsEntry("rw.beta", "8").hasSize(3);
        assertThat(share.configValues().get("eval.threads").source()).isEqualTo("spark.psa.task-threads");
        assertThat(share.configValues().get("rw.beta").source()).isEqualTo("--set");
        assertThat(job.values()).doesNotContainKey("eval.threads"); // the original job is unchanged
        assertThat(share.runDir()).isEqualTo("hdfs://nn:8020/runs/a");
    }

    @Test
    void aUsersValueWins() {
        ImageJob given = job.withDefault("eval.threads", "4", "--set").withDefault("eval.threads", "1", "task");

        assertThat(given.values()).containsEntry("eval.threads", "4");
        assertThat(given.configValues().get("eval.threads").source()).isEqualTo("--set");
        assertThat(job.withDefault("rw.beta", "16", "task")).isSameAs(job);
    }
}
