package dev.psa.cli.output;

import java.io.PrintStream;

/** Lets tests of other packages drive a {@link ProgressLine} of a given style. */
public final class ProgressLineAccess {
    private ProgressLineAccess() {
    }

    /** Reports 1..total done items in the not-a-terminal style. */
    public static void lines(String name, PrintStream err, int total) {
        run(new ProgressLine(name, err, ProgressLine.Style.LINES), total);
    }

    /** Reports 1..total done items in the quiet style. */
    public static void none(String name, PrintStream err, int total) {
        run(new ProgressLine(name, err, ProgressLine.Style.NONE), total);
    }

    private static void run(ProgressLine p, int total) {
        for (int i = 1; i <= total; i++) {
            p.update(i, total);
        }
    }
}
