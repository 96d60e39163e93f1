package dev.psa.eval;

import static java.util.Objects.requireNonNull;

import dev.psa.api.stage.ImageFailure;
import dev.psa.api.ClassList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of evaluating one stage's predictions.
 *
 * @param stage      what was evaluated: {@code cam}, {@code seeds}, {@code rw}, or a folder name
 * @param predictions where the predictions came from (folder)
 * @param dataset    the ground truth's source (dataset root or name)
 * @param split      the id list / split evaluated
 * @param classes    the class list
 * @param config     the settings used
 * @param matrix     the confusion matrix (for a CAM sweep: the one at the best threshold)
 * @param metrics    metrics of {@code matrix}
 * @param sweep      the CAM threshold sweep, for CAM evaluation only
 * @param failures   images that could not be evaluated (left out of the counts)
 * @param skipped    predictions without ground truth that were not evaluated
 * @param seconds    wall-clock time of the evaluation
 */
public record EvalResult(String stage, String predictions, String dataset, String split, ClassList classes,
                         EvalConfig config, ConfusionMatrix matrix, Metrics metrics,
                         Optional<CamThresholdSweep.Result> sweep, List<ImageFailure> failures, int skipped,
                         double seconds) {
    public EvalResult {
        requireNonNull(stage, "stage is null");
        requireNonNull(predictions, "predictions is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(split, "split is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(config, "config is null");
        requireNonNull(matrix, "matrix is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(sweep, "sweep is null");
        failures = List.copyOf(failures);
    }

    /** Images evaluated. */
    public long images() {
        return metrics.images();
    }

    /** Images per second. */
    public double imagesPerSecond() {
        return seconds > 0 ? images() / seconds : 0;
    }
}
