package dev.psa.train.internal;

import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import dev.psa.train.TrainListener;

/**
 * A progress bar on stderr (me.tongfei.progressbar) with the loss and images/s of the last step.
 * Created at the first step (a resumed run starts at its resume step); closed at the last. When
 * the JVM has no console (output redirected, CI), it prints nothing: the trainer logs each epoch.
 */
public final class ProgressBarListener implements TrainListener {
    private final String name;
    private final boolean enabled;
    private ProgressBar bar;
    private double smoothedIps;

    public ProgressBarListener(String name) {
        this(name, System.console() != null);
    }

    /** @param enabled false prints nothing */
    public ProgressBarListener(String name, boolean enabled) {
        this.name = name;
        this.enabled = enabled;
    }

    @Override
    public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
        if (!enabled) {
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(maxSteps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .startsFrom(step - 1, java.time.Duration.ZERO).build();
            smoothedIps = imagesPerSecond;
        }
        smoothedIps = 0.9 * smoothedIps + 0.1 * imagesPerSecond;
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, smoothedIps));
        if (step >= maxSteps) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEpoch(int epoch, Map<String, Double> metrics) {
    }
}
