package dev.psa.backbones;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.BackboneProvider;

/**
 * Finds backbones by provider name through {@link ServiceLoader} (for tests and library use; the
 * CLI discovers providers once, through Guice, with its plugin class loader).
 */
public final class Backbones {
    private Backbones() {
    }

    /**
     * Creates the backbone named {@code name}, looking providers up with the class loader of this
     * class.
     *
     * @param cfg the {@code backbone.}-scoped config view handed to the provider
     * @throws PsaException for an unknown name, listing the available names
     */
    public static Backbone byName(String name, ComponentConfig cfg) {
        return byName(name, cfg, Backbones.class.getClassLoader());
    }

    /** Like {@link #byName(String, ComponentConfig)} with an explicit class loader (e.g. a plugin folder's). */
    public static Backbone byName(String name, ComponentConfig cfg, ClassLoader loader) {
        requireNonNull(name, "name is null");
        requireNonNull(cfg, "cfg is null");
        Map<String, BackboneProvider> providers = providers(loader);
        BackboneProvider p = providers.get(name);
        if (p == null) {
            String suggestion = closest(name, providers.keySet());
            throw new PsaException("Unknown backbone '" + name + "' (key backbone.name). Available: "
                    + providers.keySet() + "." + (suggestion == null ? "" : " Did you mean '" + suggestion + "'?")
                    + " Backbones are found through META-INF/services/" + BackboneProvider.class.getName() + ".");
        }
        return p.create(cfg);
    }

    /**
     * Every backbone provider visible to {@code loader}, by name.
     *
     * @throws PsaException when two providers share a name
     */
    public static Map<String, BackboneProvider> providers(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        Map<String, BackboneProvider> out = new TreeMap<>();
        for (BackboneProvider p : ServiceLoader.load(BackboneProvider.class, loader)) {
            BackboneProvider old = out.put(p.name(), p);
            if (old != null) {
                throw new PsaException("Two backbone providers are named '" + p.name() + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
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
