package dev.psa.eval.report;

import static dev.psa.eval.report.internal.Html.esc;
import static java.util.Objects.requireNonNull;

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
import dev.psa.eval.report.internal.Charts;
import dev.psa.eval.report.internal.Html;
import dev.psa.eval.report.internal.ImageScore;
import dev.psa.eval.report.internal.Tiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
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
 * page (every chart and image embedded as a base64 PNG data URI, no script or style from outside)
 * with the run's provenance (run.json), a metric table per evaluated stage (eval/*.json), the
 * per-class IoU bar chart, the CAM background-threshold curve, and a gallery of the first images:
 * image, CAM heat map overlay, seeds, pseudo labels and ground truth side by side in the VOC
 * palette. When every image has loaded the page marks {@code <body data-report-ready="true"
 * data-images-loaded="N" data-images-failed="0">} (checked by the headless-browser test).
 */
public final class RunReport {
    private static final List<String> STAGE_ORDER = List.of("cam", "cam-pred", "seeds", "rw");
    private static final Map<String, String> STAGE_TITLES = Map.of("cam", "CAM (threshold sweep)", "cam-pred",
            "CAM prediction", "seeds", "seeds", "rw", "pseudo labels (random walk)");

    private RunReport() {
    }

    /**
     * Writes the report of a run folder.
     *
     * @param runDir the run folder (CONTRACTS.md layout)
     * @param gt     the run's dataset split, for images and ground truth in the gallery (without it
     *               the gallery shows what the run folder holds, CAMs over gray)
     * @param config gallery size, tile size, heat-map opacity
     * @param out    progress lines
     * @return the written {@code report/index.html}
     * @throws PsaException naming the folder when it is not a run folder
     */
    public static Path write(Path runDir, Optional<GroundTruth> gt, ReportConfig config, PrintStream out) {
        requireNonNull(runDir, "runDir is null");
        requireNonNull(gt, "gt is null");
        requireNonNull(config, "config is null");
        requireNonNull(out, "out is null");
        Path run = runDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(run)) {
            throw new PsaException(run + ": run folder not found");
        }
        JsonNode runJson = readJson(run.resolve("run.json")).orElse(EvalJson.mapper().createObjectNode());
        Map<String, JsonNode> evals = readEvals(run.resolve("eval"));
        ClassList classes = gt.map(GroundTruth::classes).orElseGet(() -> classesOf(evals));

        StringBuilder h = new StringBuilder(1 << 20);
        String name = runJson.path("name").asText(run.getFileName() == null ? run.toString() : run.getFileName().toString());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>psa report: ").append(esc(name)).append("</title>\n<style>").append(CSS)
                .append("</style></head>\n<body data-report-ready=\"false\">\n");
        h.append("<h1>psa run ").append(esc(name)).append("</h1>\n<p class=\"path\">").append(esc(run.toString()))
                .append("</p>\n");
        headline(h, evals, runJson, run);
        charts(h, evals, classes);
        gallery(h, run, gt, classes, config, out);
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
        out.println("wrote " + file + " (" + (h.length() / 1024) + " KiB)");
        return file;
    }

    /**
     * The first thing on the page: mIoU of every evaluated stage, the walk's gain over the CAMs,
     * what was evaluated, and how many images failed.
     */
    private static void headline(StringBuilder h, Map<String, JsonNode> evals, JsonNode runJson, Path run) {
        h.append("<section id=\"headline\">\n<h2>Results</h2>\n");
        if (evals.isEmpty()) {
            h.append("<p>No evaluations yet (eval/*.json): run <code>psa eval</code> or the eval stage.</p>\n");
        } else {
            JsonNode first = evals.values().iterator().next();
            h.append("<p class=\"what\">mIoU on ").append(esc(first.path("dataset").asText("?"))).append(" / ")
                    .append(esc(first.path("split").asText("?"))).append(", ").append(first.path("images").asLong())
                    .append(" images").append(runJson.path("components").has("backbone") ? ", backbone "
                            + esc(runJson.path("components").path("backbone").asText()) : "").append("</p>\n");
            h.append("<table class=\"headline\">");
            evals.forEach((stage, j) -> h.append("<tr><th>").append(esc(STAGE_TITLES.getOrDefault(stage, stage)))
                    .append("</th><td class=\"big\" data-stage=\"").append(esc(stage)).append("\">")
                    .append(pct(j.path("miou"))).append("</td></tr>"));
            h.append("</table>\n");
            JsonNode cam = evals.get("cam");
            JsonNode rw = evals.get("rw");
            if (cam != null && rw != null && cam.path("miou").isNumber() && rw.path("miou").isNumber()) {
                double gain = 100 * (rw.path("miou").asDouble() - cam.path("miou").asDouble());
                h.append("<p class=\"gain\" id=\"walk-gain\">The random walk ").append(gain >= 0 ? "gains " : "loses ")
                        .append(String.format(Locale.ROOT, "%.2f", Math.abs(gain)))
                        .append(" mIoU points over the CAMs (at their best background threshold).</p>\n");
            }
        }
        Optional<JsonNode> f = readJson(run.resolve("failures.json"));
        int failed = f.map(n -> n.isArray() ? n.size() : n.path("failures").size()).orElse(0);
        if (failed > 0) {
            h.append("<p class=\"warn\"><a href=\"#failures\">").append(failed)
                    .append(" failures</a> — images left out or not processed, listed below.</p>\n");
        }
        h.append("</section>\n");
    }

    /** run.json, collapsed at the end of the page. */
    private static void provenance(StringBuilder h, JsonNode runJson) {
        h.append("<h2>Provenance</h2>\n");
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

    private static void charts(StringBuilder h, Map<String, JsonNode> evals, ClassList classes) {
        if (evals.isEmpty()) {
            return;
        }
        h.append("<h2>Charts</h2>\n");
        List<String> names = new ArrayList<>(classes.names());
        Map<String, double[]> series = new LinkedHashMap<>();
        evals.forEach((stage, j) -> {
            double[] v = new double[names.size()];
            for (int c = 0; c < v.length; c++) {
                JsonNode iou = j.path("classes").path(c).path("iou");
                v[c] = iou.isNumber() ? iou.asDouble() * 100 : Double.NaN;
            }
            series.put(stage, v);
        });
        h.append("<div>").append(Html.img(Charts.perClassIou(names, series), "per-class IoU", "chart")).append("</div>\n");
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
            h.append("<div>").append(Html.img(Charts.thresholdCurve(t, m, best), "CAM threshold curve", "chart"))
                    .append("</div>\n");
        }
    }

    private static void gallery(StringBuilder h, Path run, Optional<GroundTruth> gt, ClassList classes,
                                ReportConfig config, PrintStream out) {
        if (config.gallerySize() == 0) {
            return;
        }
        List<ImageScore> scores = scores(run.resolve("rw"), gt, classes, out);
        Map<String, ImageScore> camScores = new LinkedHashMap<>();
        scores(run.resolve("cam-pred"), gt, classes, out).forEach(sc -> camScores.put(sc.id(), sc));
        List<String> ids = galleryIds(run, gt, scores, config.gallerySize());
        Map<String, ImageScore> byId = new LinkedHashMap<>();
        scores.forEach(sc -> byId.put(sc.id(), sc));

        h.append("<h2>Gallery</h2>\n");
        if (ids.isEmpty()) {
            h.append("<p>No per-image outputs (cam/, seeds/, rw/) yet.</p>\n");
            return;
        }
        if (!scores.isEmpty()) {
            h.append("<p class=\"note\">The ").append((ids.size() + 1) / 2).append(" worst and ").append(ids.size() / 2)
                    .append(" best of ").append(scores.size()).append(" images by the mIoU of their pseudo labels")
                    .append(" (mean IoU over the classes in the image's ground truth or prediction; 255 in the ground")
                    .append(" truth ignored). Sort: <select id=\"gallery-sort\"><option value=\"worst\">worst first")
                    .append("</option><option value=\"best\">best first</option>");
            TreeSet<Integer> present = new TreeSet<>();
            for (String id : ids) {
                ImageScore sc = byId.get(id);
                for (int c = 0; sc != null && c < sc.inTruth().length; c++) {
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
        h.append("<table class=\"gallery\" id=\"gallery\"><thead><tr><th>id</th><th>mIoU %<br>pseudo labels")
                .append("<br><span class=\"note\">CAM</span></th><th>image</th><th>CAM</th><th>seeds</th>")
                .append("<th>pseudo labels</th><th>ground truth</th></tr></thead><tbody>\n");
        for (String id : ids) {
            ImageScore sc = byId.get(id);
            h.append("<tr data-id=\"").append(esc(id)).append('"');
            if (sc != null) {
                h.append(" data-miou=\"").append(String.format(Locale.ROOT, "%.6f", sc.miou())).append("\" data-iou=\"");
                List<String> per = new ArrayList<>();
                for (int c = 0; c < sc.iou().length; c++) {
                    if (sc.inTruth()[c]) {
                        per.add(c + ":" + String.format(Locale.ROOT, "%.6f", sc.iou()[c]));
                    }
                }
                h.append(String.join(",", per)).append('"');
            }
            h.append("><td class=\"l\">").append(esc(id)).append("</td><td class=\"score\">");
            if (sc != null) {
                h.append("<b>").append(String.format(Locale.ROOT, "%.1f", 100 * sc.miou())).append("</b>");
            }
            ImageScore cs = camScores.get(id);
            if (cs != null) {
                h.append("<br><span class=\"note\">").append(String.format(Locale.ROOT, "%.1f", 100 * cs.miou()))
                        .append("</span>");
            }
            h.append("</td>");
            Optional<BufferedImage> image = Optional.empty();
            try {
                image = gt.flatMap(g -> g.image(id)).map(ImageIo::toImage);
            } catch (RuntimeException e) {
                out.println("report: image of " + id + ": " + e.getMessage());
            }
            Optional<BufferedImage> img = image;
            cell(h, id, "image", () -> img.map(i -> Tiles.thumb(i, config.thumbSize(), false)));
            cell(h, id, "CAM", () -> camTile(run.resolve("cam").resolve(id + ".npz"), id, img, config));
            cell(h, id, "seeds", () -> labelTile(run.resolve("seeds").resolve(id + ".png"), config));
            cell(h, id, "pseudo labels", () -> labelTile(run.resolve("rw").resolve(id + ".png"), config));
            cell(h, id, "ground truth", () -> gt.flatMap(g -> g.mask(id))
                    .map(m -> Tiles.thumb(Tiles.labels(m), config.thumbSize(), true)));
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
        if (scores.size() > ids.size()) {
            h.append("<details><summary>All ").append(scores.size()).append(" images by mIoU of their pseudo labels")
                    .append("</summary><table class=\"num\"><tr><th>id</th><th>mIoU %</th><th>CAM mIoU %</th></tr>");
            scores.stream().limit(MAX_LISTED).forEach(sc -> {
                ImageScore cs = camScores.get(sc.id());
                h.append("<tr><td class=\"l\">").append(esc(sc.id())).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.1f", 100 * sc.miou())).append("</td><td>")
                        .append(cs == null ? "" : String.format(Locale.ROOT, "%.1f", 100 * cs.miou())).append("</td></tr>");
            });
            h.append("</table>").append(scores.size() > MAX_LISTED ? "<p>… and " + (scores.size() - MAX_LISTED)
                    + " more</p>" : "").append("</details>\n");
        }
    }

    /** Images listed in the "all images" table at most. */
    private static final int MAX_LISTED = 5000;

    /**
     * Per-image scores of the label maps in {@code dir} against the ground truth, worst first (ties by
     * id); empty without ground truth or predictions. Images whose files cannot be read are skipped
     * with a line on {@code out}.
     */
    private static List<ImageScore> scores(Path dir, Optional<GroundTruth> gt, ClassList classes, PrintStream out) {
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
                    ImageScore sc = ImageScore.of(id, LabelPng.read(f), truth.get(), classes.size());
                    if (!Double.isNaN(sc.miou())) {
                        list.add(sc);
                    }
                }
            } catch (RuntimeException e) {
                out.println("report: " + f + ": " + e.getMessage());
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

    private static void cell(StringBuilder h, String id, String what, TileSource source) {
        h.append("<td>");
        try {
            Optional<BufferedImage> t = source.get();
            if (t.isEmpty()) {
                h.append("<span class=\"none\">—</span>");
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

    /**
     * The gallery: with per-image scores, the worst ⌈n/2⌉ and the best ⌊n/2⌋ images (worst first);
     * otherwise the first n images of the split or of the run folder.
     */
    private static List<String> galleryIds(Path run, Optional<GroundTruth> gt, List<ImageScore> scores, int n) {
        if (!scores.isEmpty()) {
            List<String> ids = new ArrayList<>();
            int worst = Math.min(scores.size(), (n + 1) / 2);
            for (int i = 0; i < worst; i++) {
                ids.add(scores.get(i).id());
            }
            int best = Math.min(scores.size() - worst, n / 2);
            for (int i = scores.size() - best; i < scores.size(); i++) {
                ids.add(scores.get(i).id());
            }
            return ids;
        }
        if (gt.isPresent() && !gt.get().ids().isEmpty()) {
            return gt.get().ids().stream().limit(n).toList();
        }
        TreeSet<String> ids = new TreeSet<>();
        ids.addAll(stems(run.resolve("cam"), ".npz"));
        ids.addAll(stems(run.resolve("seeds"), ".png"));
        ids.addAll(stems(run.resolve("rw"), ".png"));
        return ids.stream().limit(n).toList();
    }

    private static void failures(StringBuilder h, Path run) {
        Optional<JsonNode> f = readJson(run.resolve("failures.json"));
        if (f.isEmpty()) {
            return;
        }
        JsonNode list = f.get().isArray() ? f.get() : f.get().path("failures");
        h.append("<h2 id=\"failures\">Failures (").append(list.size()).append(")</h2>\n<table class=\"kv\">");
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
            return Optional.of(EvalJson.mapper().readTree(f.toFile()));
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

    private static final String CSS = "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}"
            + "h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}"
            + ".path{color:#666;font-family:monospace}table{border-collapse:collapse;margin:8px 0}"
            + "td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px}th{background:#f3f3f3;text-align:left}"
            + "table.num td{text-align:right}table td.l{text-align:left}td.b{font-weight:bold}"
            + "table.kv td{font-family:monospace}.note{color:#555;font-size:13px}"
            + "table.gallery td{vertical-align:top;text-align:center}img.tile{display:block;image-rendering:auto}"
            + "img.chart{max-width:100%;border:1px solid #eee}.none{color:#aaa}.err{color:#b00;font-size:12px}"
            + ".legend{margin:6px 0 10px}.sw{display:inline-block;margin:2px 10px 2px 0;font-size:12px}"
            + ".sw i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle;"
            + "border:1px solid #999}details{margin:6px 0}summary{cursor:pointer;font-weight:bold}"
            + "#headline{background:#f7f9fc;border:1px solid #d8e0ec;padding:4px 16px 10px;margin:12px 0}"
            + "#headline h2{border:none;margin-top:10px}table.headline th{font-size:16px;background:none;border:none;"
            + "padding:4px 16px 4px 0}table.headline td.big{font-size:26px;font-weight:bold;border:none;"
            + "text-align:right;padding:2px 0}.gain{font-size:16px}.what{color:#555}.warn{color:#a40}"
            + "td.score{font-size:15px}";

    /**
     * Sorts the gallery (worst first, best first, or by one class's IoU, hiding images without that
     * class; the select box or {@code #sort=best} in the URL) and marks the body once every image
     * has loaded (or failed), with the gallery order and the headline's bottom edge, for headless checks.
     */
    private static final String SCRIPT = "<script>\n"
            + "function psaSort(how) {\n"
            + "  var body = document.querySelector('#gallery tbody');\n"
            + "  if (!body) { return; }\n"
            + "  var rows = Array.prototype.slice.call(body.rows);\n"
            + "  var cls = how.indexOf('class:') === 0 ? how.substring(6) : null;\n"
            + "  function key(r) {\n"
            + "    if (cls === null) { return parseFloat(r.getAttribute('data-miou')); }\n"
            + "    var m = (r.getAttribute('data-iou') || '').split(',');\n"
            + "    for (var i = 0; i < m.length; i++) { var kv = m[i].split(':'); if (kv[0] === cls) {"
            + " return parseFloat(kv[1]); } }\n"
            + "    return NaN;\n"
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
            + "  if (sel) { if (m) { sel.value = decodeURIComponent(m[1]); } psaSort(sel.value); }\n"
            + "  var hl = document.getElementById('headline');\n"
            + "  if (hl) { document.body.setAttribute('data-headline-bottom',"
            + " String(Math.round(hl.getBoundingClientRect().bottom))); }\n"
            + "  var imgs = document.images, ok = 0, bad = 0;\n"
            + "  for (var i = 0; i < imgs.length; i++) {\n"
            + "    if (imgs[i].complete && imgs[i].naturalWidth > 0) { ok++; } else { bad++; }\n"
            + "  }\n"
            + "  document.body.setAttribute('data-images-loaded', String(ok));\n"
            + "  document.body.setAttribute('data-images-failed', String(bad));\n"
            + "  document.body.setAttribute('data-report-ready', 'true');\n"
            + "});\n</script>\n";
}
