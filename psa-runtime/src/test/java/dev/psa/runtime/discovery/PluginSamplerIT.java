package dev.psa.runtime.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.PsaRuntime;
import dev.psa.runtime.pipeline.Stage;

/**
 * A pair sampler shipped in a plugin jar (compiled here, as a third party would) trains AffinityNet
 * when {@code aff.sampler} names it: the runtime's one discovery path reaches the training stage.
 */
class PluginSamplerIT {
    @TempDir
    Path tmp;

    private static final String SOURCE = """
            package org.example.sampler;

            import java.util.Random;
            import org.nd4j.linalg.api.buffer.DataType;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import dev.psa.api.config.ComponentConfig;
            import dev.psa.api.spi.PairSampler;
            import dev.psa.api.spi.PairSamplerProvider;

            public final class CountingSamplerProvider implements PairSamplerProvider {
                @Override
                public String name() {
                    return "counting-every-pair";
                }

                @Override
                public PairSampler create(ComponentConfig config) {
                    return (INDArray classes, Random rng) -> {
                        System.setProperty("psa.test.sampler-calls",
                                Integer.toString(Integer.getInteger("psa.test.sampler-calls", 0) + 1));
                        return classes.gt(0).castTo(DataType.FLOAT);
                    };
                }
            }
            """;

    @Test
    void aPluginPairSamplerTrainsAffinityNetThroughAffSampler() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        TestJars.jar(plugins, "sampler-plugin.jar", Map.of("org.example.sampler.CountingSamplerProvider", SOURCE),
                Map.of("dev.psa.api.spi.PairSamplerProvider", "org.example.sampler.CountingSamplerProvider\n"));
        PsaRuntime psa = PsaRuntime.builder().preset("demo").plugins(plugins).sets(List.of("data.shapes.count=30",
                "data.shapes.size=64", "cls.crop=64", "cls.resize-min=56", "cls.resize-max=72", "cls.epochs=1",
                "cls.batch-size=8", "aff.crop=64", "aff.head-channels=16,32,64", "aff.epochs=1", "aff.batch-size=8",
                "store.enabled=false", "aff.sampler=counting-every-pair")).build();
        assertThat(psa.discovery().warnings()).isEmpty();
        assertThat(psa.components().pairSampler("counting-every-pair").getClass().getName())
                .isEqualTo("org.example.sampler.CountingSamplerProvider");
        System.clearProperty("psa.test.sampler-calls");

        PsaRuntime.Result r = psa.run(tmp.resolve("run"),
                new PsaRuntime.RunOptions(Stage.TRAIN_CLS, Stage.TRAIN_AFF, false, true, StageListener.NONE));

        assertThat(r.number(Stage.TRAIN_AFF, "steps")).hasValue(3.0);
        // the plugin's sampler weighted the pairs of the training batches (3 steps of 8 images)
        assertThat(Integer.getInteger("psa.test.sampler-calls", 0)).isPositive();
        assertThat(tmp.resolve("run/aff/model.npz")).isRegularFile();
    }
}
