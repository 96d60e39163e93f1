package dev.psa.backbones;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.List;
import java.util.TreeMap;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.backbones.resnet38.ResNet38BackboneProvider;
import dev.psa.backbones.tiny.TinyBackboneProvider;
import dev.psa.backbones.vgg16.Vgg16BackboneProvider;

/**
 * The backbones shipped in this module, by provider name, for library use, tests and benchmarks.
 * Plugins are not found here: the CLI discovers every provider (built-in and plugin jars) in one
 * place, with its plugin class loader, and binds them with Guice (DESIGN.md, Extension points).
 */
public final class Backbones {
    private static final List<BackboneProvider> BUILT_IN = List.of(new TinyBackboneProvider(),
            new ResNet38BackboneProvider(), new Vgg16BackboneProvider());

    private Backbones() {
    }

    /**
     * Creates the built-in backbone named {@code name}.
     *
     * @param cfg the {@code backbone.}-scoped config view handed to the provider
     * @throws PsaException for an unknown name, listing the available names
     */
    public static Backbone byName(String name, ComponentConfig cfg) {
        requireNonNull(name, "name is null");
        requireNonNull(cfg, "cfg is null");
        Map<String, BackboneProvider> providers = providers();
        BackboneProvider p = providers.get(name);
        if (p == null) {
            String suggestion = closest(name, providers.keySet());
            throw new PsaException("Unknown backbone '" + name + "' (key backbone.name). Built in: "
                    + providers.keySet() + "." + (suggestion == null ? "" : " Did you mean '" + suggestion + "'?")
                    + " Backbones of plugin jars are found by the psa command (plugins.dir).");
        }
        return p.create(cfg);
    }

    /** The built-in backbone providers, by name. */
    public static Map<String, BackboneProvider> providers() {
        Map<String, BackboneProvider> out = new TreeMap<>();
        BUILT_IN.forEach(p -> out.put(p.name(), p));
        return out;
    }

    private static String closest(String name, Iterable<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = distance(name, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
