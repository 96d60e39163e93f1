package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.ImageSample;
import dev.psa.api.Sample;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;

/**
 * Issue 10, bad input: a {@code folder} dataset with a corrupt image, an image whose mask is
 * missing, an image without labels and a truncated mask among good images. {@code psa run}
 * finishes; failures.json and the HTML report list each bad item with its reason; every other
 * image goes through every stage.
 */
class BadDatasetIT {
    @TempDir
    Path dir;

    @Test
    void runFinishesAndListsEachBadItemWithItsReason() throws Exception {
        Path data = dir.resolve("data");
        List<String> good = writeFolderDataset(data);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bad_corrupt", "bad_corrupt.jpg: not a readable image");
        expected.put("bad_nomask", "no ground-truth mask");
        expected.put("bad_nolabels", "no image-level labels");
        expected.put("bad_mask", "bad_mask.png");

        Path config = TinyRun.config(dir, "folder", "data.name=folder", "data.root=" + data, "data.split=all",
                "cls.val-split=", "seg.split=all");
        Path run = dir.resolve("run");
        String[] args = {"run", "--config", config.toString(), "--run", run.toString()};
        long t0 = System.nanoTime();
        assertThat(psa(args)).as("psa run exit code").isZero();
        double seconds = (System.nanoTime() - t0) / 1e9;

        JsonNode failures = RunFiles.JSON.readTree(run.resolve("failures.json").toFile());
        Map<String, String> reasons = new LinkedHashMap<>();
        for (JsonNode f : failures) {
            assertThat(reasons.put(f.path("id").asText(), f.path("reason").asText()))
                    .as("one entry per bad item, got " + failures).isNull();
        }
        assertThat(reasons.keySet()).as("exactly the bad items are listed").containsExactlyInAnyOrderElementsOf(
                expected.keySet());
        expected.forEach((id, text) -> assertThat(reasons.get(id)).as(id).contains(text));
        assertThat(reasons.get("bad_mask")).containsAnyOf("truncated", "corrupt");

        Map<String, String> rows = reportRows(run.resolve("report/index.html"));
        for (String id : expected.keySet()) {
            assertThat(rows).as("report lists " + id).containsEntry(id, reasons.get(id));
        }

        // every good image (and the one without a mask) went through every stage; the excluded ones none
        List<String> used = new ArrayList<>(good);
        used.add("bad_nomask");
        for (String folder : List.of("cam", "seeds", "rw")) {
            assertThat(stems(run.resolve(folder))).as(folder).containsExactlyInAnyOrderElementsOf(used);
        }
        JsonNode evalRw = RunFiles.JSON.readTree(run.resolve("eval/rw.json").toFile());
        assertThat(evalRw.path("images").asInt()).as("evaluated: the images with a mask").isEqualTo(good.size());
        assertThat(evalRw.path("failures").size()).isZero();
        assertThat(RunFiles.problems(run)).isEmpty();

        // run again: everything is up to date and the list does not grow
        byte[] before = Files.readAllBytes(run.resolve("failures.json"));
        assertThat(psa(args)).isZero();
        assertThat(Files.readAllBytes(run.resolve("failures.json"))).isEqualTo(before);

        // --fail-fast stops at the first bad item instead, naming it
        ChildPsa failFast = ChildPsa.run(dir.resolve("logs"), List.of(), "run", "--config", config.toString(),
                "--run", dir.resolve("run-ff").toString(), "--fail-fast");
        assertThat(failFast.exit()).as(failFast.output()).isEqualTo(1);
        assertThat(failFast.err()).contains("error: data: bad_corrupt: left out of the run: ")
                .doesNotContain("\tat ");
        System.out.printf("bad dataset: %d good images + %d bad, run %.1f s; listed: %s%n", good.size(),
                expected.size(), seconds, reasons);
    }

    @Test
    void aSplitWithoutAnyMaskGetsPseudoLabelsAndNoFailures() throws Exception {
        Path data = dir.resolve("unlabelled");
        writeFolderDataset(data);
        // keep the good images only, and no mask at all: pseudo labels for data without ground truth
        try (var files = Files.list(data.resolve("masks"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(data.resolve("images/bad_corrupt.jpg"));
        List<String> lines = Files.readAllLines(data.resolve("labels.txt")).stream()
                .filter(l -> l.startsWith("img_")).toList();
        Files.write(data.resolve("labels.txt"), lines);
        Path config = TinyRun.config(dir, "unlabelled", "data.name=folder", "data.root=" + data, "data.split=all",
                "cls.val-split=", "seg.split=all");
        Path run = dir.resolve("run-unlabelled");
        ChildPsa c = ChildPsa.run(dir.resolve("logs"), List.of(), "run", "--config", config.toString(), "--run",
                run.toString());
        assertThat(c.exit()).as(c.output()).isZero();
        assertThat(c.out()).containsPattern("\\[eval\\] [0-9.]+ s: nothing to evaluate \\(no ground-truth masks\\)");
        assertThat(Files.readString(run.resolve("logs/psa.log")))
                .contains("eval: no image of split 'all' has a ground-truth mask; nothing to evaluate");
        assertThat(stems(run.resolve("rw"))).hasSize(TinyRun.IMAGES);
        JsonNode failures = RunFiles.JSON.readTree(run.resolve("failures.json").toFile());
        assertThat(failures.size()).as("failures.json: " + failures).isZero();
        assertThat(run.resolve("report/index.html")).isRegularFile();
    }

    private int psa(String... args) throws Exception {
        ChildPsa c = ChildPsa.run(dir.resolve("logs"), List.of(), args);
        if (c.exit() != 0) {
            System.out.println(c.output());
        }
        return c.exit();
    }

    /**
     * Writes 24 good shapes images of 64 px with masks and labels, and the bad items: a corrupt
     * image, an image without a mask, an image without labels, a truncated mask.
     *
     * @return the good ids
     */
    private static List<String> writeFolderDataset(Path root) throws Exception {
        ShapesDataset shapes = new ShapesDataset(ShapesConfig.defaults().with(64, 30, 0));
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Files.writeString(root.resolve("classes.txt"), String.join("\n", shapes.classes().names()) + "\n");
        List<String> lines = new ArrayList<>();
        List<String> good = new ArrayList<>();
        List<Sample> samples = shapes.samples("train");
        for (int i = 0; i < TinyRun.IMAGES + 3; i++) {
            Sample s = samples.get(i % samples.size());
            ImageSample img = shapes.load(s);
            String id = i < TinyRun.IMAGES ? "img_" + i
                    : List.of("bad_nomask", "bad_nolabels", "bad_mask").get(i - TinyRun.IMAGES);
            ImageIo.writePng(root.resolve("images/" + id + ".png"), img.image());
            if (!id.equals("bad_nomask")) {
                LabelPng.write(root.resolve("masks/" + id + ".png"), img.mask().orElseThrow());
            }
            if (id.equals("bad_mask")) {
                byte[] png = Files.readAllBytes(root.resolve("masks/" + id + ".png"));
                Files.write(root.resolve("masks/" + id + ".png"), java.util.Arrays.copyOf(png, png.length / 2));
            }
            StringBuilder line = new StringBuilder(id);
            if (!id.equals("bad_nolabels")) {
                for (int c : s.classes()) {
                    line.append(' ').append(shapes.classes().name(c));
                }
            }
            lines.add(line.toString());
            if (i < TinyRun.IMAGES) {
                good.add(id);
            }
        }
        byte[] garbage = new byte[700];
        new Random(3).nextBytes(garbage);
        Files.write(root.resolve("images/bad_corrupt.jpg"), garbage);
        lines.add(5, "bad_corrupt " + shapes.classes().name(1));
        Files.writeString(root.resolve("labels.txt"), String.join("\n", lines) + "\n");
        return good;
    }

    /** id → reason of the rows of the report's Failures table. */
    private static Map<String, String> reportRows(Path html) throws Exception {
        String h = Files.readString(html, StandardCharsets.UTF_8);
        int at = h.indexOf("<h2 id=\"failures\">Failures (");
        assertThat(at).as("the report has a Failures section").isGreaterThanOrEqualTo(0);
        String section = h.substring(at, h.indexOf("</table>", at));
        Matcher m = Pattern.compile("<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>").matcher(section);
        Map<String, String> rows = new LinkedHashMap<>();
        while (m.find()) {
            rows.put(unescape(m.group(1)), unescape(m.group(3)));
        }
        return rows;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static TreeSet<String> stems(Path folder) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (var s = Files.list(folder)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .forEach(n -> out.add(n.substring(0, n.lastIndexOf('.'))));
        }
        return out;
    }
}
