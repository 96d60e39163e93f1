package dev.psa.cli.output;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.pipeline.Pipeline;
import dev.psa.runtime.pipeline.Stage;

/**
 * The command line's view of a run's events: one line per stage on {@code out} ({@code [cams] 12.3
 * s: 40 images (40 computed, 0 already done)}, {@code [seeds] up to date, skipped}, {@code [walk]
 * resuming}), progress on stderr ({@link ProgressLine}); nothing but errors with {@code --quiet}.
 */
public final class ConsoleListener implements StageListener {
    private final PrintStream out;
    private final Map<String, ProgressLine> progress = new HashMap<>();

    public ConsoleListener(PrintStream out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void started(String stage, boolean resumed) {
        if (resumed) {
            say("[" + stage + "] resuming");
        }
    }

    @Override
    public void progress(String stage, int done, int total, String item) {
        ProgressLine p = progress.computeIfAbsent(stage, ProgressLine::new);
        if (stage.startsWith("train-")) {
            p.show(done, total, item);
        } else {
            p.update(done, total);
        }
    }

    @Override
    public void notRun(String stage, String reason) {
        say("[" + stage + "] " + (reason.equals(Pipeline.UP_TO_DATE) ? reason : "not run: " + reason));
    }

    @Override
    public void finished(String stage, double seconds, Map<String, Object> summary) {
        progress.remove(stage);
        String line = String.format(Locale.ROOT, "[%s] %.1f s", stage, seconds);
        String numbers = StageLine.of(Stage.of(stage), summary);
        say(numbers.isEmpty() ? line : line + ": " + numbers);
    }

    private void say(String line) {
        if (!Output.quiet()) {
            out.println(line);
        }
    }
}
