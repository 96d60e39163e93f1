package dev.psa.eval.report.internal;

import static java.util.Objects.requireNonNull;

import dev.psa.api.ClassList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which scored images the gallery shows: the worst and the best by image mIoU, and for every
 * object class the image where that class fares worst, so that sorting the gallery by a class has
 * that class's telling case to show even when it is not among the overall worst.
 */
public final class GallerySelection {
    private GallerySelection() {
    }

    /**
     * One gallery row.
     *
     * @param score  the image's score
     * @param reason why it is shown: {@code worst}, {@code best}, or {@code worst for <class name>}
     */
    public record Pick(ImageScore score, String reason) {
        public Pick {
            requireNonNull(score, "score is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Picks the gallery rows, in this order: the ⌈n/2⌉ lowest image mIoU (worst first), the ⌊n/2⌋
     * highest (ascending), then for each object class c ≥ 1 in some image's ground truth, the image
     * with the lowest IoU of c (ties by id) when it is not picked yet. With n ≥ the number of images
     * every image is shown once.
     *
     * @param scores  images with a defined mIoU, any order
     * @param n       the number of worst + best rows ({@code report.gallery-size})
     * @param classes the class names, for the reasons
     */
    public static List<Pick> pick(List<ImageScore> scores, int n, ClassList classes) {
        requireNonNull(scores, "scores is null");
        requireNonNull(classes, "classes is null");
        if (n < 0) {
            throw new IllegalArgumentException("gallery size must be >= 0, got " + n);
        }
        List<ImageScore> worstFirst = new ArrayList<>(scores);
        worstFirst.sort(Comparator.comparingDouble(ImageScore::miou).thenComparing(ImageScore::id));
        Map<String, Pick> picked = new LinkedHashMap<>();
        int worst = Math.min(worstFirst.size(), (n + 1) / 2);
        for (int i = 0; i < worst; i++) {
            picked.put(worstFirst.get(i).id(), new Pick(worstFirst.get(i), "worst"));
        }
        int best = Math.min(worstFirst.size() - worst, n / 2);
        for (int i = worstFirst.size() - best; i < worstFirst.size(); i++) {
            picked.put(worstFirst.get(i).id(), new Pick(worstFirst.get(i), "best"));
        }
        if (n == 0) {
            return List.copyOf(picked.values());
        }
        for (int c = 1; c < classes.size(); c++) {
            ImageScore min = null;
            for (ImageScore sc : worstFirst) {
                if (c < sc.inTruth().length && sc.inTruth()[c]
                        && (min == null || sc.iou()[c] < min.iou()[c]
                        || sc.iou()[c] == min.iou()[c] && sc.id().compareTo(min.id()) < 0)) {
                    min = sc;
                }
            }
            if (min != null && !picked.containsKey(min.id())) {
                picked.put(min.id(), new Pick(min, "worst for " + classes.name(c)));
            }
        }
        return List.copyOf(picked.values());
    }
}
