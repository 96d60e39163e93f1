package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.PsaException;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.RunInfo;
import dev.psa.eval.store.StoredResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The logic of {@code psa eval} and of the pipeline's evaluation step.
 *
 * <p>{@code psa eval --pred DIR --data DATASET_DIR [--list IDS_FILE] [--json FILE]
 * [--unlabeled-pred-as background]}: DIR holds label PNGs ({@code <id>.png}) or CAM files
 * ({@code <id>.npz}, evaluated with the background-threshold sweep); DATASET_DIR is a VOC-layout
 * root whose masks are {@code <eval.mask-dir>/<id>.png} ({@code SegmentationClass}). Without
 * {@code --list} every prediction in DIR that has a mask is evaluated (predictions without one
 * are counted as skipped); with it, exactly the listed ids, a missing prediction being a
 * recorded failure. When DIR is a stage folder of a run (its parent holds run.json), the result
 * also goes to {@code RUN/eval/<stage>.json} (unless {@code --json} names another file) and to the
 * results store.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * The command-line options of {@code psa eval}.
     *
     * @param pred            the prediction folder
     * @param data            the VOC-layout dataset root
     * @param list            optional id-list file
     * @param json            optional JSON output file
     * @param unlabeledPredAs optional override of {@code eval.unlabeled-pred-as}
     */
    public record Options(Path pred, Path data, Optional<Path> list, Optional<Path> json,
                          Optional<UnlabeledPrediction> unlabeledPredAs) {
        public Options {
            requireNonNull(pred, "pred is null");
            requireNonNull(data, "data is null");
            requireNonNull(list, "list is null");
            requireNonNull(json, "json is null");
            requireNonNull(unlabeledPredAs, "unlabeledPredAs is null");
        }
    }

    /**
     * What {@code psa eval} did.
     *
     * @param result the evaluation (its failures, if any, are listed in the table and the JSON)
     * @param notes  what else happened, one line each ({@code wrote FILE}, {@code stored as run ...})
     */
    public record Outcome(EvalResult result, List<String> notes) {
        public Outcome {
            requireNonNull(result, "result is null");
            notes = List.copyOf(notes);
        }

        /** The command's output: the notes, then the per-class table ending {@code mIoU: <percent>}. */
        public String text() {
            StringBuilder b = new StringBuilder();
            notes.forEach(n -> b.append(n).append(System.lineSeparator()));
            return b.append(EvalTable.format(result)).toString();
        }
    }

    /**
     * Runs {@code psa eval}; the command prints {@link Outcome#text()}: the notes, the per-class
     * table and, last, the line {@code mIoU: <percent with two decimals>}.
     *
     * @param store where run evaluations are recorded (empty: not recorded)
     * @throws PsaException naming the folder / file for a missing folder, an empty or mixed
     *     prediction folder, or an unreadable id list
     */
    public static Outcome run(Options options, EvalConfig config, Optional<ResultsStore> store) {
        requireNonNull(options, "options is null");
        requireNonNull(config, "config is null");
        requireNonNull(store, "store is null");
        List<String> notes = new ArrayList<>();
        EvalConfig cfg = options.unlabeledPredAs().map(config::withUnlabeledPredAs).orElse(config);
        Path pred = options.pred().toAbsolutePath().normalize();
        GroundTruth gt = GroundTruth.vocFolder(options.data(), cfg.maskDir(), options.list());
        String stage = pred.getFileName() == null ? "pred" : pred.getFileName().toString();
        Path runDir = pred.getParent();
        boolean inRun = runDir != null && RunInfo.isRun(runDir);
        EvalResult r = evaluateFolder(stage, pred, gt, cfg);
        Optional<Path> json = options.json().or(() -> inRun ? Optional.of(runDir.resolve("eval").resolve(stage + ".json"))
                : Optional.empty());
        json.ifPresent(f -> {
            EvalJson.write(f, r);
            notes.add("wrote " + f);
        });
        if (inRun && store.isPresent()) {
            StoredResult s = store.get().record(RunInfo.read(runDir), r);
            notes.add("stored as run " + s.runId() + ", stage " + stage + " in " + store.get().url());
        }
        return new Outcome(r, notes);
    }

    /**
     * The pipeline's evaluation of one stage of a run: {@code RUN/cam/*.npz} (stage {@code cam},
     * threshold sweep) or {@code RUN/<stage>/*.png}, over the ground truth's ids (or, when it has no
     * fixed list, every prediction with a mask); writes {@code RUN/eval/<stage>.json}, records the
     * result in the store ({@link EvalTable#format} makes the table of the result).
     */
    public static EvalResult evaluateRunStage(Path runDir, String stage, GroundTruth gt, EvalConfig config,
                                              Optional<ResultsStore> store) {
        requireNonNull(runDir, "runDir is null");
        requireNonNull(stage, "stage is null");
        Path dir = runDir.resolve(stage);
        EvalResult r = evaluateFolder(stage, dir, gt, config);
        EvalJson.write(runDir.resolve("eval").resolve(stage + ".json"), r);
        store.ifPresent(s -> s.record(RunInfo.read(runDir), r));
        return r;
    }

    /**
     * Evaluates a folder of {@code <id>.png} labels or {@code <id>.npz} CAMs (whichever it holds).
     * Ids: the ground truth's list when it has one, else every prediction with a mask.
     */
    public static EvalResult evaluateFolder(String stage, Path dir, GroundTruth gt, EvalConfig config) {
        Plan p = plan(stage, dir, gt);
        return p.cams() ? Evaluator.cams(stage, dir, gt, p.ids(), p.skipped(), config)
                : Evaluator.labels(stage, dir, gt, p.ids(), p.skipped(), config);
    }

    /**
     * What evaluating a folder means, decided once (before its images are spread over workers).
     *
     * @param stage   the stage name for outputs
     * @param dir     the prediction folder
     * @param cams    whether it holds CAM files ({@code .npz}, threshold sweep) rather than label PNGs
     * @param ids     the ids to evaluate, in order
     * @param skipped predictions left out for lack of a mask (reported only)
     */
    public record Plan(String stage, Path dir, boolean cams, List<String> ids, int skipped) {
        public Plan {
            ids = List.copyOf(ids);
        }
    }

    /**
     * The plan of {@link #evaluateFolder}: the ground truth's ids when it has a list, else every
     * prediction with a mask.
     *
     * @throws PsaException for a missing, empty or mixed folder, or no prediction with a mask
     */
    public static Plan plan(String stage, Path dir, GroundTruth gt) {
        if (!Files.isDirectory(dir)) {
            throw new PsaException(dir + ": prediction folder not found");
        }
        List<String> png = stems(dir, ".png");
        List<String> npz = stems(dir, ".npz");
        boolean cams = png.isEmpty() && !npz.isEmpty();
        if (png.isEmpty() && npz.isEmpty() && gt.ids().isEmpty()) {
            throw new PsaException(dir + ": no predictions (<id>.png label maps or <id>.npz CAM files) found");
        }
        if (!png.isEmpty() && !npz.isEmpty()) {
            throw new PsaException(dir + ": holds both .png label maps (" + png.size() + ") and .npz CAM files ("
                    + npz.size() + "); keep one kind per folder");
        }
        List<String> ids;
        int skipped = 0;
        if (!gt.ids().isEmpty()) {
            ids = gt.ids();
        } else {
            ids = new ArrayList<>();
            for (String id : cams ? npz : png) {
                if (gt.hasMask(id)) {
                    ids.add(id);
                } else {
                    skipped++;
                }
            }
            if (ids.isEmpty()) {
                throw new PsaException(dir + ": none of its " + (cams ? npz : png).size() + " predictions has a mask in "
                        + gt.dataset() + " (ids like " + (cams ? npz : png).get(0) + ")");
            }
        }
        return new Plan(stage, dir, cams, ids, skipped);
    }

    /** What {@link #evaluateRunStage} does with a result computed elsewhere: {@code RUN/eval/<stage>.json} and the store. */
    public static void recordRunStage(Path runDir, EvalResult r, Optional<ResultsStore> store) {
        EvalJson.write(runDir.resolve("eval").resolve(r.stage() + ".json"), r);
        store.ifPresent(s -> s.record(RunInfo.read(runDir), r));
    }

    private static List<String> stems(Path dir, String ext) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ext) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ext.length())).sorted().toList();
        } catch (IOException e) {
            throw new PsaException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
