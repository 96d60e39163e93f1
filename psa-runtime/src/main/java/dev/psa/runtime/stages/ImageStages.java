package dev.psa.runtime.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.AffinityGraph;
import dev.psa.affinity.AffConfig;
import dev.psa.affinity.AffinityPredictor;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.WalkSolver;
import dev.psa.api.stage.ImageReduction;
import dev.psa.api.stage.ImageStage;
import dev.psa.api.stage.Progress;
import dev.psa.api.stage.StageSummary;
import dev.psa.backbones.weights.Heads;
import dev.psa.cam.CamConfig;
import dev.psa.cam.CamStage;
import dev.psa.cam.ClassifierNet;
import dev.psa.cam.ClassifierStage;
import dev.psa.cam.MultiScaleCam;
import dev.psa.cam.SeedConfig;
import dev.psa.cam.SeedStage;
import dev.psa.crf.CrfConfig;
import dev.psa.crf.DenseCrf;
import dev.psa.eval.EvalConfig;
import dev.psa.eval.Evaluation;
import dev.psa.eval.Evaluator;
import dev.psa.eval.GroundTruth;
import dev.psa.randomwalk.RwConfig;
import dev.psa.randomwalk.WalkStage;
import dev.psa.runtime.config.PipelineConfig;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.api.spi.SegHead;
import dev.psa.seg.SegConfig;
import dev.psa.seg.SegPredictor;
import dev.psa.seg.SegStage;

/**
 * The per-image stages of the pipeline (cams, seeds, walk, seg) behind the {@link ImageStage} seam, so
 * any engine runs them: the images of the run's split (without those its data check left out),
 * and the stage's work on a share of them with its network and components built once.
 */
public final class ImageStages {
    private ImageStages() {
    }

    /** Whether a stage is per-image (an engine may spread it). */
    public static boolean isPerImage(Stage stage) {
        return stage == Stage.CAMS || stage == Stage.SEEDS || stage == Stage.WALK || stage == Stage.SEG;
    }

    /**
     * Opens a per-image stage of the run folder {@code root}; its model file is checked here (a
     * missing one fails before any image), its network built on the first {@link ImageStage#run}.
     *
     * @throws PsaException for a stage that is not per-image, or a missing model file
     */
    public static ImageStage open(Stage stage, Settings s, Path root) {
        Dataset d = PipelineStages.dataset(s, root);
        List<Sample> samples = d.samples(PipelineStages.split(s));
        return switch (stage) {
            case CAMS -> cams(s, d, samples, root);
            case SEEDS -> {
                DenseCrf crf = new DenseCrf(s.get(CrfConfig.class));
                SeedConfig config = s.get(SeedConfig.class);
                yield new Base(stage, samples, 1, () -> (share, failFast, progress) ->
                        SeedStage.run(d, share, config, crf::inferScores, root, failFast, progress));
            }
            case WALK -> walk(s, d, samples, root);
            case SEG -> seg(s, d, root);
            default -> throw new PsaException("stage " + stage.id() + " is not a per-image stage");
        };
    }

    /**
     * Opens a reduction of a stage: eval's {@code part} ({@code cam}, {@code seeds}, {@code rw}) of the
     * run folder as confusion matrices ({@link Evaluator.Partial}) over the ground truth's images.
     *
     * @throws PsaException for a stage without reductions, or what {@link Evaluation#plan} finds wrong
     */
    @SuppressWarnings("unchecked")
    public static <P extends ImageReduction.Part<P>> ImageReduction<P> reduction(Stage stage, String part, Settings s,
            Path root) {
        if (stage != Stage.EVAL) {
            throw new PsaException("stage " + stage.id() + " has no per-image reduction");
        }
        GroundTruth gt = PipelineStages.groundTruth(s, root);
        EvalConfig config = s.get(EvalConfig.class);
        Evaluation.Plan plan = Evaluation.plan(part, root.resolve(part), gt);
        ImageReduction<Evaluator.Partial> r = new ImageReduction<>() {
            @Override
            public List<String> items() {
                return plan.ids();
            }

            @Override
            public Evaluator.Partial run(List<String> ids, boolean failFast, Progress progress) {
                return Evaluator.partial(plan, gt, ids, config); // eval.fail-fast, as the local eval
            }
        };
        return (ImageReduction<P>) r;
    }

    private static ImageStage cams(Settings s, Dataset d, List<Sample> samples, Path root) {
        Backbone backbone = PipelineStages.backbone(s);
        CamConfig config = s.get(CamConfig.class);
        Path model = s.get(PipelineConfig.class).clsWeights()
                .orElse(root.resolve(ClassifierStage.DIR).resolve(ClassifierStage.MODEL));
        PipelineStages.checkModel(model, Heads.CLASSIFIER);
        return new Base(Stage.CAMS, samples, Math.max(1, config.batchSize()), () -> {
            ClassifierNet net = CamStage.classifier(backbone, d.classes().size() - 1, config.sqrtFor(backbone.name()),
                    PipelineStages.readModel(model, backbone, Heads.CLASSIFIER), model.toString());
            MultiScaleCam msc = new MultiScaleCam(net.detachCamNetwork(), backbone.normalization(), config,
                    net.numForeground());
            return (share, failFast, progress) -> CamStage.run(d, share, msc, root, failFast, progress);
        });
    }

    private static ImageStage walk(Settings s, Dataset d, List<Sample> samples, Path root) {
        RwConfig rw = s.get(RwConfig.class);
        Path model = s.get(PipelineConfig.class).affWeights().orElse(root.resolve("aff").resolve("model.npz"));
        PipelineStages.checkModel(model, Heads.AFFINITY);
        WalkSolver solver = s.component(ComponentKind.WALK_SOLVER, WalkSolver.class);
        Optional<CrfConfig> crf = rw.crf() ? Optional.of(s.get(CrfConfig.class)) : Optional.empty();
        return new Base(Stage.WALK, samples, 1, () -> {
            AffinityPredictor predictor;
            try {
                Backbone backbone = PipelineStages.backbone(s);
                predictor = new AffinityPredictor(backbone, s.get(AffConfig.class),
                        PipelineStages.readModel(model, backbone, Heads.AFFINITY));
            } catch (PsaException e) {
                throw new PsaException(model + ": " + e.getMessage(), e);
            }
            Function<INDArray, AffinityGraph> affinity = predictor::predict;
            return (share, failFast, progress) -> WalkStage.run(d, share, root.resolve("cam"), affinity, rw, solver,
                    crf, root.resolve("rw"), failFast, progress);
        });
    }

    /** Segmentation inference on {@code seg.split} (not the run's split) with the run's trained network. */
    private static ImageStage seg(Settings s, Dataset d, Path root) {
        SegConfig c = s.get(SegConfig.class);
        Path model = root.resolve(SegStage.DIR).resolve(SegStage.MODEL);
        if (!Files.isRegularFile(model)) {
            throw new PsaException("segmentation model " + model + " not found: train it first (psa run, or psa train-seg)");
        }
        return new Base(Stage.SEG, d.samples(c.split()), 1, () -> {
            Backbone backbone = PipelineStages.backbone(s);
            SegPredictor predictor = new SegPredictor(SegStage.load(backbone, s.component(ComponentKind.SEG_HEAD,
                    SegHead.class), d.classes().size(), model), backbone.normalization(), c);
            Path pred = root.resolve(SegStage.DIR).resolve(SegStage.PRED);
            return (share, failFast, progress) -> SegStage.predict(d, share, predictor, pred, failFast, progress);
        });
    }

    /** The work on a share of samples, with what it needs built. */
    @FunctionalInterface
    private interface Work {
        StageSummary run(List<Sample> share, boolean failFast, Progress progress);
    }

    /** Builds the work (networks, components) once, on first use. */
    @FunctionalInterface
    private interface WorkFactory {
        Work build();
    }

    private static final class Base implements ImageStage {
        private final Stage stage;
        private final Map<String, Sample> samples = new LinkedHashMap<>();
        private final int granularity;
        private final WorkFactory factory;
        private Work work;

        Base(Stage stage, List<Sample> samples, int granularity, WorkFactory factory) {
            this.stage = stage;
            samples.forEach(x -> this.samples.put(x.id(), x));
            this.granularity = granularity;
            this.factory = factory;
        }

        @Override
        public String id() {
            return stage.id();
        }

        @Override
        public List<String> items() {
            return List.copyOf(samples.keySet());
        }

        @Override
        public int granularity() {
            return granularity;
        }

        @Override
        public StageSummary run(List<String> ids, boolean failFast, Progress progress) {
            List<Sample> share = ids.stream().map(id -> {
                Sample x = samples.get(id);
                if (x == null) {
                    throw new PsaException("stage " + stage.id() + ": image " + id + " is not in the run's split");
                }
                return x;
            }).toList();
            if (work == null) {
                work = factory.build();
            }
            return work.run(share, failFast, progress == null ? Progress.NONE : progress);
        }
    }
}
