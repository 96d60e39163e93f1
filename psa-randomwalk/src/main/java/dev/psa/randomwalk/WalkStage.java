package dev.psa.randomwalk;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.AffinityGraph;
import dev.psa.api.CamSet;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.Sample;
import dev.psa.api.PsaException;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.WalkSolver;
import dev.psa.api.stage.ImageFailures;
import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.crf.CrfConfig;
import dev.psa.crf.DenseCrf;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;

/**
 * Stage 4 per image (REFERENCE.md §Stage 4): the image's CAMs ({@code cam/<id>.npz}) and its
 * affinity graph (from AffinityNet, or any function of the image) → random walk → pseudo labels
 * {@code rw/<id>.png}, optionally refined by the dense CRF ({@code rw.crf}). Resumable: an image
 * whose PNG exists and reads back is skipped; a failing image is recorded and skipped.
 */
public final class WalkStage {
    private static final Logger LOG = LoggerFactory.getLogger(WalkStage.class);

    /** The stage name in summaries and failures. */
    public static final String STAGE = "walk";

    private WalkStage() {
    }

    /**
     * @param affinity   image [3, H, W] RGB 0..255 → its affinity graph at stride 8 (before ^β)
     * @param outDir     where {@code <id>.png} go (e.g. {@code RUN/rw})
     * @param crf        when present, the walked scores are refined by the dense CRF
     * @param failFast   stop at the first bad image instead of recording it
     * @return what was written, skipped (already complete) and failed (each failure with its reason)
     */
    public static StageSummary run(Dataset dataset, List<Sample> samples, Path camDir,
            Function<INDArray, AffinityGraph> affinity, RwConfig config, WalkSolver solver, Optional<CrfConfig> crf,
            Path outDir, boolean failFast, Progress progress) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(progress, "progress is null");
        long t0 = System.nanoTime();
        ImageFailures failures = new ImageFailures(STAGE, failFast);
        int k = dataset.classes().size();
        int written = 0;
        int skipped = 0;
        DenseCrf denseCrf = crf.map(DenseCrf::new).orElse(null);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Path out = outDir.resolve(s.id() + ".png");
            if (LabelPng.isComplete(out)) {
                skipped++;
                progress.onImage(i + 1, samples.size(), s.id());
                continue;
            }
            try {
                Path camFile = camDir.resolve(s.id() + ".npz");
                if (!Files.exists(camFile)) {
                    throw new PsaException("no CAMs for " + s.id() + " (" + camFile + " is missing: the cams"
                            + " stage skipped or failed it)");
                }
                CamSet cams = CamFiles.read(camFile, s.id());
                ImageSample img = dataset.load(s);
                AffinityGraph graph = affinity.apply(img.image());
                LabelMap labels;
                if (denseCrf == null) {
                    labels = PseudoLabeler.label(cams, graph, k, config, solver);
                } else {
                    PseudoLabeler.Result r = PseudoLabeler.run(cams, graph, k, config, solver);
                    INDArray scores = r.walked().upsampled();
                    INDArray q = denseCrf.inferScores(img.image(), normalise(scores));
                    labels = r.walked().toClassIds(DenseCrf.argmax(q));
                }
                LabelPng.write(out, labels);
                written++;
            } catch (RuntimeException e) {
                failures.add(s.id(), e);
            }
            progress.onImage(i + 1, samples.size(), s.id());
        }
        return new StageSummary(STAGE, samples.size(), written, skipped, failures.list(), (System.nanoTime() - t0) / 1e9);
    }

    /** Scores as CRF probabilities: each pixel's scores divided by their sum (the walk does not keep a scale). */
    private static INDArray normalise(INDArray scores) {
        INDArray sum = scores.sum(true, 0).addi(1e-8);
        return scores.div(sum.broadcast(scores.shape()));
    }
}
