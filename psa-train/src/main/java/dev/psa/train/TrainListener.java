package dev.psa.train;

import java.util.Map;

/** Observes a training run (the command line draws a progress bar from it; libraries do not print). */
public interface TrainListener {
    /**
     * After each step.
     *
     * @param step            steps completed so far, 1..maxSteps (counts steps done before a resume)
     * @param maxSteps        total steps of the run
     * @param loss            this step's loss
     * @param imagesPerSecond samples of this step divided by its wall time (batch preparation included)
     */
    void onStep(long step, long maxSteps, double loss, double imagesPerSecond);

    /**
     * After each epoch's validation.
     *
     * @param epoch   the epoch just finished, 0-based
     * @param metrics {@code loss} (mean training loss of the epoch) and the task's validation metrics
     */
    void onEpoch(int epoch, Map<String, Double> metrics);

    /** A listener that does nothing. */
    static TrainListener none() {
        return new TrainListener() {
            @Override
            public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> metrics) {
            }
        };
    }
}
