package dev.psa.cam;

import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import dev.psa.backbones.tiny.TinyBackboneProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.CamSet;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.Sample;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.crf.CrfConfig;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;
import dev.psa.train.TrainListener;

/**
 * The done-when checks, end to end on the built-in synthetic dataset with the tiny
 * backbone: classifier training (loss falls, validation mAP far above chance), multi-scale CAMs
 * (each present class peaks inside its object), seeds (precise where not 255, covering much of
 * the image). 480 images of 64 px (384 train, 96 val), 15 epochs, lr 0.05; see docs/psa-cam.md for
 * why 64 and not 96 px, and for the learning rate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShapesPipelineIT {
    private static final int SIZE = 64;

    @TempDir
    static Path run;
    private ShapesDataset dataset;
    private ClassifierSummary trained;
    private StageSummary cams;
    private StageSummary seeds;
    private List<Sample> val;

    @BeforeAll
    void trainAndInfer() throws Exception {
        // one ND4J master thread: on a shared 2-core machine OpenMP spinning doubles the CPU time
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        dataset = new ShapesDataset(ShapesConfig.defaults().with(SIZE, 480, 0));
        val = dataset.samples("val");
        Backbone tiny = new TinyBackboneProvider().create(ComponentConfig.empty());
        // lr 0.05: from scratch, lr 0.1 with momentum 0.9 is at the edge of divergence for the tiny
        // backbone (0.2 diverges; with 0.1 one of three seeds gave 76 % precise seeds), see docs/psa-cam.md
        Map<String, String> cls = new HashMap<>(Map.of("crop", "64", "resize-min", "53", "resize-max", "74",
                "epochs", "15", "batch-size", "16", "checkpoint-every", "1000", "lr", "0.05"));
        trained = ClassifierStage.train(dataset, "train", tiny, ClsConfig.from(ComponentConfig.ofStrings(cls)), run,
                false, TrainListener.none(), null);
        cams = CamStage.run(dataset, "val", tiny, CamConfig.defaults(), run, false, Progress.NONE);
        seeds = SeedStage.run(dataset, "val", SeedConfig.defaults(), CrfConfig.defaults(), run, false, Progress.NONE);
        System.out.println(trained.line());
        System.out.println(cams.line());
        System.out.println(seeds.line());
    }

    @Test
    void trainingLowersTheLossAndReachesAHighValidationMap() throws Exception {
        List<Double> losses = trained.stepLosses();
        assertThat(losses).hasSize(15 * 24);
        double first = losses.subList(0, 24).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(losses.size() - 24, losses.size()).stream().mapToDouble(Double::doubleValue)
                .average().orElseThrow();
        System.out.printf("mean loss: first epoch %.4f, last epoch %.4f; val %s%n", first, last, trained.last());
        assertThat(last).isLessThan(0.4 * first);
        // chance: the AP of random scores is the class prevalence, about 0.37 here
        assertThat(trained.last().get("val_map")).isGreaterThan(0.95);
        assertThat(trained.epochs()).hasSize(15);
        assertThat(trained.valImages()).isEqualTo(96);
        String metrics = Files.readString(run.resolve("cls/metrics.json"));
        assertThat(metrics).contains("val_map").contains("val_loss");
        assertThat(run.resolve("cls/model.npz")).isRegularFile();
        // the saved model gives the same validation numbers as the last epoch's validation
        Map<String, Double> evaluated = ClassifierStage.evaluate(dataset, val,
                new TinyBackboneProvider().create(ComponentConfig.empty()), run);
        assertThat(evaluated.get("val_map")).isCloseTo(trained.last().get("val_map"), within(1e-9));
        assertThat(evaluated.get("val_loss")).isCloseTo(trained.last().get("val_loss"), within(1e-5));
    }

    @Test
    void eachPresentClassPeaksInsideItsObject() {
        assertThat(cams.written()).isEqualTo(val.size());
        assertThat(cams.failures()).isEmpty();
        int hits = 0;
        int total = 0;
        for (Sample s : val) {
            CamSet c = CamFiles.read(CamStage.file(run, s.id()), s.id());
            LabelMap gt = dataset.load(s).mask().orElseThrow();
            assertThat(c.classIds()).containsExactly(s.classes());
            for (int k = 0; k < c.classIds().length; k++) {
                long argmax = c.cams().slice(k).dup().reshape(-1).argMax().getLong(0);
                total++;
                if (gt.get((int) argmax) == c.classIds()[k]) {
                    hits++;
                }
            }
        }
        System.out.printf("CAM maximum inside its class: %d / %d = %.3f%n", hits, total, hits / (double) total);
        assertThat(hits / (double) total).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void seedsArePreciseWhereNotIgnoredAndCoverMuchOfTheImage() {
        assertThat(seeds.written()).isEqualTo(val.size());
        assertThat(seeds.failures()).isEmpty();
        long labelled = 0;
        long correct = 0;
        long fg = 0;
        long fgCorrect = 0;
        long pixels = 0;
        long predCorrect = 0;
        for (Sample s : val) {
            LabelMap seed = LabelPng.read(SeedStage.seedFile(run, s.id()));
            LabelMap pred = LabelPng.read(CamStage.predFile(run, s.id()));
            ImageSample img = dataset.load(s);
            LabelMap gt = img.mask().orElseThrow();
            for (int i = 0; i < gt.data().length; i++) {
                pixels++;
                predCorrect += pred.get(i) == gt.get(i) ? 1 : 0;
                if (seed.get(i) != 255) {
                    labelled++;
                    correct += seed.get(i) == gt.get(i) ? 1 : 0;
                    if (seed.get(i) != 0) {
                        fg++;
                        fgCorrect += seed.get(i) == gt.get(i) ? 1 : 0;
                    }
                }
            }
        }
        double precision = correct / (double) labelled;
        double coverage = labelled / (double) pixels;
        System.out.printf("seeds: precision %.4f, coverage %.4f, foreground-seed precision %.4f;"
                + " CAM-only prediction (bg 0.2) pixel accuracy %.4f%n", precision, coverage,
                fgCorrect / (double) fg, predCorrect / (double) pixels);
        assertThat(precision).isGreaterThanOrEqualTo(0.9);
        assertThat(coverage).isGreaterThanOrEqualTo(0.5);
        assertThat(fgCorrect / (double) fg).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void stagesResumeWithoutRecomputing() {
        StageSummary again = CamStage.run(dataset, "val", new TinyBackboneProvider().create(ComponentConfig.empty()),
                CamConfig.defaults(), run, false, Progress.NONE);
        assertThat(again.skipped()).isEqualTo(val.size());
        assertThat(again.written()).isZero();
        StageSummary seedsAgain = SeedStage.run(dataset, "val", SeedConfig.defaults(), CrfConfig.defaults(), run,
                false, Progress.NONE);
        assertThat(seedsAgain.skipped()).isEqualTo(val.size());
    }
}
