package dev.psa.eval.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One evaluation row: a run's stage, with its per-class IoU.
 *
 * @param id            result id
 * @param runId         the run's id
 * @param stage         cam | seeds | rw | …
 * @param recordedAt    when it was stored
 * @param configHash    SHA-256 (hex) of the sorted {@code key=value} lines of {@code config}
 * @param config        resolved run config plus the eval settings
 * @param components    component names
 * @param dataset       dataset description
 * @param split         split / id list
 * @param images        images evaluated
 * @param miou          mIoU in [0, 1] (NaN when undefined)
 * @param pixelAccuracy pixel accuracy in [0, 1]
 * @param bestThreshold best CAM background threshold (NaN for label stages)
 * @param seconds       evaluation wall time
 * @param timings       timings as JSON text (eval seconds, images/s, the stage's own time when known)
 * @param classes       per-class values in class-id order
 */
public record StoredResult(long id, long runId, String stage, OffsetDateTime recordedAt, String configHash,
                           Map<String, String> config, Map<String, String> components, String dataset, String split,
                           long images, double miou, double pixelAccuracy, double bestThreshold, double seconds,
                           String timings, List<StoredClass> classes) {
    public StoredResult {
        config = Map.copyOf(config);
        components = Map.copyOf(components);
        classes = List.copyOf(classes);
    }

    /**
     * Per-class values of a result.
     *
     * @param classId   class id
     * @param name      class name
     * @param iou       IoU in [0, 1], NaN when the class was absent (left out of the mean)
     * @param precision precision, NaN when undefined
     * @param recall    recall, NaN when undefined
     */
    public record StoredClass(int classId, String name, double iou, double precision, double recall) {
    }
}
