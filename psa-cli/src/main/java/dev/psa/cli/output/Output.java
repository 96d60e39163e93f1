package dev.psa.cli.output;

import static java.util.Objects.requireNonNull;

/**
 * The command line's output settings for this process: how much is shown ({@code --quiet},
 * {@code --verbose}) and whether stderr may redraw a progress bar. Nothing here ever writes an
 * ANSI escape: on a terminal a bar is redrawn with carriage returns only; {@code NO_COLOR} or
 * {@code TERM=dumb} turn even that into plain lines.
 */
public final class Output {
    /** How much the command shows. */
    public enum Mode {
        /** Results and errors only: no progress, no per-stage lines, no warnings. */
        QUIET,
        /** Progress, one line per stage, warnings once, the results. */
        NORMAL,
        /** Also psa's informational log lines (level and logger, no timestamps) on stderr. */
        VERBOSE
    }

    private static volatile Mode mode = Mode.NORMAL;

    private Output() {
    }

    public static Mode mode() {
        return mode;
    }

    public static void mode(Mode m) {
        mode = requireNonNull(m, "mode is null");
    }

    public static boolean quiet() {
        return mode == Mode.QUIET;
    }

    /**
     * Whether progress may be drawn as a bar redrawn in place: the process has a terminal
     * ({@link System#console()}), {@code TERM} is not {@code dumb} and {@code NO_COLOR} is unset.
     */
    public static boolean interactive() {
        String term = System.getenv("TERM");
        String noColor = System.getenv("NO_COLOR");
        return System.console() != null && !"dumb".equals(term) && (noColor == null || noColor.isEmpty());
    }
}
