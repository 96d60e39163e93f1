package dev.psa.cli.commands;

import java.io.PrintWriter;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.backbones.BackboneStats;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.discovery.Discovery;

/** The {@code --details} lines of {@code psa plugins}: {@code <name> params=<trainable parameter count>}. */
final class BackboneDetails {
    private BackboneDetails() {
    }

    static void print(Discovery.Result r, PrintWriter out) {
        for (var e : r.of(ComponentKind.BACKBONE).entrySet()) {
            BackboneProvider p = e.getValue();
            try {
                BackboneStats s = BackboneStats.of(p.create(ComponentConfig.empty().scoped("backbone.")));
                out.println(e.getKey() + " params=" + s.trainable());
            } catch (RuntimeException ex) {
                out.println(e.getKey() + " params=unavailable (" + ex.getMessage() + ")");
            }
            out.flush();
        }
    }
}
