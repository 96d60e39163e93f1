package dev.psa.cli.commands;

import java.io.PrintWriter;
import dev.psa.cli.discovery.Discovery;

/** The {@code --details} lines of {@code psa plugins}: {@code <name> params=<trainable parameter count>}. */
final class BackboneDetails {
    private BackboneDetails() {
    }

    static void print(Discovery.Result r, PrintWriter out) {
        out.println("backbone details: not available in this build");
    }
}
