package dev.psa.cli.stages;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import dev.psa.api.io.AtomicFiles;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.WalkSolver;
import dev.psa.crf.CrfConfig;
import dev.psa.crf.DenseCrf;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;
import dev.psa.randomwalk.PseudoLabeler;
import dev.psa.randomwalk.RwConfig;

/**
 * Stage 4 per image (REFERENCE.md §Stage 4): the image's CAMs ({@code cam/<id>.npz}) and its
 * affinity graph (from AffinityNet, or any function of the image) → random walk → pseudo labels
 * {@code rw/<id>.png}, optionally refined by the dense CRF ({@code rw.crf}). Resumable: an image
 * whose PNG exists and reads back is skipped; a failing image is recorded and skipped.
 */
public final class WalkStage {
    private static final Logger LOG = LoggerFactory.getLogger(WalkStage.class);

    /** What the stage did. */
    public record Summary(int total, int written, int skipped, int failed) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", total);
            m.put("written", written);
            m.put("skipped", skipped);
            m.put("failed", failed);
            return m;
        }
    }

    /** Records a failed image. */
    @FunctionalInterface
    public interface FailureSink {
        void record(String id, String reason);
    }

    private WalkStage() {
    }

    /**
     * @param affinity   image [3, H, W] RGB 0..255 → its affinity graph at stride 8 (before ^β)
     * @param outDir     where {@code <id>.png} go (e.g. {@code RUN/rw})
     * @param crf        when present, the walked scores are refined by the dense CRF
     */
    public static Summary run(Dataset dataset, List<Sample> samples, Path camDir, Function<INDArray, AffinityGraph> affinity,
            RwConfig config, WalkSolver solver, Optional<CrfConfig> crf, Path outDir, FailureSink failures,
            ProgressLine progress) {
        requireNonNull(dataset, "dataset is null");
        int k = dataset.classes().size();
        int written = 0;
        int skipped = 0;
        int failed = 0;
        DenseCrf denseCrf = crf.map(DenseCrf::new).orElse(null);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Path out = outDir.resolve(s.id() + ".png");
            if (complete(out)) {
                skipped++;
                progress.update(i + 1, samples.size());
                continue;
            }
            try {
                Path camFile = camDir.resolve(s.id() + ".npz");
                if (!Files.exists(camFile)) {
                    throw new dev.psa.api.PsaException("no CAMs for " + s.id() + " (" + camFile + " is missing: the cams"
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
                AtomicFiles.rethrowWriteFailure(e); // a full disk is not a bad image: it stops the stage
                failed++;
                LOG.debug("walk failed for {}", s.id(), e);
                failures.record(s.id(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
            progress.update(i + 1, samples.size());
        }
        return new Summary(samples.size(), written, skipped, failed);
    }

    /** Scores as CRF probabilities: each pixel's scores divided by their sum (the walk does not keep a scale). */
    private static INDArray normalise(INDArray scores) {
        INDArray sum = scores.sum(true, 0).addi(1e-8);
        return scores.div(sum.broadcast(scores.shape()));
    }

    private static boolean complete(Path png) {
        if (!Files.exists(png)) {
            return false;
        }
        try {
            LabelPng.read(png);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
