package dev.psa.cli;

import dev.psa.cli.nd4j.NativeBuild;
import picocli.CommandLine;

/** Entry point of the {@code psa} command. Exit codes: 0 ok, 1 failure, 2 usage or config error. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        QuietStdout.install();
        NativeBuild.select(); // before any ND4J class loads
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (used by tests in-process). */
    public static int run(String... args) {
        return PsaCommand.commandLine().execute(args);
    }
}
