package dev.psa.eval.report.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.ClassList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GallerySelectionTest {
    private static final ClassList CLASSES = new ClassList(List.of("background", "cat", "dog"));

    /** A score with the given mIoU and per-class IoU (NaN = class in neither map, else in the truth). */
    private static ImageScore score(String id, double miou, double... iou) {
        boolean[] in = new boolean[iou.length];
        for (int c = 0; c < iou.length; c++) {
            in[c] = !Double.isNaN(iou[c]);
        }
        return new ImageScore(id, miou, iou, in);
    }

    private static final double N = Double.NaN;
    // cat fares worst in e (0.30), which is neither among the 2 worst nor the 2 best; dog fares worst
    // in a, already the worst image
    private static final List<ImageScore> SCORES = List.of(
            score("f", 0.95, 0.95, 0.95, N),
            score("a", 0.10, 0.20, N, 0.00),
            score("c", 0.50, 0.50, 0.50, N),
            score("e", 0.60, 0.90, 0.30, N),
            score("b", 0.20, 0.30, N, 0.10),
            score("d", 0.90, 0.90, 0.90, 0.90));

    private static List<String> ids(List<GallerySelection.Pick> picks) {
        return picks.stream().map(p -> p.score().id()).toList();
    }

    @Test
    void worstThenBestThenTheWorstOfEachClassNotYetShown() {
        List<GallerySelection.Pick> picks = GallerySelection.pick(SCORES, 4, CLASSES);
        assertThat(ids(picks)).containsExactly("a", "b", "d", "f", "e");
        assertThat(picks.stream().map(GallerySelection.Pick::reason).toList())
                .containsExactly("worst", "worst", "best", "best", "worst for cat");
    }

    @Test
    void oddSizeGivesTheExtraRowToTheWorst() {
        // 3 worst (a, b, c) and 2 best (d, f); cat's worst (e) added; dog's worst (a) already in
        assertThat(ids(GallerySelection.pick(SCORES, 5, CLASSES))).containsExactly("a", "b", "c", "d", "f", "e");
    }

    @Test
    void tiesAreBrokenById() {
        List<ImageScore> tied = List.of(score("y", 0.5, 0.5, 0.5, N), score("x", 0.5, 0.5, 0.5, N),
                score("z", 0.5, 0.5, 0.5, N));
        assertThat(ids(GallerySelection.pick(tied, 2, CLASSES))).containsExactly("x", "z");
    }

    @Test
    void aGalleryAsLargeAsTheRunShowsEveryImageOnce() {
        assertThat(ids(GallerySelection.pick(SCORES, 100, CLASSES))).containsExactly("a", "b", "c", "e", "d", "f");
        assertThat(GallerySelection.pick(SCORES, 0, CLASSES)).isEmpty();
        assertThat(GallerySelection.pick(List.of(), 16, CLASSES)).isEmpty();
        assertThatThrownBy(() -> GallerySelection.pick(SCORES, -1, CLASSES)).hasMessageContaining("-1");
    }
}
