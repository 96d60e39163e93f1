package dev.psa.cli.output;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * A {@link PrintStream} whose lines become INFO log lines: library code that reports through a
 * stream (evaluation tables, file lists) lands in the run's log file instead of the console.
 */
public final class LogStream extends OutputStream {
    private final Logger log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LogStream(Logger log) {
        this.log = log;
    }

    /** A print stream logging each line at INFO on {@code log}. */
    public static PrintStream info(Logger log) {
        return new PrintStream(new LogStream(log), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!s.isBlank()) {
            log.info(s.stripTrailing());
        }
    }
}
