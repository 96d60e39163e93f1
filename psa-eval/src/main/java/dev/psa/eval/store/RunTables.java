package dev.psa.eval.store;

import static java.util.Objects.requireNonNull;

import dev.psa.api.PsaException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables of {@code psa runs list | show RUN | compare RUN RUN…}, as lines (the command prints them). A RUN is a store run id or a
 * run name (the newest run of that name). Percentages print with two decimals.
 */
public final class RunTables {
    private static final List<String> STAGE_ORDER = List.of("cam", "cam-pred", "seeds", "rw");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private RunTables() {
    }

    /** {@code psa runs list}: one line per run, newest first, with the latest mIoU of each stage. */
    public static List<String> list(ResultsStore store) {
        List<String> out = new ArrayList<>();
        requireNonNull(store, "store is null");
        List<StoredRun> runs = store.runs();
        if (runs.isEmpty()) {
            out.add("no runs in the results store " + store.url());
            return out;
        }
        Map<Long, Map<String, StoredResult>> latest = new LinkedHashMap<>();
        Set<String> stages = new LinkedHashSet<>();
        for (StoredRun r : runs) {
            Map<String, StoredResult> m = store.latestByStage(r.id());
            latest.put(r.id(), m);
            stages.addAll(m.keySet());
        }
        List<String> cols = orderStages(stages);
        int nameW = Math.max(4, runs.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%6s  %-" + nameW + "s  %-16s", "id",
                "name", "created"));
        for (String s : cols) {
            header.append(String.format(Locale.ROOT, "  %14s", s + " mIoU"));
        }
        out.add(String.valueOf(header));
        for (StoredRun r : runs) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d  %-" + nameW + "s  %-16s", r.id(),
                    r.name(), r.created() == null ? "" : TIME.format(r.created())));
            for (String s : cols) {
                StoredResult res = latest.get(r.id()).get(s);
                String cell = res == null ? "-" : pct(res.miou())
                        + (Double.isNaN(res.bestThreshold()) ? "" : String.format(Locale.ROOT, " @%.2f",
                        res.bestThreshold()));
                line.append(String.format(Locale.ROOT, "  %14s", cell));
            }
            out.add(String.valueOf(line));
        }
        return out;
    }

    /** {@code psa runs show RUN}: the run and, per stage, its latest evaluation with per-class IoU. */
    public static List<String> show(ResultsStore store, String run) {
        List<String> out = new ArrayList<>();
        requireNonNull(store, "store is null");
        StoredRun r = store.findRun(run);
        out.add("run " + r.id() + ": " + r.name());
        out.add("  key:     " + r.key());
        out.add("  path:    " + r.path());
        out.add("  created: " + r.created());
        Map<String, StoredResult> latest = store.latestByStage(r.id());
        if (latest.isEmpty()) {
            out.add("  no evaluations stored");
            return out;
        }
        for (String stage : orderStages(latest.keySet())) {
            StoredResult res = latest.get(stage);
            out.add("");
            out.add(String.format(Locale.ROOT, "stage %s (evaluated %s, %d images, %s / %s)", stage, res.recordedAt(),
                    res.images(), res.dataset(), res.split()));
            out.add(String.format(Locale.ROOT, "  config hash %s, components %s", res.configHash(), res.components()));
            out.add(String.format(Locale.ROOT, "  timings %s", res.timings()));
            if (!Double.isNaN(res.bestThreshold())) {
                out.add(String.format(Locale.ROOT, "  best CAM background threshold %.2f", res.bestThreshold()));
            }
            for (StoredResult.StoredClass c : res.classes()) {
                out.add(String.format(Locale.ROOT, "  %3d  %-14s %7s", c.classId(), c.name(),
                        Double.isNaN(c.iou()) ? "absent" : pct(c.iou())));
            }
            out.add(String.format(Locale.ROOT, "  pixel accuracy %s", pct(res.pixelAccuracy())));
            out.add("  mIoU: " + pct(res.miou()));
        }
        return out;
    }

    /**
     * {@code psa runs compare A B …}: per stage present in every run (or only {@code stage}), a
     * per-class IoU table with one column per run and the difference of each run to the first. A name
     * of a sweep ({@code psa sweep}) stands for its variants, listed first with their run ids.
     *
     * @throws PsaException when fewer than two runs are given, or no stage is common to all of them
     */
    public static List<String> compare(ResultsStore store, List<String> runs, Optional<String> stage) {
        List<String> out = new ArrayList<>();
        requireNonNull(store, "store is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(stage, "stage is null");
        // a sweep's name stands for its variants
        List<String> expanded = new ArrayList<>();
        List<String> legend = new ArrayList<>();
        for (String r : runs) {
            List<StoredSweepVariant> variants = r.chars().allMatch(Character::isDigit) ? List.of()
                    : store.sweepVariants(r);
            if (variants.isEmpty()) {
                expanded.add(r);
            } else {
                legend.add("sweep " + r + " (" + variants.get(0).path() + "): " + variants.size() + " variants");
                for (StoredSweepVariant v : variants) {
                    expanded.add(String.valueOf(v.runId()));
                    legend.add(String.format(Locale.ROOT, "  #%d  %s", v.runId(), v.variant()));
                }
            }
        }
        if (expanded.size() < 2) {
            throw new PsaException("psa runs compare needs at least two runs (ids or names) or a sweep name, got "
                    + runs);
        }
        if (!legend.isEmpty()) {
            out.addAll(legend);
            out.add("");
        }
        List<StoredRun> found = new ArrayList<>();
        List<Map<String, StoredResult>> latest = new ArrayList<>();
        for (String r : expanded) {
            StoredRun sr = store.findRun(r);
            found.add(sr);
            latest.add(store.latestByStage(sr.id()));
        }
        Set<String> common = new LinkedHashSet<>(latest.get(0).keySet());
        for (Map<String, StoredResult> m : latest) {
            common.retainAll(m.keySet());
        }
        if (stage.isPresent()) {
            if (!common.contains(stage.get())) {
                throw new PsaException("stage '" + stage.get() + "' is not evaluated in every run compared; stages in"
                        + " all of them: " + orderStages(common));
            }
            common = Set.of(stage.get());
        }
        if (common.isEmpty()) {
            throw new PsaException("runs " + expanded + " share no evaluated stage; evaluate the same stage in each");
        }
        for (String s : orderStages(common)) {
            compareStage(s, found, latest, out);
        }
        return out;
    }

    private static void compareStage(String stage, List<StoredRun> runs, List<Map<String, StoredResult>> latest,
                                     List<String> out) {
        List<StoredResult> res = latest.stream().map(m -> m.get(stage)).toList();
        out.add(String.format(Locale.ROOT, "stage %s: IoU %% per class; delta = run - %s", stage, label(runs.get(0))));
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-14s", "class"));
        for (int i = 0; i < runs.size(); i++) {
            h.append(String.format(Locale.ROOT, " %12s", label(runs.get(i))));
            if (i > 0) {
                h.append(String.format(Locale.ROOT, " %8s", "delta"));
            }
        }
        out.add(String.valueOf(h));
        // classes by id over the union (runs on different datasets may differ)
        Map<Integer, String> names = new TreeMap<>();
        for (StoredResult r : res) {
            r.classes().forEach(c -> names.putIfAbsent(c.classId(), c.name()));
        }
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            double[] v = new double[res.size()];
            for (int i = 0; i < res.size(); i++) {
                v[i] = res.get(i).classes().stream().filter(c -> c.classId() == e.getKey())
                        .mapToDouble(StoredResult.StoredClass::iou).findFirst().orElse(Double.NaN);
            }
            out.add(String.valueOf(row(e.getValue(), v)));
        }
        out.add(String.valueOf(row("mIoU", res.stream().mapToDouble(StoredResult::miou).toArray())));
        out.add(String.valueOf(row("pixel acc", res.stream().mapToDouble(StoredResult::pixelAccuracy).toArray())));
        out.add("");
    }

    private static String row(String name, double[] v) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s", name));
        for (int i = 0; i < v.length; i++) {
            sb.append(String.format(Locale.ROOT, " %12s", pct(v[i])));
            if (i > 0) {
                double d = v[i] - v[0];
                sb.append(String.format(Locale.ROOT, " %8s", Double.isNaN(d) ? "-"
                        : String.format(Locale.ROOT, "%+.2f", d * 100)));
            }
        }
        return sb.toString();
    }

    private static String label(StoredRun r) {
        String n = r.name().length() > 8 ? r.name().substring(0, 8) : r.name();
        return "#" + r.id() + " " + n;
    }

    private static List<String> orderStages(Set<String> stages) {
        List<String> out = new ArrayList<>();
        for (String s : STAGE_ORDER) {
            if (stages.contains(s)) {
                out.add(s);
            }
        }
        stages.stream().filter(s -> !STAGE_ORDER.contains(s)).sorted().forEach(out::add);
        return out;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v * 100);
    }
}
