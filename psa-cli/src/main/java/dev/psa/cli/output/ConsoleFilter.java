package dev.psa.cli.output;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Which log events reach the console (stderr). Normal mode: psa's own warnings and errors, each
 * kind once (the first event of a message pattern; the rest are in the log file); other
 * libraries' warnings (ND4J's start-up notes) go to the log file only. Verbose: psa's INFO and
 * everyone's warnings. Quiet: errors only.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public FilterReply decide(ILoggingEvent e) {
        boolean ours = e.getLoggerName().startsWith("dev.psa");
        Level level = e.getLevel();
        switch (Output.mode()) {
            case QUIET:
                return level.isGreaterOrEqual(Level.ERROR) && ours ? FilterReply.NEUTRAL : FilterReply.DENY;
            case VERBOSE:
                return ours && level.isGreaterOrEqual(Level.INFO) || level.isGreaterOrEqual(Level.WARN)
                        ? FilterReply.NEUTRAL : FilterReply.DENY;
            default:
                if (!ours || !level.isGreaterOrEqual(Level.WARN)) {
                    return FilterReply.DENY;
                }
                String pattern = e.getLoggerName() + '\u0000' + e.getMessage();
                return seen.add(pattern) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}
