package dev.psa.eval.report;

import static dev.psa.eval.report.internal.Html.esc;
import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.psa.api.CamSet;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.eval.EvalJson;
import dev.psa.eval.GroundTruth;
import dev.psa.eval.UnlabeledPrediction;
import dev.psa.eval.report.internal.Charts;
import dev.psa.eval.report.internal.GallerySelection;
import dev.psa.eval.report.internal.Html;
import dev.psa.eval.report.internal.ImageScore;
import dev.psa.eval.report.internal.Tiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The logic of {@code psa report RUN}: writes {@code RUN/report/index.html}, one self-contained
 * page (every chart and image embedded as a base64 data URI, no script or style from outside) that
 * leads with results: the mIoU of every evaluated stage (eval/*.json) and the walk's gain over the
 * CAMs, then charts (per-class IoU, CAM background-threshold curve, per-image mIoU histogram), then a
 * gallery of the telling images (the worst and best by per-image mIoU, and the worst of each
 * class), sortable in the page: image, CAM heat map overlay, seeds, pseudo labels and ground truth
 * side by side in the VOC palette; when the segmentation network has predicted its split
 * ({@code seg/pred/}), a second gallery of that split (e.g. VOC val): image, the network's
 * segmentation and ground truth, its worst and best images by per-image mIoU. Then the metrics in
 * detail, the failures, and the run's
 * provenance (run.json) collapsed. When every image has loaded the page marks {@code <body
 * data-report-ready="true" data-images-loaded="N" data-images-failed="0">} (checked by the
 * headless-browser test).
 */
public final class RunReport {
    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

    private static final List<String> STAGE_ORDER = List.of("cam", "cam-pred", "seeds", "rw", "seg");
    private static final Map<String, String> STAGE_TITLES = Map.of("cam", "CAM (threshold sweep)", "cam-pred",
            "CAM prediction", "seeds", "seeds", "rw", "pseudo labels (random walk)", "seg",
            "segmentation network (its own split, e.g. val)");
    private static final Map<String, String> SHORT_TITLES = Map.of("cam", "CAM", "cam-pred", "CAM prediction",
            "seeds", "seeds", "rw", "pseudo labels", "seg", "segmentation network");
    /** Images listed in the "all images" table at most. */
    private static final int MAX_LISTED = 5000;
    /** JPEG quality of the photo and heat-map tiles. */
    private static final float TILE_QUALITY = 0.9f;

    private RunReport() {
    }

    /**
     * Writes the report of a run folder.
     *
     * @param runDir the run folder (CONTRACTS.md layout)
     * @param gt     the run's dataset split, for images and ground truth in the gallery (without it
     *               the gallery shows what the run folder holds, CAMs over gray)
     * @param config gallery size, tile size, heat-map opacity
     * @return the written {@code report/index.html}
     * @throws PsaException naming the folder when it is not a run folder
     */
    public static Path write(Path runDir, Optional<GroundTruth> gt, ReportConfig config) {
        return write(runDir, gt, gt, config);
    }

    /**
     * Writes the report of a run folder whose segmentation network predicted another split than the
     * run's ({@code seg.split}, e.g. val).
     *
     * @param runDir the run folder
     * @param gt     the run's dataset split (the main gallery)
     * @param segGt  the split of {@code seg/pred/} (the segmentation gallery's images and ground truth)
     * @param config gallery size, tile size, heat-map opacity
     * @return the written {@code report/index.html}
     */
    public static Path write(Path runDir, Optional<GroundTruth> gt, Optional<GroundTruth> segGt, ReportConfig config) {
        requireNonNull(runDir, "runDir is null");
        requireNonNull(gt, "gt is null");
        requireNonNull(segGt, "segGt is null");
        requireNonNull(config, "config is null");
        Path run = runDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(run)) {
            throw new PsaException(run + ": run folder not found");
        }
        JsonNode runJson = readJson(run.resolve("run.json")).orElse(EvalJson.mapper().createObjectNode());
        Map<String, JsonNode> evals = readEvals(run.resolve("eval"));
        ClassList classes = gt.map(GroundTruth::classes).orElseGet(() -> classesOf(evals));
        Scored scored = config.gallerySize() == 0 ? Scored.NONE : score(run, gt, classes, evals);

        StringBuilder h = new StringBuilder(1 << 20);
        String name = runJson.path("name").asText(run.getFileName() == null ? run.toString() : run.getFileName().toString());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>psa report: ").append(esc(name)).append("</title>\n<style>").append(CSS)
                .append("</style></head>\n<body data-report-ready=\"false\">\n");
        h.append("<h1>psa run ").append(esc(name)).append(" <span class=\"path\">").append(esc(run.toString()))
                .append("</span></h1>\n");
        headline(h, evals, runJson, run, scored);
        charts(h, run, evals, classes, scored);
        gallery(h, run, gt, classes, config, scored);
        segGallery(h, run, segGt, classes, config, unlabeled(evals.get("seg")));
        metrics(h, evals, classes);
        failures(h, run);
        provenance(h, runJson);
        h.append(SCRIPT).append("</body></html>\n");

        Path file = run.resolve("report").resolve("index.html");
        try {
            AtomicFiles.writeString(file, h.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        LOG.info("wrote {} ({} KiB)", file, h.length() / 1024);
        return file;
    }

    /**
     * Per-image scores of one stage's label maps.
     *
     * @param stage     the scored stage ({@code rw}, else {@code cam-pred}); empty when nothing is scored
     * @param worstFirst images by mIoU, worst first (ties by id)
     * @param cam       the CAM-prediction scores by id when {@code stage} is {@code rw}, else empty
     * @param unlabeled what a predicted 255 counted as in the stage's evaluation
     */
    private record Scored(String stage, List<ImageScore> worstFirst, Map<String, ImageScore> cam,
                          UnlabeledPrediction unlabeled) {
        static final Scored NONE = new Scored("", List.of(), Map.of(), UnlabeledPrediction.NONE);

        boolean isEmpty() {
            return worstFirst.isEmpty();
        }

        String what() {
            return stage.equals("rw") ? "pseudo labels" : "CAM prediction";
        }
    }

    private static Scored score(Path run, Optional<GroundTruth> gt, ClassList classes, Map<String, JsonNode> evals) {
        for (String stage : List.of("rw", "cam-pred")) {
            UnlabeledPrediction u = unlabeled(evals.get(stage));
            List<ImageScore> s = scores(run.resolve(stage), gt, classes, u);
            if (!s.isEmpty()) {
                Map<String, ImageScore> cam = new LinkedHashMap<>();
                if (stage.equals("rw")) {
                    scores(run.resolve("cam-pred"), gt, classes, unlabeled(evals.get("cam-pred")))
                            .forEach(sc -> cam.put(sc.id(), sc));
                }
                return new Scored(stage, s, cam, u);
            }
        }
        return Scored.NONE;
    }

    /** What a predicted 255 counted as when the stage was evaluated ({@code none} without an evaluation). */
    private static UnlabeledPrediction unlabeled(JsonNode eval) {
        if (eval == null || !eval.path("unlabeledPredAs").isTextual()) {
            return UnlabeledPrediction.NONE;
        }
        try {
            return UnlabeledPrediction.parse(eval.path("unlabeledPredAs").asText());
        } catch (IllegalArgumentException e) {
            return UnlabeledPrediction.NONE;
        }
    }

    /**
     * The first thing on the page: mIoU of every evaluated stage with its difference to the CAMs,
     * what was evaluated, the walk's gain over the CAMs, the worst and best image, and how many
     * images failed.
     */
    private static void headline(StringBuilder h, Map<String, JsonNode> evals, JsonNode runJson, Path run,
                                 Scored scored) {
        h.append("<section id=\"headline\">\n<h2>Results</h2>\n");
        if (evals.isEmpty()) {
            h.append("<p>No evaluations yet (eval/*.json): run <code>psa eval</code> or the eval stage.</p>\n");
        } else {
            JsonNode first = evals.values().iterator().next();
            h.append("<p class=\"what\">mIoU % on ").append(esc(first.path("dataset").asText("?"))).append(" / ")
                    .append(esc(first.path("split").asText("?"))).append(", ").append(first.path("images").asLong())
                    .append(" images").append(runJson.path("components").has("backbone") ? ", backbone "
                            + esc(runJson.path("components").path("backbone").asText()) : "").append("</p>\n");
            JsonNode cam = evals.get("cam");
            boolean camScored = cam != null && cam.path("miou").isNumber();
            h.append("<table class=\"headline\">");
            evals.forEach((stage, j) -> {
                h.append("<tr><th>").append(esc(STAGE_TITLES.getOrDefault(stage, stage)))
                        .append("</th><td class=\"big\" data-stage=\"").append(esc(stage)).append("\">")
                        .append(pct(j.path("miou"))).append("</td><td class=\"delta");
                if (stage.equals("cam")) {
                    h.append("\">").append(j.has("sweep") ? String.format(Locale.ROOT,
                            "at background threshold %.2f", j.path("sweep").path("best").asDouble()) : "");
                } else if (camScored && j.path("miou").isNumber()) {
                    double d = 100 * (j.path("miou").asDouble() - cam.path("miou").asDouble());
                    h.append(d >= 0 ? " up" : " down").append("\">").append(signed(d)).append(" vs CAM");
                } else {
                    h.append("\">");
                }
                h.append("</td></tr>");
            });
            h.append("</table>\n");
            JsonNode rw = evals.get("rw");
            if (camScored && rw != null && rw.path("miou").isNumber()) {
                double gain = 100 * (rw.path("miou").asDouble() - cam.path("miou").asDouble());
                h.append("<p class=\"gain\" id=\"walk-gain\">Gain of the random walk over the CAMs: <b class=\"")
                        .append(gain >= 0 ? "up" : "down").append("\">").append(signed(gain))
                        .append("</b> mIoU points (").append(pct(cam.path("miou"))).append(" → ")
                        .append(pct(rw.path("miou"))).append(")</p>\n");
            }
        }
        if (!scored.isEmpty()) {
            List<ImageScore> s = scored.worstFirst();
            ImageScore worst = s.get(0);
            ImageScore best = s.get(s.size() - 1);
            h.append("<p class=\"what\">Per image (mIoU % of the ").append(scored.what())
                    .append(", <a href=\"#gallery-section\">gallery</a>): worst <a href=\"#img-")
                    .append(esc(worst.id())).append("\">").append(esc(worst.id())).append("</a> ")
                    .append(one(worst.miou())).append(", median ").append(one(median(s))).append(", best <a href=\"#img-")
                    .append(esc(best.id())).append("\">").append(esc(best.id())).append("</a> ").append(one(best.miou()))
                    .append(" of ").append(s.size()).append(" images</p>\n");
        }
        Optional<JsonNode> f = readJson(run.resolve("failures.json"));
        int failed = f.map(n -> n.isArray() ? n.size() : n.path("failures").size()).orElse(0);
        if (failed > 0) {
            h.append("<p class=\"warn\"><a href=\"#failures\">").append(failed)
                    .append(failed == 1 ? " failure</a>" : " failures</a>")
                    .append(" — images left out or not processed, listed below.</p>\n");
        }
        h.append("</section>\n");
    }

    /** run.json, collapsed at the end of the page. */
    private static void provenance(StringBuilder h, JsonNode runJson) {
        h.append("<h2>Provenance and config</h2>\n");
        if (runJson.isEmpty()) {
            h.append("<p>No run.json in this run folder.</p>\n");
            return;
        }
        h.append("<details id=\"provenance\"><summary>run.json: run, versions, timings</summary><table class=\"kv\">");
        for (Iterator<Map.Entry<String, JsonNode>> it = runJson.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode()) {
                row(h, e.getKey(), e.getValue().asText());
            }
        }
        h.append("</table></details>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = runJson.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                h.append("<details><summary>")
                        .append(esc(e.getKey())).append("</summary><table class=\"kv\">");
                Map<String, String> flat = new LinkedHashMap<>();
                flatten("", e.getValue(), flat);
                flat.forEach((k, v) -> row(h, k, v));
                h.append("</table></details>\n");
            }
        }
    }

    private static void metrics(StringBuilder h, Map<String, JsonNode> evals, ClassList classes) {
        h.append("<h2>Metrics in detail</h2>\n");
        if (evals.isEmpty()) {
            h.append("<p>No evaluations yet (eval/*.json); run <code>psa eval</code> first.</p>\n");
            return;
        }
        h.append("<table class=\"num\"><tr><th>stage</th><th>images</th><th>mIoU %</th><th>pixel acc %</th>")
                .append("<th>mean precision %</th><th>mean recall %</th><th>classes in mean</th>")
                .append("<th>best bg threshold</th><th>failures</th><th>eval s</th></tr>\n");
        evals.forEach((stage, j) -> {
            h.append("<tr><td class=\"l\">").append(esc(STAGE_TITLES.getOrDefault(stage, stage))).append("</td><td>")
                    .append(j.path("images").asLong()).append("</td><td class=\"b\">").append(pct(j.path("miou")))
                    .append("</td><td>").append(pct(j.path("pixelAccuracy"))).append("</td><td>")
                    .append(pct(j.path("meanPrecision"))).append("</td><td>").append(pct(j.path("meanRecall")))
                    .append("</td><td>").append(j.path("classesInMean").asInt()).append("</td><td>")
                    .append(j.has("sweep") ? String.format(Locale.ROOT, "%.2f", j.path("sweep").path("best").asDouble())
                            : "").append("</td><td>").append(j.path("failures").size()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", j.path("timings").path("seconds").asDouble()))
                    .append("</td></tr>\n");
        });
        h.append("</table>\n<h3>Per-class IoU %</h3>\n<table class=\"num\"><tr><th>class</th>");
        evals.keySet().forEach(s -> h.append("<th>").append(esc(s)).append("</th>"));
        h.append("</tr>\n");
        for (int c = 0; c < classes.size(); c++) {
            h.append("<tr><td class=\"l\">").append(c).append(" ").append(esc(classes.name(c))).append("</td>");
            for (JsonNode j : evals.values()) {
                h.append("<td>").append(pct(j.path("classes").path(c).path("iou"))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        evals.forEach((stage, j) -> {
            if (j.path("absentClasses").size() > 0) {
                List<String> absent = new ArrayList<>();
                j.path("absentClasses").forEach(n -> absent.add(n.asText()));
                h.append("<p class=\"note\">").append(esc(stage)).append(": classes absent from ground truth and")
                        .append(" prediction, left out of the mean: ").append(esc(String.join(", ", absent)))
                        .append("</p>\n");
            }
        });
    }

    /**
     * Per-class IoU bars, the CAM threshold curve, the per-image mIoU histogram and the trainings' loss curves,
     * side by side.
     */
    private static void charts(StringBuilder h, Path run, Map<String, JsonNode> evals, ClassList classes,
                               Scored scored) {
        Map<String, double[]> losses = trainingLosses(run);
        if (evals.isEmpty() && scored.isEmpty() && losses.isEmpty()) {
            return;
        }
        h.append("<h2>Charts</h2>\n<div class=\"charts\">");
        if (!evals.isEmpty()) {
            List<String> names = new ArrayList<>(classes.names());
            Map<String, double[]> series = new LinkedHashMap<>();
            evals.forEach((stage, j) -> {
                double[] v = new double[names.size()];
                for (int c = 0; c < v.length; c++) {
                    JsonNode iou = j.path("classes").path(c).path("iou");
                    v[c] = iou.isNumber() ? iou.asDouble() * 100 : Double.NaN;
                }
                series.put(SHORT_TITLES.getOrDefault(stage, stage), v);
            });
            h.append(Html.img(Charts.perClassIou(names, series), "per-class IoU", "chart"));
        }
        JsonNode cam = evals.get("cam");
        if (cam != null && cam.has("sweep")) {
            JsonNode sw = cam.get("sweep");
            int n = sw.path("thresholds").size();
            double[] t = new double[n];
            double[] m = new double[n];
            int best = 0;
            for (int i = 0; i < n; i++) {
                t[i] = sw.path("thresholds").path(i).asDouble();
                m[i] = sw.path("miou").path(i).asDouble(Double.NaN) * 100;
                if (t[i] == sw.path("best").asDouble()) {
                    best = i;
                }
            }
            h.append(Html.img(Charts.thresholdCurve(t, m, best), "CAM threshold curve", "chart"));
        }
        if (!scored.isEmpty()) {
            Map<String, double[]> perImage = new LinkedHashMap<>();
            if (!scored.cam().isEmpty()) {
                perImage.put("CAM prediction", scored.cam().values().stream().mapToDouble(s -> 100 * s.miou()).toArray());
            }
            perImage.put(scored.what(), scored.worstFirst().stream().mapToDouble(s -> 100 * s.miou()).toArray());
            h.append(Html.img(Charts.imageMiouHistogram(perImage), "per-image mIoU histogram", "chart"));
        }
        if (!losses.isEmpty()) {
            h.append(Html.img(Charts.lossCurves(losses), "training loss per epoch", "chart"));
        }
        h.append("</div>\n");
    }

    /** The mean loss of each epoch of each training in the run ({@code cls/}, {@code aff/}, {@code seg/metrics.json}). */
    static Map<String, double[]> trainingLosses(Path run) {
        Map<String, double[]> out = new LinkedHashMap<>();
        Map<String, String> networks = new LinkedHashMap<>();
        networks.put("cls", "classifier");
        networks.put("aff", "AffinityNet");
        networks.put("seg", "segmentation network");
        networks.forEach((dir, name) -> readJson(run.resolve(dir).resolve("metrics.json")).ifPresent(m -> {
            JsonNode epochs = m.path("epochs");
            double[] loss = new double[epochs.size()];
            for (int i = 0; i < loss.length; i++) {
                loss[i] = epochs.path(i).path("loss").asDouble(Double.NaN);
            }
            if (loss.length > 0) {
                out.put(name, loss);
            }
        }));
        return out;
    }

    private static void gallery(StringBuilder h, Path run, Optional<GroundTruth> gt, ClassList classes,
                                ReportConfig config, Scored scored) {
        if (config.gallerySize() == 0) {
            return;
        }
        h.append("<section id=\"gallery-section\">\n<h2>Gallery</h2>\n");
        Map<String, String> rows = new LinkedHashMap<>(); // id → why it is shown
        Map<String, ImageScore> byId = new LinkedHashMap<>();
        if (scored.isEmpty()) {
            galleryIds(run, gt, config.gallerySize()).forEach(id -> rows.put(id, ""));
        } else {
            for (GallerySelection.Pick p : GallerySelection.pick(scored.worstFirst(), config.gallerySize(), classes)) {
                rows.put(p.score().id(), p.reason());
                byId.put(p.score().id(), p.score());
            }
        }
        if (rows.isEmpty()) {
            h.append("<p>No per-image outputs (cam/, seeds/, rw/) yet.</p>\n</section>\n");
            return;
        }
        Map<String, ImageScore> cam = scored.cam();
        if (scored.isEmpty()) {
            h.append("<p class=\"note\">The first ").append(rows.size()).append(" images (nothing scored: per-image")
                    .append(" mIoU needs ground truth and pseudo labels or a CAM prediction).</p>\n");
        } else {
            int worstBest = (int) rows.values().stream().filter(r -> r.equals("worst") || r.equals("best")).count();
            int perClass = rows.size() - worstBest;
            h.append("<p class=\"note\">An image's mIoU is the mean IoU over the classes present in its ground truth")
                    .append(" or its prediction (ground-truth 255 ignored; a predicted 255 counts ")
                    .append(scored.unlabeled() == UnlabeledPrediction.BACKGROUND ? "as background" : "as a miss").append(", as in the stage's evaluation). Shown: the ")
                    .append((worstBest + 1) / 2).append(" worst and ").append(worstBest / 2).append(" best of ")
                    .append(scored.worstFirst().size()).append(" images by the mIoU of their ").append(scored.what());
            if (perClass > 0) {
                h.append(", and the image where each class fares worst when not among them (").append(perClass)
                        .append(" more)");
            }
            h.append(". Below each score, in gray, the ")
                    .append(cam.isEmpty() ? "classes in the ground truth." : "CAM prediction's mIoU.")
                    .append("</p>\n<p class=\"sort\">Sort: <select id=\"gallery-sort\">")
                    .append("<option value=\"worst\">worst first</option><option value=\"best\">best first</option>");
            if (!cam.isEmpty()) {
                h.append("<option value=\"gain\">most hurt by the walk first (pseudo labels − CAM)</option>");
            }
            TreeSet<Integer> present = new TreeSet<>();
            for (ImageScore sc : byId.values()) {
                for (int c = 0; c < sc.inTruth().length; c++) {
                    if (sc.inTruth()[c]) {
                        present.add(c);
                    }
                }
            }
            for (int c : present) {
                h.append("<option value=\"class:").append(c).append("\">by class: ").append(esc(classes.name(c)))
                        .append(" (worst first)</option>");
            }
            h.append("</select></p>\n");
        }
        h.append(Tiles.legendHtml(classes)).append('\n');
        h.append("<table class=\"gallery\" id=\"gallery\"><thead><tr><th>id</th><th>mIoU %<br>")
                .append(scored.isEmpty() ? "" : esc(scored.what()))
                .append(cam.isEmpty() ? "" : "<br><span class=\"note\">CAM</span>")
                .append("</th><th>image</th><th>CAM</th><th>seeds</th>")
                .append("<th>pseudo labels</th><th>ground truth</th></tr></thead><tbody>\n");
        rows.forEach((id, why) -> {
            ImageScore sc = byId.get(id);
            ImageScore cs = cam.get(id);
            h.append("<tr data-id=\"").append(esc(id)).append("\" id=\"img-").append(esc(id)).append('"');
            if (sc != null) {
                h.append(" data-miou=\"").append(String.format(Locale.ROOT, "%.6f", sc.miou())).append('"');
                if (cs != null) {
                    h.append(" data-cam=\"").append(String.format(Locale.ROOT, "%.6f", cs.miou())).append('"');
                }
                List<String> per = new ArrayList<>();
                for (int c = 0; c < sc.iou().length; c++) {
                    if (sc.inTruth()[c]) {
                        per.add(c + ":" + String.format(Locale.ROOT, "%.6f", sc.iou()[c]));
                    }
                }
                h.append(" data-iou=\"").append(String.join(",", per)).append('"');
            }
            idCell(h, id, sc, why, classes);
            h.append("</td><td class=\"score\">");
            if (sc != null) {
                h.append("<b>").append(one(sc.miou())).append("</b>");
            }
            if (cs != null) {
                h.append("<br><span class=\"note\">").append(one(cs.miou())).append("</span>");
            }
            h.append("</td>");
            Optional<BufferedImage> image = Optional.empty();
            try {
                image = gt.flatMap(g -> g.image(id)).map(ImageIo::toImage);
            } catch (RuntimeException e) {
                LOG.warn("report: image of {}: {}", id, e.getMessage());
            }
            Optional<BufferedImage> img = image;
            cell(h, id, "image", true, () -> img.map(i -> Tiles.thumb(i, config.thumbSize(), false)));
            cell(h, id, "CAM", true, () -> camTile(run.resolve("cam").resolve(id + ".npz"), id, img, config));
            cell(h, id, "seeds", false, () -> labelTile(run.resolve("seeds").resolve(id + ".png"), config));
            cell(h, id, "pseudo labels", false, () -> labelTile(run.resolve("rw").resolve(id + ".png"), config));
            cell(h, id, "ground truth", false, () -> gt.flatMap(g -> g.mask(id))
                    .map(m -> Tiles.thumb(Tiles.labels(m), config.thumbSize(), true)));
            h.append("</tr>\n");
        });
        h.append("</tbody></table>\n");
        List<ImageScore> all = scored.worstFirst();
        if (all.size() > rows.size()) {
            h.append("<details><summary>All ").append(all.size()).append(" images by the mIoU of their ")
                    .append(scored.what()).append(", worst first</summary><table class=\"num\"><tr><th>id</th>")
                    .append("<th>mIoU %</th>").append(cam.isEmpty() ? "" : "<th>CAM mIoU %</th>")
                    .append("<th>classes</th></tr>");
            all.stream().limit(MAX_LISTED).forEach(sc -> {
                ImageScore cs = cam.get(sc.id());
                h.append("<tr><td class=\"l\">").append(esc(sc.id())).append("</td><td>").append(one(sc.miou()))
                        .append("</td>").append(cam.isEmpty() ? "" : "<td>" + (cs == null ? "" : one(cs.miou())) + "</td>")
                        .append("<td class=\"l\">").append(esc(String.join(", ", truthClasses(sc, classes))))
                        .append("</td></tr>");
            });
            h.append("</table>").append(all.size() > MAX_LISTED ? "<p>… and " + (all.size() - MAX_LISTED)
                    + " more</p>" : "").append("</details>\n");
        }
        h.append("</section>\n");
    }

    /**
     * The segmentation network's split ({@code seg/pred/<id>.png}, e.g. VOC val): its worst and best
     * images by per-image mIoU (the main gallery's rule), or its first images without ground truth;
     * image | segmentation | ground truth. Nothing when the run has no {@code seg/pred/}.
     */
    private static void segGallery(StringBuilder h, Path run, Optional<GroundTruth> gt, ClassList classes,
                                   ReportConfig config, UnlabeledPrediction unlabeled) {
        Path pred = run.resolve("seg").resolve("pred");
        if (config.gallerySize() == 0 || !Files.isDirectory(pred)) {
            return;
        }
        TreeSet<String> stems = new TreeSet<>(stems(pred, ".png"));
        List<String> ids = new ArrayList<>();
        if (gt.isPresent() && !gt.get().ids().isEmpty()) {
            gt.get().ids().stream().filter(stems::contains).forEach(ids::add);
        }
        if (ids.isEmpty()) {
            ids.addAll(stems);
        }
        if (ids.isEmpty()) {
            return;
        }
        List<ImageScore> scores = new ArrayList<>();
        if (gt.isPresent()) {
            for (String id : ids) {
                try {
                    Optional<LabelMap> truth = gt.get().mask(id);
                    if (truth.isPresent()) {
                        ImageScore sc = ImageScore.of(id, LabelPng.read(pred.resolve(id + ".png")), truth.get(),
                                classes.size(), unlabeled);
                        if (!Double.isNaN(sc.miou())) {
                            scores.add(sc);
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.warn("report: seg/pred/{}.png: {}", id, e.getMessage());
                }
            }
        }
        scores.sort(Comparator.comparingDouble(ImageScore::miou).thenComparing(ImageScore::id));
        Map<String, String> rows = new LinkedHashMap<>();
        Map<String, ImageScore> byId = new LinkedHashMap<>();
        if (scores.isEmpty()) {
            ids.stream().limit(config.gallerySize()).forEach(id -> rows.put(id, ""));
        } else {
            for (GallerySelection.Pick p : GallerySelection.pick(scores, config.gallerySize(), classes)) {
                rows.put(p.score().id(), p.reason());
                byId.put(p.score().id(), p.score());
            }
        }
        String split = gt.map(GroundTruth::split).orElse("seg/pred");
        h.append("<section id=\"seg-gallery-section\">\n<h2>Segmentation network: ").append(esc(split))
                .append("</h2>\n<p class=\"note\">");
        if (scores.isEmpty()) {
            h.append("The first ").append(rows.size()).append(" of ").append(ids.size())
                    .append(" images the network segmented (no ground truth to score them).");
        } else {
            ImageScore worst = scores.get(0);
            ImageScore best = scores.get(scores.size() - 1);
            h.append("The images of ").append(esc(split)).append(" segmented by the trained network (seg/pred/), ")
                    .append("scored like the gallery above; shown: worst and best of ").append(scores.size())
                    .append(" images and the worst of each class. Worst ").append(esc(worst.id())).append(' ')
                    .append(one(worst.miou())).append(", median ").append(one(median(scores))).append(", best ")
                    .append(esc(best.id())).append(' ').append(one(best.miou())).append('.');
        }
        h.append("</p>\n<table class=\"gallery\" id=\"seg-gallery\"><thead><tr><th>id</th><th>mIoU %</th>")
                .append("<th>image</th><th>segmentation</th><th>ground truth</th></tr></thead><tbody>\n");
        rows.forEach((id, why) -> {
            ImageScore sc = byId.get(id);
            h.append("<tr data-id=\"").append(esc(id)).append("\" id=\"seg-img-").append(esc(id)).append('"');
            if (sc != null) {
                h.append(" data-miou=\"").append(String.format(Locale.ROOT, "%.6f", sc.miou())).append('"');
            }
            idCell(h, id, sc, why, classes);
            h.append("</td><td class=\"score\">").append(sc == null ? "" : "<b>" + one(sc.miou()) + "</b>").append("</td>");
            cell(h, id, "image", true, () -> gt.flatMap(g -> g.image(id)).map(ImageIo::toImage)
                    .map(i -> Tiles.thumb(i, config.thumbSize(), false)));
            cell(h, id, "segmentation", false, () -> labelTile(pred.resolve(id + ".png"), config));
            cell(h, id, "ground truth", false, () -> gt.flatMap(g -> g.mask(id))
                    .map(m -> Tiles.thumb(Tiles.labels(m), config.thumbSize(), true)));
            h.append("</tr>\n");
        });
        h.append("</tbody></table>\n</section>\n");
    }

    /** Opens a gallery row's first cell: the id, the classes in its ground truth, and why the row was picked. */
    private static void idCell(StringBuilder h, String id, ImageScore sc, String why, ClassList classes) {
        h.append("><td class=\"l\">").append(esc(id));
        if (sc != null) {
            h.append("<div class=\"cls\">").append(esc(String.join(", ", truthClasses(sc, classes))))
                    .append("</div>");
        }
        if (!why.isEmpty()) {
            h.append("<div class=\"why\">").append(esc(why)).append("</div>");
        }
    }

    private static List<String> truthClasses(ImageScore sc, ClassList classes) {
        List<String> names = new ArrayList<>();
        for (int c = 1; c < sc.inTruth().length && c < classes.size(); c++) {
            if (sc.inTruth()[c]) {
                names.add(classes.name(c));
            }
        }
        return names;
    }

    /**
     * Per-image scores of the label maps in {@code dir} against the ground truth, worst first (ties by
     * id); empty without ground truth or predictions. Images whose files cannot be read are skipped
     * with a line on {@code out}.
     */
    private static List<ImageScore> scores(Path dir, Optional<GroundTruth> gt, ClassList classes,
                                           UnlabeledPrediction unlabeled) {
        if (gt.isEmpty() || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<ImageScore> list = new ArrayList<>();
        for (String id : gt.get().ids()) {
            Path f = dir.resolve(id + ".png");
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                Optional<LabelMap> truth = gt.get().mask(id);
                if (truth.isPresent()) {
                    ImageScore sc = ImageScore.of(id, LabelPng.read(f), truth.get(), classes.size(), unlabeled);
                    if (!Double.isNaN(sc.miou())) {
                        list.add(sc);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("report: {}: {}", f, e.getMessage());
            }
        }
        list.sort(Comparator.comparingDouble(ImageScore::miou).thenComparing(ImageScore::id));
        return list;
    }

    /** A tile source; empty = nothing to show. */
    @FunctionalInterface
    private interface TileSource {
        Optional<BufferedImage> get();
    }

    /** One gallery cell: photos and heat maps as JPEG, label maps as PNG (exact palette colours). */
    private static void cell(StringBuilder h, String id, String what, boolean photo, TileSource source) {
        h.append("<td>");
        try {
            Optional<BufferedImage> t = source.get();
            if (t.isEmpty()) {
                h.append("<span class=\"none\">—</span>");
            } else if (photo) {
                h.append(Html.jpegImg(Tiles.jpeg(t.get(), TILE_QUALITY), what + " " + id, "tile"));
            } else {
                h.append(Html.img(Tiles.png(t.get()), what + " " + id, "tile"));
            }
        } catch (RuntimeException e) {
            h.append("<span class=\"err\">").append(esc(String.valueOf(e.getMessage()))).append("</span>");
        }
        h.append("</td>");
    }

    private static Optional<BufferedImage> labelTile(Path f, ReportConfig config) {
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(Tiles.thumb(Tiles.labels(LabelPng.read(f)), config.thumbSize(), true));
    }

    private static Optional<BufferedImage> camTile(Path f, String id, Optional<BufferedImage> image,
                                                   ReportConfig config) {
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        CamSet cams = CamFiles.read(f, id);
        int hh = cams.height();
        int ww = cams.width();
        float[] max = new float[hh * ww];
        if (cams.classIds().length > 0) {
            INDArray m = cams.cams().castTo(DataType.FLOAT).max(0);
            float[] v = m.dup('c').data().asFloat();
            System.arraycopy(v, 0, max, 0, max.length);
        }
        // CAMs at another size than the image: show them over gray rather than misaligned
        BufferedImage base = image.filter(b -> b.getWidth() == ww && b.getHeight() == hh).orElse(null);
        return Optional.of(Tiles.thumb(Tiles.heatmap(base, max, ww, hh, config.heatmapAlpha()), config.thumbSize(),
                false));
    }

    /** Without per-image scores: the first n images of the split, or of the run folder. */
    private static List<String> galleryIds(Path run, Optional<GroundTruth> gt, int n) {
        if (gt.isPresent() && !gt.get().ids().isEmpty()) {
            return gt.get().ids().stream().limit(n).toList();
        }
        TreeSet<String> ids = new TreeSet<>();
        ids.addAll(stems(run.resolve("cam"), ".npz"));
        ids.addAll(stems(run.resolve("seeds"), ".png"));
        ids.addAll(stems(run.resolve("rw"), ".png"));
        return ids.stream().limit(n).toList();
    }

    /** failures.json in full view when there are failures (first 200), a line when there are none. */
    private static void failures(StringBuilder h, Path run) {
        Optional<JsonNode> f = readJson(run.resolve("failures.json"));
        if (f.isEmpty()) {
            return;
        }
        JsonNode list = f.get().isArray() ? f.get() : f.get().path("failures");
        h.append("<h2 id=\"failures\">Failures (").append(list.size()).append(")</h2>\n");
        if (list.isEmpty()) {
            h.append("<p class=\"note\">None: no image was left out.</p>\n");
            return;
        }
        h.append("<table class=\"kv\">");
        int shown = 0;
        for (JsonNode n : list) {
            if (shown++ == 200) {
                h.append("<tr><td colspan=\"3\">… ").append(list.size() - 200).append(" more in failures.json</td></tr>");
                break;
            }
            h.append("<tr><td>").append(esc(n.path("id").asText())).append("</td><td>")
                    .append(esc(n.path("stage").asText())).append("</td><td>").append(esc(n.path("reason").asText()))
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static double median(List<ImageScore> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2).miou() : (sorted.get(n / 2 - 1).miou() + sorted.get(n / 2).miou()) / 2;
    }

    /** A fraction as a percentage with one decimal. */
    private static String one(double fraction) {
        return String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    /** Points with their sign (a true minus sign for losses). */
    private static String signed(double points) {
        String v = String.format(Locale.ROOT, "%.2f", Math.abs(points));
        return (points < 0 && !v.equals("0.00") ? "−" : "+") + v;
    }

    private static Map<String, JsonNode> readEvals(Path dir) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (String stem : stems(dir, ".json")) {
            readJson(dir.resolve(stem + ".json")).ifPresent(j -> found.put(stem, j));
        }
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        for (String s : STAGE_ORDER) {
            if (found.containsKey(s)) {
                ordered.put(s, found.remove(s));
            }
        }
        ordered.putAll(found);
        return ordered;
    }

    private static ClassList classesOf(Map<String, JsonNode> evals) {
        for (JsonNode j : evals.values()) {
            List<String> names = new ArrayList<>();
            j.path("classes").forEach(c -> names.add(c.path("name").asText()));
            if (names.size() >= 2) {
                return new ClassList(names);
            }
        }
        return ClassList.voc();
    }

    private static Optional<JsonNode> readJson(Path f) {
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EvalJson.mapper().readTree(Files.readAllBytes(f)));
        } catch (IOException e) {
            throw new PsaException(f + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> stems(Path dir, String ext) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ext) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ext.length())).sorted().toList();
        } catch (IOException e) {
            throw new PsaException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    private static String pct(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble() * 100) : "–";
    }


    private static final String CSS = "body{font-family:sans-serif;margin:16px 24px;color:#222;background:#fff}"
            + "h1{font-size:22px;margin:4px 0 8px}h1 .path{font-size:13px;font-weight:normal;margin-left:12px}"
            + "h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}"
            + ".path{color:#666;font-family:monospace}table{border-collapse:collapse;margin:8px 0}"
            + "td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px}th{background:#f3f3f3;text-align:left}"
            + "table.num td{text-align:right}table td.l{text-align:left}td.b{font-weight:bold}"
            + "table.kv td{font-family:monospace}.note{color:#555;font-size:13px}"
            + "table.gallery td{vertical-align:top;text-align:center}img.tile{display:block;image-rendering:auto}"
            + ".charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}"
            + "img.chart{max-width:100%;border:1px solid #eee}.none{color:#aaa}.err{color:#b00;font-size:12px}"
            + ".legend{margin:6px 0 10px}.sw{display:inline-block;margin:2px 10px 2px 0;font-size:12px}"
            + ".sw i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle;"
            + "border:1px solid #999}details{margin:6px 0}summary{cursor:pointer;font-weight:bold}"
            + "#headline{background:#f7f9fc;border:1px solid #d8e0ec;padding:2px 16px 8px;margin:8px 0}"
            + "#headline h2{border:none;margin:8px 0 4px}table.headline{margin:4px 0}table.headline th{font-size:16px;"
            + "background:none;border:none;padding:2px 16px 2px 0}table.headline td{border:none}"
            + "table.headline td.big{font-size:26px;font-weight:bold;text-align:right;padding:2px 0}"
            + "table.headline td.delta{font-size:14px;color:#555;padding-left:16px}.up{color:#1a7f37}"
            + ".down{color:#b3261e}table.headline td.up{color:#1a7f37}table.headline td.down{color:#b3261e}"
            + ".gain{font-size:16px;margin:6px 0}.what{color:#555;margin:6px 0}.warn{color:#a40}"
            + "td.score{font-size:15px}.cls{color:#555;font-size:12px;max-width:140px}.why{color:#a40;font-size:11px}"
            + ".sort select{font-size:14px}";

    /**
     * Sorts the gallery (worst first, best first, most hurt by the walk first, or by one class's IoU,
     * hiding images without that class) when the select box changes; {@code #sort=best} in the URL
     * selects an order through the same select box. Marks the body, once every image has loaded (or
     * failed), with the gallery order and the bottom edges of the headline and its mIoU values, for
     * headless checks.
     */
    private static final String SCRIPT = "<script>\n"
            + "function psaSort(how) {\n"
            + "  var body = document.querySelector('#gallery tbody');\n"
            + "  if (!body) { return; }\n"
            + "  var rows = Array.prototype.slice.call(body.rows);\n"
            + "  var cls = how.indexOf('class:') === 0 ? how.substring(6) : null;\n"
            + "  function num(r, a) { var v = r.getAttribute(a); return v === null ? NaN : parseFloat(v); }\n"
            + "  function key(r) {\n"
            + "    if (cls !== null) {\n"
            + "      var m = (r.getAttribute('data-iou') || '').split(',');\n"
            + "      for (var i = 0; i < m.length; i++) { var kv = m[i].split(':'); if (kv[0] === cls) {"
            + " return parseFloat(kv[1]); } }\n"
            + "      return NaN;\n"
            + "    }\n"
            + "    if (how === 'gain') { return num(r, 'data-miou') - num(r, 'data-cam'); }\n"
            + "    return num(r, 'data-miou');\n"
            + "  }\n"
            + "  rows.sort(function (a, b) {\n"
            + "    var ka = key(a), kb = key(b);\n"
            + "    if (isNaN(ka) !== isNaN(kb)) { return isNaN(ka) ? 1 : -1; }\n"
            + "    var d = how === 'best' ? kb - ka : ka - kb;\n"
            + "    if (d !== 0 && !isNaN(d)) { return d; }\n"
            + "    return a.getAttribute('data-id') < b.getAttribute('data-id') ? -1 : 1;\n"
            + "  });\n"
            + "  var order = [];\n"
            + "  rows.forEach(function (r) { body.appendChild(r); r.style.display = cls !== null && isNaN(key(r)) ?"
            + " 'none' : ''; if (r.style.display === '') { order.push(r.getAttribute('data-id')); } });\n"
            + "  document.body.setAttribute('data-gallery-order', order.join(','));\n"
            + "}\n"
            + "var sel = document.getElementById('gallery-sort');\n"
            + "if (sel) { sel.addEventListener('change', function () { psaSort(sel.value); }); }\n"
            + "window.addEventListener('load', function () {\n"
            + "  var m = /sort=([^&]+)/.exec(location.hash);\n"
            + "  if (sel) {\n"
            + "    if (m) { sel.value = decodeURIComponent(m[1]); sel.dispatchEvent(new Event('change')); }\n"
            + "    else { psaSort(sel.value); }\n"
            + "  }\n"
            + "  var hl = document.getElementById('headline');\n"
            + "  if (hl) { document.body.setAttribute('data-headline-bottom',"
            + " String(Math.round(hl.getBoundingClientRect().bottom))); }\n"
            + "  var big = document.querySelectorAll('#headline td.big'), low = 0;\n"
            + "  for (var j = 0; j < big.length; j++) { low = Math.max(low, big[j].getBoundingClientRect().bottom); }\n"
            + "  document.body.setAttribute('data-miou-count', String(big.length));\n"
            + "  document.body.setAttribute('data-miou-bottom', String(Math.round(low)));\n"
            + "  var imgs = document.images, ok = 0, bad = 0;\n"
            + "  for (var i = 0; i < imgs.length; i++) {\n"
            + "    if (imgs[i].complete && imgs[i].naturalWidth > 0) { ok++; } else { bad++; }\n"
            + "  }\n"
            + "  document.body.setAttribute('data-images-loaded', String(ok));\n"
            + "  document.body.setAttribute('data-images-failed', String(bad));\n"
            + "  document.body.setAttribute('data-report-ready', 'true');\n"
            + "});\n</script>\n";
}
