package dev.psa.cli.output;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/**
 * Console lines in words: {@code warning: MESSAGE} / {@code error: MESSAGE}; in verbose mode
 * {@code LEVEL Logger - MESSAGE}. Never a timestamp (the log file has them).
 */
public final class ConsoleLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent e) {
        String msg = e.getFormattedMessage();
        if (Output.mode() == Output.Mode.VERBOSE) {
            String logger = e.getLoggerName();
            return String.format("%-5s %s - %s%n", e.getLevel(), logger.substring(logger.lastIndexOf('.') + 1), msg);
        }
        return (e.getLevel().isGreaterOrEqual(Level.ERROR) ? "error: " : "warning: ") + msg + System.lineSeparator();
    }
}
