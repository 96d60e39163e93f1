package dev.psa.eval.report;

import static dev.psa.eval.report.internal.Html.esc;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import com.fasterxml.jackson.databind.JsonNode;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import dev.psa.eval.EvalJson;
import dev.psa.eval.report.internal.Charts;
import dev.psa.eval.report.internal.Html;

/**
 * The page of {@code psa sweep report NAME}: {@code <sweep>/report/index.html}, self-contained like the
 * run report (charts embedded as data URIs, no script or style from outside). A table of the variants,
 * best first, with the mIoU of the CAMs (at their best background threshold), seeds, pseudo labels and
 * — when a variant has {@code eval/seg.json} — the segmentation network; a heat map of the per-class IoU
 * of the last evaluated stage across variants; a chart of mIoU against each numeric grid key (one line
 * per value of the other keys); and what each variant cost: the seconds of the stages it computed and
 * the seconds the stages it took from the sweep's stage cache had cost (time saved).
 */
public final class SweepReport {
    /** Stages of the variant table, as eval/<stem>.json, with their column titles. */
    private static final Map<String, String> COLUMNS = columns();

    private static Map<String, String> columns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cam", "CAM");
        m.put("seeds", "seeds");
        m.put("rw", "pseudo labels");
        m.put("seg", "segmentation");
        return Collections.unmodifiableMap(m);
    }

    /**
     * One variant of the sweep.
     *
     * @param variant      its name (run folder name)
     * @param grid         its grid values, key → value
     * @param runDir       its run folder (eval/*.json are read from there)
     * @param status       done, failed or pending
     * @param error        why it failed (null otherwise)
     * @param secondsRun   seconds of the stages it computed
     * @param secondsSaved seconds the stages it took from the stage cache had cost
     * @param stages       stage id → how it got it (ran, shared, earlier)
     */
    public record Row(String variant, Map<String, String> grid, Path runDir, String status, String error,
                      double secondsRun, double secondsSaved, Map<String, String> stages) {
        public Row {
            requireNonNull(variant, "variant is null");
            grid = Collections.unmodifiableMap(new LinkedHashMap<>(grid));
            requireNonNull(runDir, "runDir is null");
            stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        }
    }

    /** A variant with its evaluations. */
    private record Scored(Row row, Map<String, JsonNode> evals) {
        double miou(String stage) {
            JsonNode j = evals.get(stage);
            return j != null && j.path("miou").isNumber() ? j.path("miou").asDouble() : Double.NaN;
        }
    }

    private SweepReport() {
    }

    /**
     * Writes the report.
     *
     * @param sweepDir    the sweep folder
     * @param name        the sweep's name
     * @param gridKeys    the grid keys, in the sweep's order
     * @param rows        the variants
     * @param wallSeconds wall time of the sweep command (all invocations)
     * @return the written {@code report/index.html}
     */
    public static Path write(Path sweepDir, String name, List<String> gridKeys, List<Row> rows, double wallSeconds) {
        requireNonNull(sweepDir, "sweepDir is null");
        List<Scored> scored = new ArrayList<>();
        for (Row r : rows) {
            scored.add(new Scored(r, evals(r.runDir())));
        }
        Set<String> stages = new LinkedHashSet<>();
        for (String s : COLUMNS.keySet()) {
            if (scored.stream().anyMatch(v -> v.evals().containsKey(s))) {
                stages.add(s);
            }
        }
        String last = stages.isEmpty() ? "rw" : new ArrayList<>(stages).get(stages.size() - 1);
        List<Scored> best = new ArrayList<>(scored);
        best.sort(Comparator.comparingDouble((Scored v) -> Double.isNaN(v.miou(last)) ? Double.MAX_VALUE
                : -v.miou(last)).thenComparing(v -> v.row().variant()));

        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>psa sweep ")
                .append(esc(name)).append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
        h.append("<h1>psa sweep ").append(esc(name)).append(" <span class=\"path\">")
                .append(esc(sweepDir.toAbsolutePath().normalize().toString())).append("</span></h1>\n");
        h.append("<p class=\"what\">").append(rows.size()).append(" variants over ")
                .append(esc(String.join(", ", gridKeys))).append("; mIoU % on each variant's evaluated split,")
                .append(" best first by ").append(esc(COLUMNS.getOrDefault(last, last))).append(" mIoU.</p>\n");
        table(h, gridKeys, best, stages, last);
        heatMap(h, best, last);
        charts(h, gridKeys, scored, last);
        time(h, best, wallSeconds);
        h.append("</body></html>\n");
        Path file = sweepDir.resolve("report").resolve("index.html");
        try {
            AtomicFiles.writeString(file, h.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void table(StringBuilder h, List<String> gridKeys, List<Scored> best, Set<String> stages,
            String last) {
        h.append("<h2>Variants</h2>\n<table class=\"num\" id=\"variants\"><tr><th>#</th>");
        gridKeys.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
        stages.forEach(s -> h.append("<th>").append(esc(COLUMNS.get(s))).append(" mIoU %</th>"));
        h.append("<th>status</th></tr>\n");
        int rank = 0;
        for (Scored v : best) {
            rank++;
            h.append("<tr data-variant=\"").append(esc(v.row().variant())).append("\"><td>").append(rank)
                    .append("</td>");
            gridKeys.forEach(k -> h.append("<td>").append(esc(v.row().grid().getOrDefault(k, ""))).append("</td>"));
            for (String s : stages) {
                h.append("<td class=\"").append(s.equals(last) ? "b" : "").append("\" data-stage=\"").append(s)
                        .append("\">").append(pct(v.miou(s))).append("</td>");
            }
            h.append("<td class=\"l\">").append(esc(v.row().status()))
                    .append(v.row().error() == null ? "" : ": " + esc(v.row().error())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<p class=\"note\">CAM: at its best constant background threshold; seeds: uncertain pixels count")
                .append(" for no class. Each variant's folder is a run folder with its own report")
                .append(" (<code>&lt;variant&gt;/report/index.html</code>).</p>\n");
    }

    /** Per-class IoU of the last stage, one row per variant; each class column coloured from its lowest to its highest value. */
    private static void heatMap(StringBuilder h, List<Scored> best, String last) {
        List<String> classes = new ArrayList<>();
        for (Scored v : best) {
            JsonNode j = v.evals().get(last);
            if (j != null && j.path("classes").size() > classes.size()) {
                classes.clear();
                j.path("classes").forEach(c -> classes.add(c.path("name").asText()));
            }
        }
        h.append("<h2>Per-class IoU across variants</h2>\n");
        if (classes.isEmpty()) {
            h.append("<p>No evaluations yet.</p>\n");
            return;
        }
        double[][] iou = new double[best.size()][classes.size()];
        for (int i = 0; i < best.size(); i++) {
            JsonNode j = best.get(i).evals().get(last);
            for (int c = 0; c < classes.size(); c++) {
                JsonNode n = j == null ? null : j.path("classes").path(c).path("iou");
                iou[i][c] = n != null && n.isNumber() ? n.asDouble() : Double.NaN;
            }
        }
        h.append("<p class=\"note\">IoU % of the ").append(esc(COLUMNS.getOrDefault(last, last)))
                .append(" per class; within each class, pale is its lowest value across the variants and dark")
                .append(" its highest.</p>\n<table class=\"num heat\" id=\"heatmap\"><tr><th>variant</th>");
        classes.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (int i = 0; i < best.size(); i++) {
            h.append("<tr><td class=\"l\">").append(esc(best.get(i).row().variant())).append("</td>");
            for (int c = 0; c < classes.size(); c++) {
                double lo = Double.NaN;
                double hi = Double.NaN;
                for (double[] r : iou) {
                    if (!Double.isNaN(r[c])) {
                        lo = Double.isNaN(lo) ? r[c] : Math.min(lo, r[c]);
                        hi = Double.isNaN(hi) ? r[c] : Math.max(hi, r[c]);
                    }
                }
                double x = iou[i][c];
                double t = Double.isNaN(x) || !(hi > lo) ? 0 : (x - lo) / (hi - lo);
                h.append("<td style=\"background:").append(Double.isNaN(x) ? "#fff" : green(t)).append(";color:")
                        .append(t > 0.6 ? "#fff" : "#222").append("\">").append(pct(x)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** mIoU of the last stage against each numeric grid key, one line per combination of the other keys. */
    private static void charts(StringBuilder h, List<String> gridKeys, List<Scored> scored, String last) {
        List<String> numeric = gridKeys.stream().filter(k -> numericValues(scored, k).size() >= 2).toList();
        h.append("<h2>mIoU against each numeric grid key</h2>\n");
        if (numeric.isEmpty()) {
            h.append("<p>No grid key with two or more numeric values.</p>\n");
            return;
        }
        h.append("<div class=\"charts\">");
        for (String key : numeric) {
            List<Double> xs = new ArrayList<>(numericValues(scored, key));
            Map<String, double[][]> series = new TreeMap<>();
            for (Scored v : scored) {
                List<String> others = new ArrayList<>();
                v.row().grid().forEach((k, val) -> {
                    if (!k.equals(key)) {
                        others.add(k + "=" + val);
                    }
                });
                String label = others.isEmpty() ? COLUMNS.getOrDefault(last, last) : String.join(", ", others);
                double[][] xy = series.computeIfAbsent(label, l -> {
                    double[][] a = new double[2][xs.size()];
                    for (int i = 0; i < xs.size(); i++) {
                        a[0][i] = xs.get(i);
                        a[1][i] = Double.NaN;
                    }
                    return a;
                });
                Optional<Double> x = number(v.row().grid().get(key));
                if (x.isPresent()) {
                    xy[1][xs.indexOf(x.get())] = 100 * v.miou(last);
                }
            }
            if (series.values().stream().allMatch(xy -> Arrays.stream(xy[1]).allMatch(Double::isNaN))) {
                continue;
            }
            h.append(Html.img(Charts.lines(COLUMNS.getOrDefault(last, last) + " mIoU vs " + key, key, "mIoU %",
                    series), "mIoU vs " + key, "chart"));
        }
        h.append("</div>\n");
    }

    private static void time(StringBuilder h, List<Scored> best, double wallSeconds) {
        h.append("<h2>Time</h2>\n<table class=\"num\" id=\"time\"><tr><th>variant</th><th>computed s</th>")
                .append("<th>shared s (saved)</th><th>stages computed / shared</th></tr>\n");
        double run = 0;
        double saved = 0;
        for (Scored v : best) {
            Row r = v.row();
            run += r.secondsRun();
            saved += r.secondsSaved();
            List<String> ran = new ArrayList<>();
            List<String> shared = new ArrayList<>();
            r.stages().forEach((s, how) -> (how.equals("shared") ? shared : ran).add(s));
            h.append("<tr><td class=\"l\">").append(esc(r.variant())).append("</td><td>").append(one(r.secondsRun()))
                    .append("</td><td>").append(one(r.secondsSaved())).append("</td><td class=\"l\">")
                    .append(esc(String.join(" ", ran))).append(shared.isEmpty() ? "" : " / shared: "
                            + esc(String.join(" ", shared))).append("</td></tr>\n");
        }
        h.append("<tr><th>all</th><td class=\"b\">").append(one(run)).append("</td><td class=\"b\">").append(one(saved))
                .append("</td><td></td></tr>\n</table>\n");
        h.append(String.format(Locale.ROOT, "<p id=\"saved\">The stages computed took %.0f s; run as independent runs"
                + " the variants would have computed %.0f s: sharing saved %.0f s (%.0f %%). Wall time of the sweep"
                + " command: %.0f s.</p>\n", run, run + saved, saved, run + saved > 0 ? 100 * saved / (run + saved) : 0,
                wallSeconds));
    }

    private static Set<Double> numericValues(List<Scored> scored, String key) {
        Set<Double> out = new TreeSet<>();
        for (Scored v : scored) {
            String s = v.row().grid().get(key);
            Optional<Double> x = number(s);
            if (x.isEmpty()) {
                return Set.of();
            }
            out.add(x.get());
        }
        return out;
    }

    private static Optional<Double> number(String s) {
        if (s == null) {
            return Optional.empty();
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, JsonNode> evals(Path runDir) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String s : COLUMNS.keySet()) {
            Path f = runDir.resolve("eval").resolve(s + ".json");
            if (Files.isRegularFile(f)) {
                try {
                    out.put(s, EvalJson.mapper().readTree(Files.readAllBytes(f)));
                } catch (IOException e) {
                    throw new PsaException(f + ": not valid JSON: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /** White to dark green. */
    private static String green(double t) {
        int r = (int) Math.round(247 + t * (0x1a - 247));
        int g = (int) Math.round(252 + t * (0x7f - 252));
        int b = (int) Math.round(245 + t * (0x37 - 245));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    private static String one(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static final String CSS = "body{font-family:sans-serif;margin:16px 24px;color:#222;background:#fff}"
            + "h1{font-size:22px;margin:4px 0 8px}h1 .path{font-size:13px;font-weight:normal;margin-left:12px}"
            + "h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}"
            + ".path{color:#666;font-family:monospace}table{border-collapse:collapse;margin:8px 0}"
            + "td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px}th{background:#f3f3f3;text-align:left}"
            + "table.num td{text-align:right}table td.l{text-align:left}td.b{font-weight:bold}"
            + ".note{color:#555;font-size:13px}.what{color:#555;margin:6px 0}"
            + ".charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}"
            + "img.chart{max-width:100%;border:1px solid #eee}";
}
