package dev.psa.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopPathsTest {
    @Test
    void smallFileTuningAppliesOnlyWhereTheConfigurationIsSilent() {
        Configuration silent = new Configuration(false);
        HadoopPaths.tuneForSmallFiles(silent);
        assertThat(silent.getInt(HadoopPaths.CLOSE_DELAY, -1)).isEqualTo(50);
        assertThat(silent.getInt(HadoopPaths.CLOSE_RETRIES, -1)).isEqualTo(8);

        Configuration chosen = new Configuration(false);
        chosen.setInt(HadoopPaths.CLOSE_DELAY, 400);
        HadoopPaths.tuneForSmallFiles(chosen);
        assertThat(chosen.getInt(HadoopPaths.CLOSE_DELAY, -1)).isEqualTo(400);
        assertThat(chosen.get(HadoopPaths.CLOSE_RETRIES)).isNull();
    }

    @Test
    void onlyHadoopSchemesHaveProviders() {
        assertThat(HadoopPaths.provider("HDFS").getScheme()).isEqualTo("hdfs");
        assertThat(HadoopPaths.provider("s3a")).isInstanceOf(HadoopFileSystemProvider.S3a.class);
        assertThatThrownBy(() -> HadoopPaths.provider("file")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Hadoop scheme: file");
    }
}
