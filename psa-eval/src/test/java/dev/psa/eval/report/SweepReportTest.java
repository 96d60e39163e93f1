package dev.psa.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
    @TempDir
    Path dir;

    private Path variant(String name, double cam, double rw, double bgIou, Double seg) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name).resolve("eval"));
        Files.writeString(run.resolve("cam.json"), "{\"miou\":" + cam + ",\"classes\":[]}");
        Files.writeString(run.resolve("rw.json"), "{\"miou\":" + rw + ",\"classes\":[{\"name\":\"background\",\"iou\":"
                + bgIou + "},{\"name\":\"red\",\"iou\":0.5}]}");
        if (seg != null) {
            Files.writeString(run.resolve("seg.json"), "{\"miou\":" + seg + ",\"classes\":[]}");
        }
        return run.getParent();
    }

    private static SweepReport.Row row(String name, Map<String, String> grid, Path run, String status, double ran,
            double saved) {
        return new SweepReport.Row(name, grid, run, status, status.equals("failed") ? "walk: out of memory" : null,
                ran, saved, Map.of("train-cls", saved > 0 ? "shared" : "ran", "walk", "ran"));
    }

    @Test
    void variantsBestFirstHeatMapChartPerNumericKeyAndTheTimeSharingSaved() throws Exception {
        Path a = variant("b=4,s=x", 0.60, 0.70, 0.90, null);
        Path b = variant("b=8,s=x", 0.60, 0.80, 0.95, null);
        Path c = dir.resolve("b=16,s=x");
        Files.createDirectories(c);
        Path f = SweepReport.write(dir, "g", List.of("b", "s"), List.of(
                row("b=4,s=x", Map.of("b", "4", "s", "x"), a, "done", 100, 0),
                row("b=8,s=x", Map.of("b", "8", "s", "x"), b, "done", 10, 90),
                row("b=16,s=x", Map.of("b", "16", "s", "x"), c, "failed", 5, 90)), 130);
        String html = Files.readString(f);
        assertThat(f).isEqualTo(dir.resolve("report/index.html"));
        Matcher m = Pattern.compile("<tr data-variant=\"([^\"]+)\">").matcher(html);
        StringBuilder order = new StringBuilder();
        while (m.find()) {
            order.append(m.group(1)).append(';');
        }
        assertThat(order.toString()).isEqualTo("b=8,s=x;b=4,s=x;b=16,s=x;");
        assertThat(html).contains("<td class=\"b\" data-stage=\"rw\">80.00</td>", "<td class=\"b\" data-stage=\"rw\">70.00</td>")
                .contains("failed: walk: out of memory").doesNotContain("segmentation mIoU");
        // heat map: background 95 is the column's highest (dark), 90 its lowest (pale); red equal everywhere (pale)
        assertThat(html).contains("<td style=\"background:#1a7f37;color:#fff\">95.00</td>")
                .contains("<td style=\"background:#f7fcf5;color:#222\">90.00</td>")
                .contains("<td style=\"background:#f7fcf5;color:#222\">50.00</td>");
        // one chart: b is numeric, s has one non-numeric value
        assertThat(html).contains("alt=\"mIoU vs b\"").doesNotContain("alt=\"mIoU vs s\"");
        assertThat(html).contains("The stages computed took 115 s; run as independent runs the variants would have"
                + " computed 295 s: sharing saved 180 s (61 %). Wall time of the sweep command: 130 s.");

        variant("b=4,s=x", 0.60, 0.70, 0.90, 0.75);
        String withSeg = Files.readString(SweepReport.write(dir, "g", List.of("b", "s"), List.of(
                row("b=4,s=x", Map.of("b", "4", "s", "x"), a, "done", 100, 0),
                row("b=8,s=x", Map.of("b", "8", "s", "x"), b, "done", 10, 90)), 130));
        assertThat(withSeg).contains("<th>segmentation mIoU %</th>")
                .contains("<td class=\"b\" data-stage=\"seg\">75.00</td>");
    }
}
