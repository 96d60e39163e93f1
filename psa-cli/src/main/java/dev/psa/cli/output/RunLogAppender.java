package dev.psa.cli.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;

/**
 * The full log of a run, every level of every library, in {@code <run>/logs/psa.log}. Events
 * before a run folder is known (start-up, ND4J's backend notes) are kept in memory (the last
 * {@value #BUFFER} events) and written first when {@link #attach(Path)} names the file; after that
 * each event is appended and flushed at once, so a crash loses nothing that was logged. Between
 * runs ({@link #detach()}) events are buffered again.
 */
public final class RunLogAppender extends AppenderBase<ILoggingEvent> {
    /** Events kept while no file is attached. */
    static final int BUFFER = 5000;

    private static volatile RunLogAppender current;

    private Encoder<ILoggingEvent> encoder;
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private OutputStream file;
    private Path path;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for " + getName());
            return;
        }
        current = this;
        super.start();
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        byte[] bytes = encoder.encode(e);
        if (file == null) {
            if (pending.size() == BUFFER) {
                pending.removeFirst();
            }
            pending.addLast(bytes);
            return;
        }
        try {
            file.write(bytes);
            file.flush();
        } catch (IOException ex) {
            addError("cannot write " + path + ": " + ex.getMessage(), ex);
            closeQuietly();
        }
    }

    /**
     * Appends this process's log to {@code logFile} from now on (creating its folder), after the
     * events buffered so far. Returns false, leaving the log in memory, when the file cannot be
     * opened or no appender is configured (a library user's logging setup).
     */
    public static boolean attach(Path logFile) {
        RunLogAppender a = current;
        return a != null && a.open(logFile);
    }

    /** Stops writing to the run's file; later events are buffered again. */
    public static void detach() {
        RunLogAppender a = current;
        if (a != null) {
            synchronized (a) {
                a.closeQuietly();
            }
        }
    }

    private synchronized boolean open(Path logFile) {
        closeQuietly();
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            for (byte[] b : pending) {
                out.write(b);
            }
            out.flush();
            pending.clear();
            file = out;
            path = logFile;
            return true;
        } catch (IOException e) {
            addError("cannot open " + logFile + ": " + e.getMessage(), e);
            return false;
        }
    }

    private void closeQuietly() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                addError("cannot close " + path + ": " + e.getMessage(), e);
            }
            file = null;
            path = null;
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            closeQuietly();
        }
        super.stop();
    }
}
