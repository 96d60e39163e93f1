package dev.psa.runtime.stages;

import dev.psa.train.Initializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.affinity.AffConfig;
import dev.psa.affinity.AffinityStage;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.io.Locations;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.PairSampler;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.weights.Heads;
import dev.psa.backbones.weights.WeightImport;
import dev.psa.backbones.weights.WeightFiles;
import dev.psa.backbones.weights.WeightLoader;
import dev.psa.cam.ClassifierStage;
import dev.psa.cam.ClassifierSummary;
import dev.psa.cam.ClsConfig;
import dev.psa.api.stage.StageSummary;
import dev.psa.runtime.config.PipelineConfig;
import dev.psa.runtime.config.Settings;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.engine.Engine;
import dev.psa.runtime.engine.ImageJob;
import dev.psa.runtime.engine.LocalEngine;
import dev.psa.runtime.pipeline.Failures;
import dev.psa.runtime.pipeline.Stage;
import dev.psa.runtime.pipeline.RunContext;
import dev.psa.runtime.pipeline.StageExecutor;
import dev.psa.data.DataConfig;
import dev.psa.eval.Evaluation;
import dev.psa.eval.Evaluator;
import dev.psa.eval.EvalConfig;
import dev.psa.eval.EvalResult;
import dev.psa.eval.EvalTable;
import dev.psa.eval.EvalJson;
import dev.psa.eval.store.RunInfo;
import dev.psa.eval.GroundTruth;
import dev.psa.eval.report.ReportConfig;
import dev.psa.eval.report.RunReport;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.StoreConfig;
import dev.psa.randomwalk.RwConfig;
import dev.psa.randomwalk.WalkStage;
import dev.psa.api.spi.SegHead;
import dev.psa.seg.SegConfig;
import dev.psa.seg.SegNet;
import dev.psa.seg.SegPredictor;
import dev.psa.seg.SegStage;
import dev.psa.train.TrainListener;

/** The stage executors of {@code psa run}: each calls its module's stage API on the run folder. */
public final class PipelineStages {
    /** Where stages' detailed reports (tables, counts) go: the run's log, not the console. */
    private static final Logger DETAILS = LoggerFactory.getLogger("dev.psa.stages");

    /** The component kinds a full run needs. */
    public static final Set<ComponentKind<?>> KINDS = Set.copyOf(ComponentKind.all());

    private PipelineStages() {
    }

    public static Map<Stage, StageExecutor> all() {
        Map<Stage, StageExecutor> m = new EnumMap<>(Stage.class);
        m.put(Stage.TRAIN_CLS, PipelineStages::trainCls);
        m.put(Stage.CAMS, PipelineStages::cams);
        m.put(Stage.SEEDS, PipelineStages::seeds);
        m.put(Stage.TRAIN_AFF, PipelineStages::trainAff);
        m.put(Stage.WALK, PipelineStages::walk);
        m.put(Stage.TRAIN_SEG, PipelineStages::trainSeg);
        m.put(Stage.SEG, PipelineStages::seg);
        m.put(Stage.EVAL, PipelineStages::eval);
        m.put(Stage.REPORT, PipelineStages::report);
        return m;
    }

    static Dataset dataset(Settings s) {
        return s.component(ComponentKind.DATASET, Dataset.class);
    }

    /** The run's dataset without the items its data check left out ({@link DataCheck}). */
    static Dataset dataset(RunContext ctx) {
        return dataset(ctx.settings(), ctx.run().root());
    }

    /** The dataset of the run folder {@code root} without the items its data check left out. */
    static Dataset dataset(Settings s, Path root) {
        Dataset d = dataset(s);
        return DataCheck.read(root).map(c -> c.apply(d)).orElse(d);
    }

    static Backbone backbone(Settings s) {
        return s.component(ComponentKind.BACKBONE, Backbone.class);
    }

    /** The split (or id-list file) the pipeline works on. */
    public static String split(Settings s) {
        DataConfig d = s.get(DataConfig.class);
        return d.list().map(Path::toString).orElse(d.split());
    }

    private static Map<String, Object> record(RunContext ctx, StageSummary summary) {
        DETAILS.info("  {}", summary.line());
        return ctx.record(summary);
    }

    /** Training progress as listener events: step of steps, with the loss and speed as the detail. */
    private static TrainListener steps(RunContext ctx) {
        return new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
                ctx.listener().progress(ctx.stage(), (int) step, (int) maxSteps,
                        String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, imagesPerSecond));
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
                DETAILS.info("  {} epoch {}: {}", ctx.stage(), epoch, metrics);
            }
        };
    }

    private static Map<String, Object> trainCls(RunContext ctx) {
        Settings s = ctx.settings();
        Backbone backbone = backbone(s);
        Consumer<SameDiff> init = initializer(s, backbone);
        DataCheck check = checkData(ctx);
        ClassifierSummary r = ClassifierStage.train(check.apply(dataset(s)), split(s), backbone, s.get(ClsConfig.class),
                ctx.run().root(), ctx.resumed(), steps(ctx), init);
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.put("excluded_images", check.excluded().size());
        return m;
    }

    /**
     * Reads every image of the run once before training; bad ones go to failures.json (stage
     * {@code data}) and are left out of every stage. A resumed train-cls keeps its earlier check.
     */
    private static DataCheck checkData(RunContext ctx) {
        Path root = ctx.run().root();
        if (ctx.resumed()) {
            Optional<DataCheck> done = DataCheck.read(root);
            if (done.isPresent()) {
                return done.get();
            }
        }
        Settings s = ctx.settings();
        Dataset d = dataset(s);
        ClsConfig cls = s.get(ClsConfig.class);
        List<Sample> val = !cls.valSplit().isBlank() && d.splits().contains(cls.valSplit())
                ? d.samples(cls.valSplit()) : List.of();
        DataCheck check = DataCheck.run(d, d.samples(split(s)), val);
        ctx.failures().clear(DataCheck.STAGE);
        List<Failures.Failure> bad = new ArrayList<>();
        for (DataCheck.Item i : check.excluded()) {
            bad.add(new Failures.Failure(DataCheck.STAGE, i.id(), "left out of the run: " + i.reason()));
        }
        for (DataCheck.Item i : check.unevaluated()) {
            bad.add(new Failures.Failure(DataCheck.STAGE, i.id(), i.reason()));
        }
        ctx.failures().recordAll(bad);
        ctx.run().writeJson(DataCheck.FILE, check);
        DETAILS.info(String.format(Locale.ROOT, "  data: %d images read, %d left out, %d without a ground-truth mask%s",
                check.images(), check.excluded().size(), check.unevaluated().size(),
                check.excluded().isEmpty() && check.unevaluated().isEmpty() ? "" : " (listed in failures.json)"));
        return check;
    }

    private static Consumer<SameDiff> initializer(Settings s, Backbone backbone) {
        Optional<Path> weights = s.get(PipelineConfig.class).backboneWeights();
        if (weights.isEmpty()) {
            return null;
        }
        Path file = weights.get();
        if (!Files.isRegularFile(file)) {
            throw new PsaException("backbone.weights = " + file + ": no such file");
        }
        return sd -> WeightLoader.load(sd, WeightFiles.read(file), backboneParams(backbone),
                WeightLoader.Options.pytorch().withLayout(WeightLoader.Layout.AUTO)
                        .withSkipPrefixes(WeightImport.HEAD_PREFIXES).withSource(file.toString()));
    }

    private static Set<String> backboneParams(Backbone backbone) {
        return BackboneStats.of(backbone).shapes().keySet();
    }

    private static Map<String, Object> cams(RunContext ctx) {
        return images(ctx);
    }

    /**
     * A per-image stage ({@link ImageStages}) run by the configured engine ({@code engine}: local
     * in this thread, spark over a cluster); its failures recorded, the engine described in the summary.
     */
    private static Map<String, Object> images(RunContext ctx) {
        Engine engine = ctx.settings().component(ComponentKind.ENGINE, Engine.class);
        StageSummary r = engine.run(ImageJob.of(ctx), ctx);
        Map<String, Object> m = new LinkedHashMap<>(record(ctx, r));
        Map<String, Object> described = engine.describe();
        if (!described.isEmpty()) {
            m.put("engine", described);
        }
        return m;
    }

    /** Fails when a trained model file is missing, saying where a model comes from. */
    static void checkModel(Path file, Heads heads) {
        boolean classifier = heads == Heads.CLASSIFIER;
        if (!Files.isRegularFile(file)) {
            throw new PsaException((classifier ? "classifier" : "AffinityNet") + " model " + file
                    + " not found: train it first (psa run, or the stage command) or name a trained file with "
                    + (classifier ? "cls.weights" : "aff.weights"));
        }
    }

    /**
     * A trained model file (psa's .npz or a PyTorch .pth) as graph parameters; a missing file is an
     * error that says where a model comes from.
     */
    static Map<String, INDArray> readModel(Path file, Backbone backbone, Heads heads) {
        checkModel(file, heads);
        return WeightFiles.readModel(file, BackboneStats.of(backbone), heads);
    }

    private static Map<String, Object> seeds(RunContext ctx) {
        return images(ctx);
    }

    private static Map<String, Object> trainAff(RunContext ctx) {
        Settings s = ctx.settings();
        Backbone backbone = backbone(s);
        Consumer<SameDiff> init = initializer(s, backbone);
        Initializer affInit = init == null ? Initializer.NONE
                : (graph, params) -> init.accept(graph);
        AffinityStage.Result r = AffinityStage.train(dataset(ctx), split(s), backbone, s.get(AffConfig.class),
                s.component(ComponentKind.PAIR_SAMPLER, PairSampler.class), ctx.run().root(), ctx.resumed(), affInit,
                steps(ctx));
        for (String id : r.skipped()) {
            ctx.fail(id, "no seed labels (seeds/" + id + ".png missing)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples());
        m.put("steps", r.train().steps());
        List<Double> losses = r.train().stepLosses();
        if (!losses.isEmpty()) {
            m.put("final-loss", losses.get(losses.size() - 1));
        }
        return m;
    }

    private static Map<String, Object> walk(RunContext ctx) {
        return images(ctx);
    }

    private static Map<String, Object> trainSeg(RunContext ctx) {
        Settings s = ctx.settings();
        SegConfig c = s.get(SegConfig.class);
        if (!c.enabled()) {
            return Map.of("enabled", false);
        }
        Backbone backbone = backbone(s);
        SegHead head = s.component(ComponentKind.SEG_HEAD, SegHead.class);
        Path root = ctx.run().root();
        Initializer init;
        if (c.init().equals("classifier")) {
            Path model = s.get(PipelineConfig.class).clsWeights()
                    .orElse(root.resolve(ClassifierStage.DIR).resolve(ClassifierStage.MODEL));
            Map<String, INDArray> params = readModel(model, backbone, Heads.CLASSIFIER);
            init = (graph, backboneParams) -> {
                for (String name : backboneParams.keySet()) {
                    INDArray v = params.get(name);
                    if (v == null) {
                        throw new PsaException(model + ": no parameter " + name + " of backbone " + backbone.name()
                                + " (seg.init = classifier)");
                    }
                    graph.getVariable(name).getArr().assign(v);
                }
            };
        } else {
            Consumer<SameDiff> weights = initializer(s, backbone);
            init = weights == null ? Initializer.NONE : (graph, backboneParams) -> weights.accept(graph);
        }
        SegStage.Result r = SegStage.train(dataset(ctx), split(s), backbone, head, c, root, ctx.resumed(), init,
                steps(ctx));
        for (String id : r.skipped()) {
            ctx.fail(id, "no training labels (" + c.labels() + "/" + id + ".png missing)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples());
        m.put("steps", r.train().steps());
        List<Double> losses = r.train().stepLosses();
        if (!losses.isEmpty()) {
            m.put("final-loss", losses.get(losses.size() - 1));
        }
        m.put("labels", c.labels());
        return m;
    }

    private static Map<String, Object> seg(RunContext ctx) {
        Settings s = ctx.settings();
        SegConfig c = s.get(SegConfig.class);
        if (!c.enabled()) {
            return Map.of("enabled", false);
        }
        Dataset d = dataset(ctx);
        if (!d.splits().contains(c.split())) {
            throw new PsaException("seg.split = " + c.split() + ": the dataset has no such split (it has "
                    + d.splits() + "); name the split to segment and evaluate with --set seg.split=NAME");
        }
        // per image, so any engine runs it (ImageStages)
        Map<String, Object> m = new LinkedHashMap<>(images(ctx));
        m.put("split", c.split());
        return m;
    }

    /**
     * The trained segmentation network of a run ({@code seg/model.npz}, {@code seg/classes.txt}) as a
     * predictor with the run's {@code seg.} settings ({@code psa predict}); needs the backbone and head
     * components, not the dataset.
     *
     * @param crf     whether the dense CRF refines the predictions
     */
    public static SegPredictor segPredictor(Settings s, Path runRoot, boolean crf) {
        Backbone backbone = backbone(s);
        Path dir = runRoot.resolve(SegStage.DIR);
        SegNet net = SegStage.load(backbone, s.component(ComponentKind.SEG_HEAD, SegHead.class),
                SegStage.classes(dir).size(), dir.resolve(SegStage.MODEL));
        return new SegPredictor(net, backbone.normalization(), s.get(SegConfig.class).withCrf(crf));
    }

    /** Ground truth of the run's split, from its dataset. */
    public static GroundTruth groundTruth(Settings s) {
        return GroundTruth.of(dataset(s), s.get(DataConfig.class).name(), split(s));
    }

    /** Ground truth of a run: its split without the items its data check left out or found without a mask. */
    public static GroundTruth groundTruth(Settings s, Path runRoot) {
        Dataset d = dataset(s);
        Dataset checked = DataCheck.read(runRoot).map(c -> c.forEvaluation(d)).orElse(d);
        return GroundTruth.of(checked, s.get(DataConfig.class).name(), split(s));
    }

    private static Map<String, Object> eval(RunContext ctx) {
        Settings s = ctx.settings();
        GroundTruth gt = groundTruth(s, ctx.run().root());
        StoreConfig sc = s.get(StoreConfig.class);
        Map<String, Object> m = new LinkedHashMap<>();
        if (gt.ids().stream().noneMatch(gt::hasMask)) {
            // pseudo labels for a split without ground truth: nothing to score, and no image is at fault
            DETAILS.info("  eval: no image of split '{}' has a ground-truth mask; nothing to evaluate", gt.split());
            return m;
        }
        try (ResultsStore store = sc.enabled() ? ResultsStore.open(sc) : null) {
            for (String stage : List.of("cam", "seeds", "rw")) {
                if (!Files.isDirectory(ctx.run().resolve(stage))) {
                    continue;
                }
                EvalResult r = evaluate(ctx, stage, gt, Optional.ofNullable(store));
                DETAILS.info("  eval {}:\n{}", stage, EvalTable.format(r));
                double miou = r.sweep().map(w -> w.best().metrics().meanIou()).orElse(r.metrics().meanIou());
                m.put(stage + "-miou", miou);
                r.sweep().ifPresent(w -> m.put("cam-best-threshold", w.best().threshold()));
                for (var f : r.failures()) {
                    ctx.fail("eval-" + stage, f.id(), f.reason());
                }
            }
            evalSeg(ctx, store).ifPresent(miou -> m.put("seg-miou", miou));
        }
        Map<String, Object> described = s.component(ComponentKind.ENGINE, Engine.class).describe();
        if (!described.isEmpty()) {
            m.put("engine", described);
        }
        return m;
    }

    /**
     * Evaluates one prediction folder of the run: in this process with the local engine; otherwise
     * the engine sums per-share confusion matrices where the images are (a reduce), and only the
     * merged matrices come back.
     */
    private static EvalResult evaluate(RunContext ctx, String stage, GroundTruth gt, Optional<ResultsStore> store) {
        Settings s = ctx.settings();
        Engine engine = s.component(ComponentKind.ENGINE, Engine.class);
        Path root = ctx.run().root();
        if (engine instanceof LocalEngine) {
            return Evaluation.evaluateRunStage(root, stage, gt, s.get(EvalConfig.class), store);
        }
        long t0 = System.nanoTime();
        Evaluation.Plan plan = Evaluation.plan(stage, root.resolve(stage), gt);
        Evaluator.Partial all = engine.reduce(ImageJob.of(ctx, stage), ctx);
        EvalResult r = Evaluator.result(plan, gt, s.get(EvalConfig.class), all, (System.nanoTime() - t0) / 1e9);
        Evaluation.recordRunStage(root, r, store);
        return r;
    }

    /**
     * The segmentation network's predictions ({@code seg/pred}) against the masks of {@code seg.split}
     * (not the training split): {@code eval/seg.json}; empty when there are none or no mask.
     */
    private static Optional<Double> evalSeg(RunContext ctx, ResultsStore store) {
        Settings s = ctx.settings();
        Path pred = ctx.run().root().resolve(SegStage.DIR).resolve(SegStage.PRED);
        SegConfig c = s.get(SegConfig.class);
        if (!c.enabled() || !Files.isDirectory(pred)) {
            return Optional.empty();
        }
        GroundTruth gt = segGroundTruth(s, ctx.run().root());
        if (gt.ids().stream().noneMatch(gt::hasMask)) {
            DETAILS.info("  eval seg: no image of split '{}' has a ground-truth mask", c.split());
            return Optional.empty();
        }
        EvalResult r = Evaluation.evaluateFolder(SegStage.STAGE, pred, gt, s.get(EvalConfig.class));
        EvalJson.write(ctx.run().root().resolve("eval").resolve(SegStage.STAGE + ".json"), r);
        if (store != null) {
            store.record(RunInfo.read(ctx.run().root()), r);
        }
        DETAILS.info("  eval seg (split {}):\n{}", c.split(), EvalTable.format(r));
        for (var f : r.failures()) {
            ctx.fail("eval-seg", f.id(), f.reason());
        }
        return Optional.of(r.metrics().meanIou());
    }

    /** Ground truth of {@code seg.split} (the segmentation network's split), less what the data check left out. */
    public static GroundTruth segGroundTruth(Settings s, Path runRoot) {
        Dataset d = dataset(s);
        Dataset checked = DataCheck.read(runRoot).map(check -> check.forEvaluation(d)).orElse(d);
        return GroundTruth.of(checked, s.get(DataConfig.class).name(), s.get(SegConfig.class).split());
    }

    private static Map<String, Object> report(RunContext ctx) {
        Settings s = ctx.settings();
        Path root = ctx.run().root();
        SegConfig c = s.get(SegConfig.class);
        // the segmentation gallery shows seg.split (e.g. val) with its own images and masks
        Optional<GroundTruth> segGt = c.enabled() && dataset(s).splits().contains(c.split())
                && Files.isDirectory(root.resolve(SegStage.DIR).resolve(SegStage.PRED))
                ? Optional.of(segGroundTruth(s, root)) : Optional.empty();
        Path index = RunReport.write(root, Optional.of(groundTruth(s, root)), segGt, s.get(ReportConfig.class));
        return Map.of("report", Locations.string(index));
    }
}
