package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.Sample;
import dev.psa.data.io.ImageIo;
import dev.psa.data.io.LabelPng;
import dev.psa.data.shapes.ShapesConfig;
import dev.psa.data.shapes.ShapesDataset;

/**
 * Issue 15: what {@code psa demo > out.txt} shows a person when stdout is not a terminal — at most
 * 25 lines, no ESC character, no logger lines, ending with the mIoU table and {@code report: PATH};
 * ND4J's start-up chatter only in {@code <run>/logs/psa.log}. Runs the demo command on the tiny
 * configuration (the lines do not depend on the data size). Then {@code psa predict} with the demo's
 * trained segmentation network on a folder of new images and one broken file (issue 20).
 */
class DemoOutputIT {
    @TempDir
    Path dir;

    @Test
    void demoPrintsAFewReadableLinesEndingWithTheTableAndTheReport() throws Exception {
        Path out = dir.resolve("demo");
        List<String> args = new ArrayList<>(List.of("demo", "--out", out.toString()));
        for (String kv : TinyRun.KEYS) {
            args.add("--set");
            args.add(kv);
        }
        ChildPsa c = ChildPsa.run(dir.resolve("logs"), List.of(), args.toArray(String[]::new));
        assertThat(c.exit()).as(c.output()).isZero();
        String stdout = c.out();
        List<String> lines = stdout.lines().toList();
        System.out.println("psa demo, stdout (" + lines.size() + " lines):\n" + stdout);

        assertThat(lines).as(stdout).hasSizeLessThanOrEqualTo(25);
        assertThat(stdout).doesNotContain("\u001b");
        assertThat(lines).as("no logger lines (timestamps, levels, logger names)")
                .noneMatch(l -> l.matches(".*\\d\\d:\\d\\d:\\d\\d.*") || l.matches(".*\\b(INFO|WARN|DEBUG)\\b.*"));
        int n = lines.size();
        assertThat(lines.get(n - 1)).isEqualTo("report: " + out.resolve("report/index.html").toAbsolutePath());
        assertThat(lines.get(n - 7)).startsWith("stage (train split)").endsWith("mIoU %");
        assertThat(lines.get(n - 6)).matches("CAM \\(best background threshold\\) +\\d+\\.\\d\\d");
        assertThat(lines.get(n - 5)).matches("seeds \\(255 = no class\\) +\\d+\\.\\d\\d");
        assertThat(lines.get(n - 4)).matches("pseudo labels \\(random walk\\) +\\d+\\.\\d\\d");
        assertThat(lines.get(n - 3)).matches("gain of the walk over the CAMs +[+-]\\d+\\.\\d\\d");
        assertThat(lines.get(n - 2)).matches("segmentation mIoU \\(val\\): \\d+\\.\\d\\d");
        assertThat(lines).filteredOn(l -> l.startsWith("[")).hasSize(9);

        assertThat(c.err()).as("ND4J's notes stay out of the console").doesNotContain("Duplicate TF op mapping")
                .doesNotContain("Loaded [CpuBackend]");
        String log = Files.readString(out.resolve("logs/psa.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("Loaded [CpuBackend] backend").contains("mIoU:");

        // issue 20: the demo's trained network segments new images; a broken file is named, the others done
        Path images = Files.createDirectories(dir.resolve("new-images"));
        Files.copy(out.resolve("report").resolve("index.html"), images.resolve("broken.jpg"));
        ShapesDataset shapes = new ShapesDataset(ShapesConfig.defaults().with(64, 4, 99));
        for (Sample sample : shapes.samples("train")) {
            ImageIo.writePng(images.resolve(sample.id() + ".png"), shapes.load(sample).image());
        }
        Path labels = dir.resolve("labels");
        ChildPsa p = ChildPsa.run(dir.resolve("logs"), List.of(), "predict", "--run", out.toString(), "--images",
                images.toString(), "--out", labels.toString(), "--overlay");
        assertThat(p.exit()).as(p.output()).isEqualTo(1);
        assertThat(p.err()).contains("error: " + images.resolve("broken.jpg") + ": not a readable image");
        List<Sample> train = shapes.samples("train");
        assertThat(p.out()).contains("predict: " + train.size() + " images segmented into " + labels.toAbsolutePath()
                + ", 1 failed");
        for (Sample sample : train) {
            assertThat(LabelPng.read(labels.resolve(sample.id() + ".png")).height()).isEqualTo(64);
            assertThat(labels.resolve("overlay").resolve(sample.id() + ".png")).isRegularFile();
        }
    }
}
