package dev.psa.cli.output;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import dev.psa.cli.output.Output;
import dev.psa.train.TrainListener;

/**
 * Progress of one stage on stderr, for per-image work ({@link #update(int, int)}) and training
 * steps (a {@link TrainListener}): on a terminal a bar redrawn in place (carriage returns, no ANSI
 * escapes), otherwise one line per tenth ({@code   cams  40% (160/400)}), nothing when quiet.
 */
public final class ProgressLine implements TrainListener {
    /** How progress is drawn. */
    enum Style { BAR, LINES, NONE }

    private final String name;
    private final PrintStream err;
    private final Style style;
    private ProgressBar bar;
    private int lastTenth;

    public ProgressLine(String name) {
        this(name, System.err, Output.quiet() ? Style.NONE : Output.interactive() ? Style.BAR : Style.LINES);
    }

    ProgressLine(String name, PrintStream err, Style style) {
        this.name = name;
        this.err = err;
        this.style = style;
    }

    /** Progress that shows nothing. */
    public static ProgressLine silent() {
        return new ProgressLine("", System.err, Style.NONE);
    }

    /** {@code done} of {@code total} items are finished. */
    public void update(int done, int total) {
        show(done, total, "");
    }

    @Override
    public void onStep(long step, long maxSteps, double loss, double imagesPerSecond) {
        show(step, maxSteps, String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, imagesPerSecond));
    }

    @Override
    public void onEpoch(int epoch, Map<String, Double> metrics) {
    }

    /** {@code done} of {@code total} steps are finished; {@code extra} follows the count (loss, speed). */
    public synchronized void show(long done, long total, String extra) {
        switch (style) {
            case BAR -> {
                if (bar == null) {
                    bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                            .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err))
                            .startsFrom(Math.max(0, done - 1), Duration.ZERO).build();
                }
                bar.stepTo(done);
                bar.setExtraMessage(extra);
                if (done >= total) {
                    bar.close();
                    bar = null;
                }
            }
            case LINES -> {
                int tenth = total <= 0 ? 10 : (int) (10 * done / total);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    err.printf(Locale.ROOT, "  %s %3d%% (%d/%d%s)%n", name, 10 * tenth, done, total,
                            extra.isEmpty() ? "" : ", " + extra);
                    err.flush();
                }
            }
            case NONE -> {
            }
        }
    }
}
