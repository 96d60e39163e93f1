package dev.psa.cli.stages;

import java.io.PrintStream;

/** A single-line "stage 37/120 (31%)" progress indicator on stderr; silent when not a terminal. */
public final class ProgressLine {
    private final String name;
    private final PrintStream err;
    private final boolean tty;
    private long last;

    public ProgressLine(String name) {
        this(name, System.err, System.console() != null);
    }

    ProgressLine(String name, PrintStream err, boolean tty) {
        this.name = name;
        this.err = err;
        this.tty = tty;
    }

    public static ProgressLine silent() {
        return new ProgressLine("", System.err, false);
    }

    public void update(int done, int total) {
        if (!tty) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - last < 200_000_000L) {
            return;
        }
        last = now;
        err.printf("\r%s %d/%d (%d%%)%s", name, done, total, total == 0 ? 100 : 100 * done / total, done == total ? "\n" : "");
        err.flush();
    }
}
