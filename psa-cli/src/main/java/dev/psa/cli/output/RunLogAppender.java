package dev.psa.cli.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * runs ({@link #detach()}) events are buffered again. Where the file system cannot append (S3),
 * each command writes its own {@code logs/psa-<time>-<pid>.log} instead ({@link #ownLog}).
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
            Path target = logFile;
            OutputStream out;
            try {
                out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (UnsupportedOperationException e) {
                // an object store (s3a://) cannot append: this process's log becomes its own file beside it
                target = ownLog(logFile);
                out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            for (byte[] b : pending) {
                out.write(b);
            }
            out.flush();
            pending.clear();
            file = out;
            path = target;
            return true;
        } catch (IOException | RuntimeException e) {
            // the command goes on with its log in memory (and on the console): a log is no reason to fail a run
            addError("cannot open " + logFile + ": " + e.getMessage(), e);
            return false;
        }
    }

    /**
     * Where a process writes its log when the run's log file cannot be appended to: {@code
     * psa-<yyyyMMdd-HHmmss>-<pid>.log} beside it (one object per command on S3, which holds it
     * from the moment the command ends).
     */
    static Path ownLog(Path logFile) {
        String name = logFile.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        String when = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        return logFile.resolveSibling(stem + "-" + when + "-" + ProcessHandle.current().pid() + ".log");
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
