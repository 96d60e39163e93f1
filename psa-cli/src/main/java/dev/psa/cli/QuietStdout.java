package dev.psa.cli;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Drops the lines SameDiff 1.0.0-M2.1 prints straight to standard output while it builds a gradient
 * function ("Added differentiated op …", one per op, not through a logger), so psa's own output stays
 * readable and machine-parsable. Everything else passes through line by line.
 */
final class QuietStdout extends FilterOutputStream {
    private static final String NOISE = "Added differentiated op";
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private QuietStdout(OutputStream out) {
        super(out);
    }

    static void install() {
        System.setOut(new PrintStream(new QuietStdout(new java.io.FileOutputStream(java.io.FileDescriptor.out)), true,
                StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith(NOISE)) {
            out.write(line.toByteArray());
            line.reset();
        }
        out.flush();
    }

    private void emit() throws IOException {
        String s = line.toString(StandardCharsets.UTF_8);
        if (!s.startsWith(NOISE)) {
            out.write(line.toByteArray());
        }
        line.reset();
    }
}
