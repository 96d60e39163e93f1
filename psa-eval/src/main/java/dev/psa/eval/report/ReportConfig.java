package dev.psa.eval.report;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of {@code psa report} (prefix {@code report.}).
 *
 * @param gallerySize  images in the gallery: the worst half and the best half by per-image mIoU, plus the worst
 *                     image of each class not among them (the first N of the split when nothing is scored
 *                     yet), key {@code gallery-size} (16)
 * @param thumbSize    longest side of a gallery tile in pixels, key {@code thumb-size} (192)
 * @param heatmapAlpha opacity of the CAM heat map over the image, key {@code heatmap-alpha} (0.5)
 */
public record ReportConfig(int gallerySize, int thumbSize, double heatmapAlpha) {
    public static final String PREFIX = "report.";

    public ReportConfig {
        new Validator(PREFIX)
                .check(gallerySize >= 0 && gallerySize <= 1000, "gallery-size", "must be in [0, 1000], got " + gallerySize)
                .check(thumbSize >= 16 && thumbSize <= 2048, "thumb-size", "must be in [16, 2048], got " + thumbSize)
                .inRange(heatmapAlpha, 0, 1, "heatmap-alpha")
                .throwIfAny();
    }

    /** @param c a view scoped to {@code report.} */
    public static ReportConfig from(ComponentConfig c) {
        return new ReportConfig(c.getInt("gallery-size", 16), c.getInt("thumb-size", 192),
                c.getDouble("heatmap-alpha", 0.5));
    }

    public static ReportConfig defaults() {
        return new ReportConfig(16, 192, 0.5);
    }
}
