package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.AtomicFiles;
import dev.psa.eval.store.ResultsStore;
import dev.psa.eval.store.RunTables;
import dev.psa.eval.store.StoreConfig;
import dev.psa.eval.store.StoredSweepVariant;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.pipeline.Stage;

/**
 * Issue 21's example on the demo preset (shrunk to 30 images of 64 px and short trainings, which keeps
 * every stage and the sharing the same): {@code psa sweep --preset demo --grid rw.beta=4,8,16 --grid
 * rw.radius=2,3} — killed twice (after the stage cache kept the seeds' files but before the entry
 * appeared; in the third walk) and run again until it ends. Across the three invocations the classifier
 * is trained once, CAMs and seeds computed once, AffinityNet trained twice (the radius grid sets the
 * tied aff.radius) and the walk run six times, as the stage records of the six run folders show; no
 * stage finished by an earlier invocation is computed again; the report lists six variants with their
 * mIoU; the results store knows the sweep.
 */
class SweepIT {
    @TempDir
    Path dir;

    /** The demo preset, smaller: what the sweep shares does not depend on the sizes. */
    private static final List<String> SHRINK = List.of("data.shapes.count=30", "data.shapes.size=64", "cls.crop=64",
            "cls.resize-min=56", "cls.resize-max=72", "cls.epochs=2", "cls.batch-size=8", "aff.crop=64",
            "aff.epochs=1", "aff.batch-size=8");
    /** Training images of the shrunk demo (80 % of 30). */
    private static final int IMAGES = 24;
    private static final Pattern COMPUTED = Pattern.compile("^\\[([^\\]]+)\\] \\[([a-z-]+)\\] \\d+\\.\\d s", Pattern.MULTILINE);
    private static final List<String> VARIANTS = List.of("rw.beta=4,rw.radius=2", "rw.beta=8,rw.radius=2",
            "rw.beta=16,rw.radius=2", "rw.beta=4,rw.radius=3", "rw.beta=8,rw.radius=3", "rw.beta=16,rw.radius=3");

    @Test
    void betaByRadiusSharesEveryUnchangedStageAndSurvivesKills() throws Exception {
        Path logs = dir.resolve("logs");
        Path store = dir.resolve("store").resolve("results");
        List<String> args = new ArrayList<>(List.of("sweep", "--preset", "demo"));
        for (String kv : SHRINK) {
            args.addAll(List.of("--set", kv));
        }
        args.addAll(List.of("--set", "store.url=" + StoreConfig.h2File(store).url(), "--grid", "rw.beta=4,8,16",
                "--grid", "rw.radius=2,3", "--name", "demo-grid", "--out", dir.resolve("runs").toString()));
        String[] cmd = args.toArray(String[]::new);
        Path sweep = dir.resolve("runs").resolve("demo-grid");

        // 1: halted right after the stage cache wrote the seeds' entry, before the entry folder is renamed
        ChildPsa first = ChildPsa.run(logs, List.of("-D" + AtomicFiles.HALT_AFTER_WRITE
                + "=/\\.stages/[^/]+/[^/]+\\.tmp-[^/]+/entry\\.json$:3"), cmd);
        double s1 = first.seconds();
        assertThat(first.exit()).as(first.output()).isEqualTo(AtomicFiles.HALT_EXIT);
        Map<String, Integer> c1 = computed(first.out());
        // (the seeds finished, but the halt came before their line)
        assertThat(only(c1, SHARED_WORK)).as(first.out()).isEqualTo(Map.of("train-cls", 1, "cams", 1));
        assertThat(new RunFolder(sweep.resolve(VARIANTS.get(0))).state(Stage.SEEDS))
                .hasValueSatisfying(s -> assertThat(s.done()).isTrue());
        assertThat(entries(sweep, "seeds")).as("no seeds entry yet").isEmpty();

        // 2: halted in the third variant's walk
        ChildPsa second = ChildPsa.run(logs, List.of("-D" + AtomicFiles.HALT_AFTER_WRITE + "=/rw/[^/]+\\.png$:"
                + (2 * IMAGES + 5)), cmd);
        double s2 = second.seconds();
        assertThat(second.exit()).as(second.output()).isEqualTo(AtomicFiles.HALT_EXIT);
        Map<String, Integer> c2 = computed(second.out());
        assertThat(only(c2, SHARED_WORK)).as("nothing the first invocation finished is computed again\n"
                + second.out()).isEqualTo(Map.of("train-aff", 2, "walk", 2));
        assertThat(second.out()).contains("[" + VARIANTS.get(1) + "] [seeds] not run: shared");

        // 3: to the end
        ChildPsa last = ChildPsa.run(logs, List.of(), cmd);
        double s3 = last.seconds();
        assertThat(last.exit()).as(last.output()).isZero();
        Map<String, Integer> c3 = computed(last.out());
        assertThat(only(c3, SHARED_WORK)).as("the walks finished before are not computed again\n" + last.out())
                .isEqualTo(Map.of("walk", 4));
        assertThat(c3).containsEntry("eval", 6).containsEntry("report", 6);
        assertThat(last.out()).contains("[" + VARIANTS.get(2) + "] [walk] resuming");
        System.out.printf("sweep: %.1f s + %.1f s + %.1f s over three invocations%n", s1, s2, s3);

        // the stage records of the six run folders: distinct fingerprints per stage
        Map<String, Set<String>> fingerprints = new TreeMap<>();
        for (String v : VARIANTS) {
            RunFolder run = new RunFolder(sweep.resolve(v));
            for (Stage s : Stage.values()) {
                RunFolder.StageState st = run.state(s).orElseThrow(() -> new AssertionError(v + " lacks " + s.id()));
                assertThat(st.done()).as(v + " " + s.id()).isTrue();
                fingerprints.computeIfAbsent(s.id(), k -> new HashSet<>()).add(st.fingerprint());
            }
            assertThat(Files.isSameFile(run.resolve("cls/model.npz"), sweep.resolve(VARIANTS.get(0)).resolve("cls/model.npz")))
                    .as("the classifier of " + v + " is the one trained (a hard link)").isTrue();
            JsonNode cfg = RunFiles.JSON.readTree(run.resolve("run.json").toFile()).path("config");
            assertThat(cfg.path("aff.radius").asText()).isEqualTo(cfg.path("rw.radius").asText());
        }
        Map<String, Integer> distinct = new TreeMap<>();
        fingerprints.forEach((s, f) -> distinct.put(s, f.size()));
        assertThat(only(distinct, SHARED_WORK)).isEqualTo(EXPECTED);
        assertThat(distinct).containsEntry("eval", 6).containsEntry("report", 6);
        for (String s : List.of("train-cls", "cams", "seeds", "train-aff", "walk")) {
            assertThat(entries(sweep, s)).as("stage cache entries of " + s).hasSize(distinct.get(s));
        }
        // the sweep's record: which variant computed each stage
        JsonNode ledger = RunFiles.JSON.readTree(sweep.resolve("sweep.json").toFile());
        Map<String, Integer> ran = new TreeMap<>();
        ledger.path("variants").forEach(v -> {
            assertThat(v.path("status").asText()).isEqualTo("done");
            v.path("stages").fields().forEachRemaining(e -> {
                if (e.getValue().path("how").asText().equals("ran")) {
                    ran.merge(e.getKey(), 1, Integer::sum);
                }
            });
        });
        assertThat(only(ran, SHARED_WORK)).isEqualTo(EXPECTED);
        assertThat(ran).containsEntry("eval", 6).containsEntry("report", 6);

        // the report: six variants, each with its numbers
        Matcher rep = Pattern.compile("(?m)^report: (.+)$").matcher(last.out());
        assertThat(rep.find()).as(last.out()).isTrue();
        String html = Files.readString(Path.of(rep.group(1)));
        Matcher rows = Pattern.compile("<tr data-variant=\"([^\"]+)\">.*?data-stage=\"cam\">(\\d+\\.\\d\\d)<.*?"
                + "data-stage=\"seeds\">(\\d+\\.\\d\\d)<.*?data-stage=\"rw\">(\\d+\\.\\d\\d)<").matcher(html);
        List<String> listed = new ArrayList<>();
        double previous = Double.MAX_VALUE;
        // best first by the last stage's mIoU: the segmentation network's when the variants have one
        Pattern segCell = Pattern.compile("data-stage=\"seg\">(\\d+\\.\\d\\d)<");
        while (rows.find()) {
            listed.add(rows.group(1));
            double rw = Double.parseDouble(rows.group(4));
            String row = html.substring(rows.start(), html.indexOf("</tr>", rows.start()));
            Matcher seg = segCell.matcher(row);
            double key = seg.find() ? Double.parseDouble(seg.group(1)) : rw;
            assertThat(key).as("best first").isLessThanOrEqualTo(previous);
            previous = key;
            JsonNode eval = RunFiles.evalSummary(sweep.resolve(rows.group(1)));
            assertThat(rw).isCloseTo(100 * eval.path("rw-miou").asDouble(), within(0.0051));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(VARIANTS);
        assertThat(html).contains("alt=\"mIoU vs rw.beta\"", "alt=\"mIoU vs rw.radius\"", "id=\"heatmap\"", "sharing saved");

        // the results store: the sweep's six variants with their grid values; runs compare takes the name
        try (ResultsStore s = ResultsStore.open(StoreConfig.h2File(store))) {
            List<StoredSweepVariant> v = s.sweepVariants("demo-grid");
            assertThat(v).extracting(StoredSweepVariant::variant).containsExactlyInAnyOrderElementsOf(VARIANTS);
            assertThat(v).allSatisfy(x -> assertThat(x.variant()).isEqualTo("rw.beta=" + x.grid().get("rw.beta")
                    + ",rw.radius=" + x.grid().get("rw.radius")));
            List<String> table = RunTables.compare(s, List.of("demo-grid"), Optional.of("rw"));
            assertThat(table.get(0)).startsWith("sweep demo-grid (").endsWith("): 6 variants");
        }
    }

    /** The stages up to the walk: what the issue counts (stages added later, e.g. segmentation, come on top). */
    private static final List<String> SHARED_WORK = List.of("train-cls", "cams", "seeds", "train-aff", "walk");
    private static final Map<String, Integer> EXPECTED = Map.of("train-cls", 1, "cams", 1, "seeds", 1, "train-aff", 2,
            "walk", 6);

    private static Map<String, Integer> only(Map<String, Integer> counts, List<String> stages) {
        Map<String, Integer> out = new TreeMap<>(counts);
        out.keySet().retainAll(stages);
        return out;
    }

    /** Stage → how many "[variant] [stage] N.N s" lines (stages computed) the output has. */
    private static Map<String, Integer> computed(String out) {
        Map<String, Integer> n = new TreeMap<>();
        Matcher m = COMPUTED.matcher(out);
        while (m.find()) {
            n.merge(m.group(2), 1, Integer::sum);
        }
        return n;
    }

    private static List<Path> entries(Path sweep, String stage) throws Exception {
        Path d = sweep.resolve(".stages").resolve(stage);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (var s = Files.list(d)) {
            return s.filter(p -> !p.getFileName().toString().contains(".tmp-")).toList();
        }
    }
}
