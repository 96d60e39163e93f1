package dev.psa.examples.resnet50s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.InputNormalization;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.BackboneGraph;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.api.spi.BuildOptions;
import dev.psa.api.spi.FeatureTap;
import dev.psa.api.spi.ParamRole;

class ResNet50sBackboneTest {
    private static final BuildOptions OPTS = new BuildOptions(BuildOptions.Purpose.CLASSIFICATION, false, 5);
    private static final ResNet50sConfig SMALL = new ResNet50sConfig(8, new int[] {1, 2, 1, 1});

    @Test
    void discoveredThroughServiceLoaderWithConfig() {
        List<String> names = new ArrayList<>();
        BackboneProvider found = null;
        for (BackboneProvider p : ServiceLoader.load(BackboneProvider.class)) {
            names.add(p.name());
            if (p.name().equals("resnet50s")) {
                found = p;
            }
        }
        assertThat(names).contains("resnet50s");
        ComponentConfig cfg = ComponentConfig.ofStrings(Map.of("backbone.resnet50s.base-width", "8",
                "backbone.resnet50s.blocks", "1,2,1,1")).scoped("backbone.");
        ResNet50sBackbone b = (ResNet50sBackbone) found.create(cfg);
        assertThat(b.config()).isEqualTo(SMALL);
        assertThat(b.normalization()).isEqualTo(InputNormalization.IMAGENET);
        assertThatThrownBy(() -> new ResNet50sConfig(0, new int[] {1, 1}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backbone.resnet50s.base-width")
                .hasMessageContaining("backbone.resnet50s.blocks");
    }

    @Test
    void shapesAtStride8WithCeilDivision() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 3, -1, -1);
        BackboneGraph g = new ResNet50sBackbone(SMALL).build(sd, in, OPTS);
        assertThat(g.affinityTaps()).extracting(FeatureTap::name).containsExactly("layer2", "layer3", "layer4");
        assertThat(g.affinityTaps()).extracting(FeatureTap::channels).containsExactly(64, 128, 256);
        assertThat(g.affinityTaps()).extracting(FeatureTap::stride).containsOnly(8);
        check(sd, g, 2, 64, 64, 8, 8);
        check(sd, g, 1, 75, 61, 10, 8);
    }

    private static void check(SameDiff sd, BackboneGraph g, int n, int h, int w, int hs, int ws) {
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(h), n, 3, h, w).castTo(DataType.FLOAT);
        List<String> names = g.affinityTaps().stream().map(t -> t.variable().name()).toList();
        Map<String, INDArray> out = sd.output(Map.of("input", x), names.toArray(String[]::new));
        for (FeatureTap t : g.affinityTaps()) {
            assertThat(out.get(t.variable().name()).shape()).as(t.name()).containsExactly(n, t.channels(), hs, ws);
        }
    }

    /**
     * torchvision's ResNet-50 has 25,557,032 parameters, 2,049,000 of them in the 1000-way fc:
     * the backbone's weights and batch-norm affines are 23,508,032; running statistics add two
     * per batch-norm channel. Trainable = convs outside the stem.
     */
    @Test
    void parameterCountsMatchTorchvisionResNet50() {
        SameDiff sd = SameDiff.create();
        BackboneGraph g = new ResNet50sBackbone(ResNet50sConfig.defaults())
                .build(sd, sd.placeHolder("input", DataType.FLOAT, -1, 3, -1, -1), OPTS);
        long affine = 0;
        long stats = 0;
        long trainable = 0;
        for (Map.Entry<String, ParamRole> e : g.params().entrySet()) {
            long n = sd.getVariable(e.getKey()).getArr().length();
            if (e.getKey().endsWith("running_mean") || e.getKey().endsWith("running_var")) {
                stats += n;
            } else {
                affine += n;
            }
            trainable += e.getValue() == ParamRole.FROZEN ? 0 : n;
        }
        assertThat(affine).isEqualTo(25_557_032L - 2_049_000L);
        assertThat(stats).isEqualTo(2L * bnChannels());
        long bnAffine = stats; // gamma + beta: as many as mean + var
        long stem = 7L * 7 * 3 * 64;
        assertThat(trainable).isEqualTo(affine - bnAffine - stem);
        assertThat(g.params()).containsEntry("layer3.0.conv2.weight", ParamRole.WEIGHT)
                .containsEntry("layer1.0.downsample.1.running_var", ParamRole.FROZEN)
                .containsEntry("conv1.weight", ParamRole.FROZEN)
                .doesNotContainKey("layer1.1.downsample.0.weight");
        assertThat(sd.getVariable("layer4.2.conv3.weight").getArr().shape()).containsExactly(1, 1, 512, 2048);
    }

    /** Batch-norm channels of ResNet-50: bn1, then per block bn1..bn3, plus each layer's downsample BN. */
    private static long bnChannels() {
        long total = 64;
        int[] blocks = {3, 4, 6, 3};
        for (int l = 0; l < 4; l++) {
            long mid = 64L << l;
            total += blocks[l] * (mid + mid + 4 * mid) + 4 * mid;
        }
        return total;
    }
}
