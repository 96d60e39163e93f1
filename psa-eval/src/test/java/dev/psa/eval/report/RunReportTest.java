package dev.psa.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;
import dev.psa.data.io.CamFiles;
import dev.psa.data.io.LabelPng;
import dev.psa.eval.Evaluation;
import dev.psa.eval.EvalConfig;
import dev.psa.eval.GroundTruth;
import dev.psa.eval.UnlabeledPrediction;
import dev.psa.eval.report.internal.ImageScore;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The report of a small run built from the real VOC sample masks (images synthesised from the
 * masks, since the sample has none): self-contained HTML, and rendered in headless Chromium.
 */
class RunReportTest {
    private static final List<String> IDS = List.of("2007_000032", "2007_000039", "2007_000063");
    /** 3 charts (per-class IoU, CAM threshold curve, per-image mIoU histogram) + 5 tiles per gallery row. */
    private static final int EXPECTED_IMAGES = 3 + 5 * IDS.size();

    @TempDir
    static Path tmp;
    private static Path report;
    /** Per-image scores of the pseudo labels, as the report computes them (checked by ImageScoreTest). */
    private static final List<ImageScore> SCORES = new ArrayList<>();
    /** Per-image scores of the CAM predictions (cam-pred/). */
    private static final List<ImageScore> CAM_SCORES = new ArrayList<>();

    /** Masks from the VOC sample; images painted from the masks (palette colour, darkened, with a gradient). */
    static GroundTruth withImages(GroundTruth voc) {
        int[] pal = LabelPng.vocPalette();
        return new GroundTruth() {
            public String dataset() {
                return voc.dataset();
            }

            public String split() {
                return voc.split();
            }

            public ClassList classes() {
                return voc.classes();
            }

            public List<String> ids() {
                return voc.ids();
            }

            public Optional<LabelMap> mask(String id) {
                return voc.mask(id);
            }

            public Optional<INDArray> image(String id) {
                LabelMap m = voc.mask(id).orElseThrow();
                int h = m.height();
                int w = m.width();
                float[] v = new float[3 * h * w];
                for (int i = 0; i < h * w; i++) {
                    int rgb = pal[m.get(i) == 255 ? 0 : m.get(i)];
                    float shade = 0.4f + 0.4f * (i % w) / w;
                    v[i] = 40 + shade * ((rgb >> 16) & 0xFF);
                    v[h * w + i] = 40 + shade * ((rgb >> 8) & 0xFF);
                    v[2 * h * w + i] = 40 + shade * (rgb & 0xFF);
                }
                return Optional.of(Nd4j.create(v, new long[] {3, h, w}, DataType.FLOAT));
            }
        };
    }

    @BeforeAll
    static void buildRunAndReport() throws Exception {
        Path voc = dev.psa.eval.TestDataAccess.vocSample();
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("run.json"), "{\"id\": \"r-1\", \"name\": \"report-demo\", \"created\":"
                + " \"2026-01-02T03:04:05Z\", \"psaVersion\": \"0.1.0\", \"config\": {\"rw\": {\"beta\": 8, \"t\": 256},"
                + " \"data\": {\"name\": \"voc2012\"}}, \"components\": {\"backbone\": \"tiny\", \"walk\": \"sparse\"}}");
        Files.writeString(run.resolve("failures.json"), "[{\"id\": \"2007_000033\", \"stage\": \"cam\","
                + " \"reason\": \"corrupt <jpeg>\"}]");
        for (String id : IDS) {
            LabelMap m = LabelPng.read(voc.resolve("SegmentationClass/" + id + ".png"));
            CamFiles.write(run.resolve("cam/" + id + ".npz"), dev.psa.eval.TestDataAccess.camsFromMask(id, m));
            byte[] seeds = m.data().clone();
            for (int i = 0; i < seeds.length; i += 3) {
                seeds[i] = (byte) 255; // a third unknown
            }
            LabelPng.write(run.resolve("seeds/" + id + ".png"), new LabelMap(m.height(), m.width(), seeds));
            // pseudo labels: exact for the first image, rows cleared to background in the others, so the
            // images have different scores
            byte[] rw = m.data().clone();
            int cleared = IDS.indexOf(id) * m.height() / 4;
            java.util.Arrays.fill(rw, 0, cleared * m.width(), (byte) 0);
            LabelMap pred = new LabelMap(m.height(), m.width(), rw);
            LabelPng.write(run.resolve("rw/" + id + ".png"), pred);
            SCORES.add(ImageScore.of(id, pred, m, 21));
            // CAM predictions: the bottom rows cleared (exact for the second image), so the walk's
            // gain orders the images differently from their pseudo-label mIoU
            byte[] cp = m.data().clone();
            int bottom = new int[] {1, 0, 3}[IDS.indexOf(id)] * m.height() / 5;
            java.util.Arrays.fill(cp, (m.height() - bottom) * m.width(), cp.length, (byte) 0);
            LabelMap camPred = new LabelMap(m.height(), m.width(), cp);
            LabelPng.write(run.resolve("cam-pred/" + id + ".png"), camPred);
            CAM_SCORES.add(ImageScore.of(id, camPred, m, 21));
        }
        Path list = Files.writeString(tmp.resolve("ids.txt"), String.join("\n", IDS));
        GroundTruth gt = withImages(GroundTruth.vocFolder(voc, "SegmentationClass", Optional.of(list)));
        for (String stage : List.of("cam", "seeds", "rw")) {
            Evaluation.evaluateRunStage(run, stage, gt, EvalConfig.defaults(), Optional.empty());
        }
        report = RunReport.write(run, Optional.of(gt), ReportConfig.defaults());
    }

    @Test
    void htmlIsSelfContainedWithTablesChartsAndGallery() throws Exception {
        assertThat(report).endsWith(Path.of("report/index.html"));
        String html = Files.readString(report);
        List<String> srcs = new ArrayList<>();
        // every src and link but the page's own anchors (#failures)
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
        while (m.find()) {
            srcs.add(m.group(1));
        }
        assertThat(srcs).hasSize(EXPECTED_IMAGES)
                .allMatch(s -> s.startsWith("data:image/png;base64,") || s.startsWith("data:image/jpeg;base64,"));
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<link")
                .doesNotContain("@import");
        assertThat(html).contains("report-demo").contains("backbone").contains("rw.beta")
                .contains("CAM (threshold sweep)").contains("pseudo labels (random walk)")
                .contains("100.00").contains("aeroplane").contains("2007_000063")
                .contains("corrupt &lt;jpeg&gt;").contains("Failures (1)");
        assertThat(html).contains("data-report-ready=\"false\"");
        assertThat(html).contains("mean IoU over the classes present in its ground truth or its prediction");
    }

    @Test
    void theTrainingsLossCurvesComeFromTheirMetricsFiles() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("trained"));
        Files.writeString(run.resolve("run.json"), "{\"id\": \"r-2\", \"name\": \"losses\"}");
        Files.createDirectories(run.resolve("cls"));
        Files.writeString(run.resolve("cls/metrics.json"), "{\"steps\": 4, \"epochs\": [{\"epoch\": 0, \"loss\": 0.7,"
                + " \"val_map\": 0.5}, {\"epoch\": 1, \"loss\": 0.25}]}");
        Files.createDirectories(run.resolve("seg"));
        Files.writeString(run.resolve("seg/metrics.json"), "{\"epochs\": [{\"epoch\": 0, \"loss\": 1.5},"
                + " {\"epoch\": 1, \"loss\": 0.5}, {\"epoch\": 2, \"loss\": 0.125}]}");

        Map<String, double[]> losses = RunReport.trainingLosses(run);
        assertThat(losses.keySet()).containsExactly("classifier", "segmentation network"); // no aff/ here
        assertThat(losses.get("classifier")).containsExactly(0.7, 0.25);
        assertThat(losses.get("segmentation network")).containsExactly(1.5, 0.5, 0.125);

        String html = Files.readString(RunReport.write(run, Optional.empty(), ReportConfig.defaults()));
        assertThat(html).contains("alt=\"training loss per epoch\"");
        assertThat(Files.readString(report)).doesNotContain("training loss per epoch"); // a run without trainings
    }

    @Test
    void resultsComeFirstFailuresStayInViewAndProvenanceIsCollapsedAtTheEnd() throws Exception {
        String html = Files.readString(report);
        int headline = html.indexOf("id=\"headline\"");
        int charts = html.indexOf("<h2>Charts</h2>");
        int gallery = html.indexOf("id=\"gallery-section\"");
        int failures = html.indexOf("id=\"failures\"");
        int provenance = html.indexOf("id=\"provenance\"");
        assertThat(List.of(headline, charts, gallery, failures, provenance)).doesNotContain(-1).isSorted();
        // the headline: one mIoU per evaluated stage (as in eval/*.json, in percent) and the gain
        for (String stage : List.of("cam", "seeds", "rw")) {
            double miou = dev.psa.eval.EvalJson.mapper().readTree(report.getParent().getParent()
                    .resolve("eval/" + stage + ".json").toFile()).path("miou").asDouble();
            assertThat(html.substring(headline, charts)).contains("data-stage=\"" + stage + "\">"
                    + String.format(java.util.Locale.ROOT, "%.2f", 100 * miou) + "<");
        }
        assertThat(html.substring(headline, charts)).contains("id=\"walk-gain\"").contains("1 failure</a>");
        // nothing before the failures is inside an open <details>; config keys only after the provenance
        String before = html.substring(0, failures);
        assertThat(count(before, "<details")).isEqualTo(count(before, "</details>"));
        assertThat(html.indexOf("rw.beta")).isGreaterThan(provenance);
        assertThat(html).doesNotContain("<details open");
    }

    /**
     * A run stopped after the CAMs: the gallery scores the CAM prediction instead, with the rule the
     * stage was evaluated with (here a predicted 255 counts as background).
     */
    @Test
    void withoutPseudoLabelsTheGalleryScoresTheCamPredictionUnderItsEvaluationRule() throws Exception {
        Path voc = dev.psa.eval.TestDataAccess.vocSample();
        Path run = Files.createDirectories(tmp.resolve("run-cams-only"));
        List<ImageScore> expected = new ArrayList<>();
        List<ImageScore> asMiss = new ArrayList<>();
        for (String id : IDS) {
            LabelMap m = LabelPng.read(voc.resolve("SegmentationClass/" + id + ".png"));
            byte[] cp = m.data().clone();
            // the top rows unlabeled (255): background pixels there are right under "background"
            int rows = (1 + IDS.indexOf(id)) * m.height() / 6;
            java.util.Arrays.fill(cp, 0, rows * m.width(), (byte) 255);
            LabelMap pred = new LabelMap(m.height(), m.width(), cp);
            LabelPng.write(run.resolve("cam-pred/" + id + ".png"), pred);
            expected.add(ImageScore.of(id, pred, m, 21, UnlabeledPrediction.BACKGROUND));
            asMiss.add(ImageScore.of(id, pred, m, 21));
        }
        assertThat(expected.get(0).miou()).as("the rule changes the scores").isNotEqualTo(asMiss.get(0).miou());
        Path list = Files.writeString(tmp.resolve("ids-cams-only.txt"), String.join("\n", IDS));
        GroundTruth gt = withImages(GroundTruth.vocFolder(voc, "SegmentationClass", Optional.of(list)));
        EvalConfig background = new EvalConfig(UnlabeledPrediction.BACKGROUND, 0, 0.6, 0.01, 1, "SegmentationClass",
                false);
        double miou = Evaluation.evaluateRunStage(run, "cam-pred", gt, background, Optional.empty())
                .metrics().meanIou();
        String html = Files.readString(RunReport.write(run, Optional.of(gt), ReportConfig.defaults()));

        assertThat(html).contains("data-stage=\"cam-pred\">" + String.format(java.util.Locale.ROOT, "%.2f", 100 * miou)
                + "<").contains("by the mIoU of their CAM prediction").contains("a predicted 255 counts as background")
                .doesNotContain("value=\"gain\"").doesNotContain("id=\"walk-gain\"");
        expected.sort(java.util.Comparator.comparingDouble(ImageScore::miou).thenComparing(ImageScore::id));
        Matcher rows = Pattern.compile("<tr data-id=\"([^\"]+)\" id=\"img-[^\"]+\" data-miou=\"([0-9.]+)\"")
                .matcher(html);
        for (ImageScore sc : expected) {
            assertThat(rows.find()).as("gallery row for " + sc.id()).isTrue();
            assertThat(rows.group(1)).isEqualTo(sc.id());
            assertThat(Double.parseDouble(rows.group(2))).isCloseTo(sc.miou(), org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(rows.find()).as("no more rows").isFalse();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static Optional<String> chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static String browser() {
        Optional<String> c = chromium();
        if (c.isEmpty()) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
                fail("chromium not found on PATH; CI must install it (apt-get install -y chromium)");
            }
            Assumptions.abort("chromium not installed (apt-get install -y chromium); skipped because CI is not set");
        }
        return c.get();
    }

    private static String runBrowser(List<String> extra, Path userDir) throws Exception {
        return runBrowser(extra, userDir, "");
    }

    private static String runBrowser(List<String> extra, Path userDir, String hash) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(browser(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + userDir));
        cmd.addAll(extra);
        cmd.add(report.toUri() + hash);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 180 s: " + cmd);
        }
        assertThat(p.exitValue()).as("chromium exit code for %s", cmd).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void rendersInHeadlessChromiumWithEveryImageLoaded() throws Exception {
        String dom = runBrowser(List.of("--virtual-time-budget=15000", "--dump-dom"),
                Files.createDirectories(tmp.resolve("chrome-dom")));
        assertThat(dom).contains("data-report-ready=\"true\"")
                .contains("data-images-loaded=\"" + EXPECTED_IMAGES + "\"")
                .contains("data-images-failed=\"0\"");

        Path shot = tmp.resolve("report.png");
        runBrowser(List.of("--screenshot=" + shot, "--window-size=1400,900"),
                Files.createDirectories(tmp.resolve("chrome-shot")));
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(1400);
        assertThat(img.getHeight()).isEqualTo(900);
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) {
                    nonWhite++;
                }
            }
        }
        // text, tables, the charts: many colours, a good share of the page drawn
        assertThat(colours.size()).isGreaterThan(200);
        assertThat(nonWhite).isGreaterThan(img.getWidth() * img.getHeight() / 4 / 20);
        // the results box (background #f7f9fc) is drawn on the first screen, across most of its width
        int boxRows = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            int box = 0;
            for (int x = 0; x < img.getWidth(); x++) {
                box += (img.getRGB(x, y) & 0xFFFFFF) == 0xF7F9FC ? 1 : 0;
            }
            boxRows += box > img.getWidth() / 2 ? 1 : 0;
        }
        assertThat(boxRows).as("rows of the 1400x900 screenshot crossed by the results box").isGreaterThan(100);
        // to look at it: PSA_REPORT_SCREENSHOT=/tmp/first-screen.png mvn … -Dtest=RunReportTest
        String keep = System.getenv("PSA_REPORT_SCREENSHOT");
        if (keep != null && !keep.isBlank()) {
            Files.copy(shot, Path.of(keep),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
        assertThat(m.find()).as(name + " in the rendered page").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String order(String dom) {
        Matcher m = Pattern.compile("data-gallery-order=\"([^\"]*)\"").matcher(dom);
        assertThat(m.find()).as("data-gallery-order in the rendered page").isTrue();
        return m.group(1);
    }

    @Test
    void firstScreenShowsThePerStageMiouAndTheGallerySortsWorstBestAndByClass() throws Exception {
        Path user = Files.createDirectories(tmp.resolve("chrome-sort"));
        List<String> args = List.of("--virtual-time-budget=15000", "--window-size=1400,900", "--dump-dom");
        String dom = runBrowser(args, user, "");
        int bottom = attribute(dom, "data-headline-bottom");
        assertThat(bottom).as("bottom edge of the results box (px)").isBetween(100, 900);
        assertThat(attribute(dom, "data-miou-count")).as("per-stage mIoU values in the headline").isEqualTo(3);
        assertThat(attribute(dom, "data-miou-bottom")).as("bottom edge of the last per-stage mIoU (px)")
                .isBetween(100, bottom);
        assertThat(dom.indexOf("id=\"headline\"")).isLessThan(dom.indexOf("id=\"provenance\""));

        List<ImageScore> worstFirst = new ArrayList<>(SCORES);
        worstFirst.sort(java.util.Comparator.comparingDouble(ImageScore::miou));
        assertThat(worstFirst.get(0).miou()).isLessThan(worstFirst.get(2).miou());
        String worst = String.join(",", worstFirst.stream().map(ImageScore::id).toList());
        assertThat(order(dom)).as("default: worst first").isEqualTo(worst);
        assertThat(order(runBrowser(args, user, "#sort=best"))).isEqualTo(
                String.join(",", reversed(worstFirst).stream().map(ImageScore::id).toList()));

        // most hurt by the walk first: pseudo-label mIoU minus CAM-prediction mIoU, ascending
        java.util.Map<String, Double> gain = new java.util.HashMap<>();
        for (int i = 0; i < IDS.size(); i++) {
            gain.put(SCORES.get(i).id(), SCORES.get(i).miou() - CAM_SCORES.get(i).miou());
        }
        List<String> byGain = IDS.stream().sorted(java.util.Comparator.comparingDouble(gain::get)).toList();
        assertThat(byGain).as("the gain order differs from the worst-first order").isNotEqualTo(
                worstFirst.stream().map(ImageScore::id).toList());
        assertThat(order(runBrowser(args, user, "#sort=gain"))).isEqualTo(String.join(",", byGain));

        // by class 15 (person): only images whose ground truth has a person, by that class's IoU
        List<ImageScore> withPerson = SCORES.stream().filter(sc -> sc.inTruth()[15])
                .sorted(java.util.Comparator.comparingDouble((ImageScore sc) -> sc.iou()[15]).thenComparing(ImageScore::id))
                .toList();
        assertThat(withPerson).isNotEmpty().hasSizeLessThan(SCORES.size());
        assertThat(order(runBrowser(args, user, "#sort=class:15")))
                .isEqualTo(String.join(",", withPerson.stream().map(ImageScore::id).toList()));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }
}
