package dev.psa.affinity;

import dev.psa.train.Initializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.affinity.sampler.BalancedPairSamplerProvider;
import dev.psa.affinity.sampler.StratifiedPairSamplerProvider;
import dev.psa.api.spi.PairSamplerProvider;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.PairSampler;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.train.TrainListener;

class AffinityStageTest {
    static Backbone tiny() {
        return new TinyBackboneProvider().create(ComponentConfig.empty().scoped("backbone."));
    }

    static PairSampler sampler(AffConfig c) {
        return sampler("balanced", c);
    }

    static PairSampler sampler(String name, AffConfig c) {
        Map<String, String> keys = new java.util.HashMap<>();
        c.toMap().forEach((k, v) -> keys.put("aff." + k, v));
        PairSamplerProvider provider = switch (name) {
            case "balanced" -> new BalancedPairSamplerProvider();
            case "stratified" -> new StratifiedPairSamplerProvider();
            default -> throw new IllegalArgumentException(name);
        };
        return provider.create(ComponentConfig.ofStrings(keys).scoped("aff."));
    }

    /**
     * The "done when": AffinityNet on the tiny backbone, trained from scratch on labels made
     * from the true masks of 160 synthetic 96 px images (2 epochs, 40 steps), separates same-class from
     * different-class pairs of 40 unseen images. Reference hyperparameters except crop 96 (the image
     * size), and head channels 16/32/64 instead of 64/128/256 (the tiny backbone has 64–128 channels;
     * the affinity tensors scale with the head width, and this keeps the test at well under a minute).
     */
    @Test
    void learnsAffinitiesThatSeparateTrueClasses(@TempDir Path run) {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(96, 200, 0));
        Backbone backbone = tiny();
        AffConfig config = AffConfig.defaults().with(Map.of("crop", "96", "epochs", "2", "labels", "gt",
                "head-channels", "16,32,64"));
        AffinityStage.Result r = AffinityStage.train(data, "train", backbone, config, sampler(config), run, false,
                Initializer.NONE, TrainListener.none());
        assertThat(r.samples()).isEqualTo(160);
        assertThat(r.train().steps()).isEqualTo(40);
        assertThat(r.model()).isRegularFile();
        List<Double> losses = r.train().stepLosses();
        double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(35, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(last).isLessThan(0.7 * first);

        AffinityPredictor predictor = AffinityPredictor.load(r.model(), backbone, config);
        AffinityQuality q = AffinityQuality.measure(predictor, data, "val", 0, 0);
        System.out.println("affinity on 40 val images (plurality cells): " + q);
        assertThat(q.auc()).isGreaterThanOrEqualTo(0.85);
        assertThat(q.meanBgPositive()).isGreaterThan(0.6);
        assertThat(q.meanFgPositive()).isGreaterThan(0.5);
        assertThat(q.meanNegative()).isLessThan(0.3);
        assertThat(q.negative()).isGreaterThan(1000);
    }

    /** Seeds from PNGs (some missing), the stratified sampler, the one-line report and resume. */
    @Test
    void trainsFromSeedFilesSkipsImagesWithoutSeedsAndResumes(@TempDir Path run) throws Exception {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(64, 14, 1));
        List<Sample> train = data.samples("train");
        assertThat(train).hasSize(11);
        // seeds = true masks with an uncertain (255) band in the top rows; the last 3 images have none
        for (Sample s : train.subList(0, 8)) {
            LabelMap m = data.load(s).mask().orElseThrow();
            byte[] d = m.data().clone();
            for (int i = 0; i < 64 * 10; i++) {
                d[i] = (byte) 255;
            }
            LabelPng.write(run.resolve("seeds").resolve(s.id() + ".png"), new LabelMap(64, 64, d));
        }
        Backbone backbone = new TinyBackboneProvider().create(ComponentConfig.ofStrings(Map.of(
                "backbone.tiny.stem-channels", "8", "backbone.tiny.conv-channels", "8", "backbone.tiny.channels", "8"))
                .scoped("backbone."));
        AffConfig config = AffConfig.defaults().with(Map.of("crop", "48", "epochs", "1", "batch-size", "4",
                "head-channels", "8,8,16", "stratified-pairs", "64", "radius", "3"));
        AffinityStage.Result r = AffinityStage.train(data, "train", backbone, config, sampler("stratified", config), run,
                false, Initializer.NONE, TrainListener.none());
        assertThat(r.samples()).isEqualTo(8);
        assertThat(r.skipped()).containsExactly(train.get(8).id(), train.get(9).id(), train.get(10).id());
        assertThat(r.train().steps()).isEqualTo(2);
        assertThat(r.line()).matches(
                "train-aff: 8 samples \\(3 skipped without seeds\\), 2 steps, final loss \\d+\\.\\d{4}, model .*"
                        + "aff[/\\\\]model\\.npz");
        assertThat(run.resolve("aff/metrics.json")).isRegularFile();
        assertThat(Files.list(run.resolve("aff/checkpoint")).count()).isPositive();
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> model = Npy.readNpz(r.model());
        assertThat(model).containsKeys("f8_3.weight", "f8_4.weight", "f8_5.weight", "f9.weight", "conv3.weight");

        // resuming a finished run does no new step and gives the same model
        AffinityStage.Result again = AffinityStage.train(data, "train", backbone, config, sampler("stratified", config), run, true,
                Initializer.NONE, TrainListener.none());
        assertThat(again.train().stepLosses()).isEqualTo(r.train().stepLosses());
        assertThat(again.train().params().get("f9.weight")).isEqualTo(r.train().params().get("f9.weight"));

        // the initializer runs before the first step and sees the backbone's parameters only (not the head's)
        java.util.Set<String> seen = new java.util.TreeSet<>();
        assertThatThrownBy(() -> AffinityStage.train(data, "train", backbone, config.with(Map.of("labels", "gt")),
                sampler("stratified", config), run.resolve("other"), false, (graph, params) -> {
                    seen.addAll(params.keySet());
                    assertThat(graph.hasVariable("f9.weight")).isTrue();
                    throw new IllegalStateException("stop before training");
                }, TrainListener.none())).hasMessage("stop before training");
        assertThat(run.resolve("other/aff")).doesNotExist();
        assertThat(seen).contains("conv3.weight", "stem1.weight").doesNotContain("f9.weight", "f8_3.weight");
    }

    @Test
    void withoutAnySeedFileTheErrorSaysWhatToDo(@TempDir Path run) {
        ShapesDataset data = new ShapesDataset(ShapesConfig.defaults().with(64, 5, 1));
        AffConfig config = AffConfig.defaults();
        assertThatThrownBy(() -> AffinityStage.train(data, "train", tiny(), config, sampler(config), run, false,
                Initializer.NONE, TrainListener.none()))
                .isInstanceOf(PsaException.class)
                .hasMessageContaining("no seed labels for split 'train' in " + run.resolve("seeds"))
                .hasMessageContaining("aff.labels=gt");
    }
}
