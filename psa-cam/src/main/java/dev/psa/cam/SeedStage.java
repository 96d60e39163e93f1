package dev.psa.cam;

import static java.util.Objects.requireNonNull;

import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.ImageFailures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.CamSet;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import dev.psa.crf.CrfConfig;
import dev.psa.crf.DenseCrf;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;

/**
 * {@code psa seeds}: from {@code <run>/cam/<id>.npz}, writes the seed labels
 * {@code <run>/seeds/<id>.png} ({@link SeedLabels}: one uint8 palette PNG per image, never the
 * float CRF marginals). Resumable: images whose PNG exists and reads back at the CAM's size are
 * skipped. A bad image is recorded as an {@link ImageFailure} and skipped (unless fail-fast).
 */
public final class SeedStage {
    /** The stage name used in summaries and failures. */
    public static final String STAGE = "seeds";
    /** Folder of the seed labels inside a run. */
    public static final String DIR = "seeds";

    private static final Logger LOG = LoggerFactory.getLogger(SeedStage.class);

    private SeedStage() {
    }

    /**
     * Writes the seed labels of a split, refining with the dense CRF of {@code crf} (when
     * {@code seeds.crf} is true).
     *
     * @param failFast stop at the first bad image instead of recording it
     */
    public static StageSummary run(Dataset dataset, String split, SeedConfig config, CrfConfig crf, Path runDir,
                                   boolean failFast, Progress progress) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(crf, "crf is null");
        ScoreRefiner refiner = config.crf() ? new DenseCrf(crf)::inferScores : ScoreRefiner.NONE;
        return run(dataset, dataset.samples(split), config, refiner, runDir, failFast, progress);
    }

    /**
     * Writes the seed labels of {@code samples}.
     *
     * @param refiner  the dense CRF ({@code new DenseCrf(crfConfig)::inferScores}) or
     *                 {@link ScoreRefiner#NONE} (always NONE when {@code seeds.crf = false})
     * @param failFast stop at the first bad image instead of recording it
     */
    public static StageSummary run(Dataset dataset, List<Sample> samples, SeedConfig config, ScoreRefiner refiner,
                                   Path runDir, boolean failFast, Progress progress) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(samples, "samples is null");
        requireNonNull(config, "config is null");
        requireNonNull(refiner, "refiner is null");
        requireNonNull(runDir, "runDir is null");
        Progress prog = progress == null ? Progress.NONE : progress;
        ScoreRefiner used = config.crf() ? refiner : ScoreRefiner.NONE;
        long start = System.nanoTime();
        ImageFailures failures = new ImageFailures(STAGE, failFast);
        int written = 0;
        int skipped = 0;
        int done = 0;
        for (Sample s : samples) {
            Path seedFile = seedFile(runDir, s.id());
            Path camFile = CamStage.file(runDir, s.id());
            try {
                if (!Files.isRegularFile(camFile)) {
                    throw new PsaException("no CAM file " + camFile + " (run psa cams first; failed images have none)");
                }
                CamSet cams = CamFiles.read(camFile, s.id());
                if (CamStage.labelsDone(seedFile, cams)) {
                    skipped++;
                } else {
                    ImageSample img = dataset.load(s);
                    if (img.height() != cams.height() || img.width() != cams.width()) {
                        throw new PsaException(camFile + " is " + cams.width() + "x" + cams.height() + " but image "
                                + s.image() + " is " + img.width() + "x" + img.height()
                                + "; recompute the CAMs (delete the file and run psa cams)");
                    }
                    LabelMap seeds = SeedLabels.compute(cams, img.image(), config.alphaLo(), config.alphaHi(), used);
                    LabelPng.write(seedFile, seeds);
                    written++;
                }
            } catch (RuntimeException e) {
                failures.add(s.id(), e);
            }
            prog.onImage(++done, samples.size(), s.id());
        }
        StageSummary summary = new StageSummary(STAGE, samples.size(), written, skipped, failures.list(),
                (System.nanoTime() - start) / 1e9);
        LOG.info("{} (output {})", summary.line(), runDir.resolve(DIR));
        return summary;
    }

    /** The seed label file of an image. */
    public static Path seedFile(Path runDir, String id) {
        return runDir.resolve(DIR).resolve(Sample.checkId(id) + ".png");
    }
}
