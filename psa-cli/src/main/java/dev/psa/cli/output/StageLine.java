package dev.psa.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.psa.runtime.pipeline.Stage;

/** The key numbers of a finished stage in a few words, from its summary, for its one console line. */
public final class StageLine {
    private StageLine() {
    }

    public static String of(Stage stage, Map<String, Object> s) {
        List<String> parts = new ArrayList<>();
        switch (stage) {
            case TRAIN_CLS -> {
                count(parts, s, "train_images", "images");
                count(parts, s, "steps", "steps");
                number(s, "val_map").ifPresent(v -> parts.add(String.format(Locale.ROOT, "val mAP %.3f", v)));
                leftOut(parts, s, "excluded_images", "left out");
            }
            case TRAIN_AFF -> {
                count(parts, s, "samples", "images");
                count(parts, s, "steps", "steps");
                number(s, "final-loss").ifPresent(v -> parts.add(String.format(Locale.ROOT, "final loss %.4f", v)));
            }
            case TRAIN_SEG -> {
                if (Boolean.FALSE.equals(s.get("enabled"))) {
                    parts.add("off (seg.enabled=false)");
                }
                count(parts, s, "samples", "images");
                count(parts, s, "steps", "steps");
                number(s, "final-loss").ifPresent(v -> parts.add(String.format(Locale.ROOT, "final loss %.4f", v)));
                if (s.get("labels") != null) {
                    parts.add("labels " + s.get("labels"));
                }
            }
            case SEG -> {
                if (Boolean.FALSE.equals(s.get("enabled"))) {
                    parts.add("off (seg.enabled=false)");
                }
                number(s, "images").ifPresent(n -> parts.add(String.format(Locale.ROOT, "%d images of %s (%d computed, %d"
                        + " already done)", n.longValue(), s.get("split"), number(s, "written").orElse(0.0).longValue(),
                        number(s, "skipped").orElse(0.0).longValue())));
                leftOut(parts, s, "failed", "failed");
            }
            case CAMS, SEEDS, WALK -> {
                number(s, "images").ifPresent(n -> parts.add(String.format(Locale.ROOT, "%d images (%d computed, %d"
                        + " already done)", n.longValue(), number(s, "written").orElse(0.0).longValue(),
                        number(s, "skipped").orElse(0.0).longValue())));
                leftOut(parts, s, "failed", "failed");
            }
            case EVAL -> {
                List<String> m = new ArrayList<>();
                percent(m, s, "cam-miou", "CAM");
                percent(m, s, "seeds-miou", "seeds");
                percent(m, s, "rw-miou", "pseudo labels");
                percent(m, s, "seg-miou", "segmentation");
                parts.add(m.isEmpty() ? "nothing to evaluate (no ground-truth masks)" : "mIoU % " + String.join(", ", m));
            }
            case REPORT -> {
                Object r = s.get("report");
                if (r != null) {
                    parts.add(String.valueOf(r));
                }
            }
        }
        return String.join(", ", parts);
    }

    private static Optional<Double> number(Map<String, Object> s, String key) {
        return s.get(key) instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    private static void count(List<String> parts, Map<String, Object> s, String key, String noun) {
        number(s, key).ifPresent(n -> parts.add(n.longValue() + " " + noun));
    }

    private static void leftOut(List<String> parts, Map<String, Object> s, String key, String what) {
        number(s, key).filter(n -> n > 0).ifPresent(n -> parts.add(n.longValue() + " " + what + " (see failures.json)"));
    }

    private static void percent(List<String> parts, Map<String, Object> s, String key, String name) {
        number(s, key).ifPresent(v -> parts.add(String.format(Locale.ROOT, "%s %.2f", name, 100 * v)));
    }
}
