package dev.psa.affinity.sampler;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import dev.psa.api.Names;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.PairSamplerProvider;

/**
 * Finds a {@link PairSampler} by name through {@link ServiceLoader}, for library use and tests (the
 * CLI discovers providers once, with its plugin class loader, and binds them with Guice).
 */
public final class PairSamplers {
    private PairSamplers() {
    }

    /** @return the providers visible to {@code loader}, by name */
    public static Map<String, PairSamplerProvider> providers(ClassLoader loader) {
        Map<String, PairSamplerProvider> byName = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        for (PairSamplerProvider p : ServiceLoader.load(PairSamplerProvider.class, loader)) {
            PairSamplerProvider earlier = byName.putIfAbsent(p.name(), p);
            if (earlier != null) {
                duplicates.add("'" + p.name() + "' (" + earlier.getClass().getName() + " and " + p.getClass().getName()
                        + ")");
            }
        }
        if (!duplicates.isEmpty()) {
            throw new PsaException("Duplicate pair sampler names: " + String.join(", ", duplicates));
        }
        return byName;
    }

    /**
     * @param name      the provider name (config key {@code aff.sampler})
     * @param affConfig the {@code aff.} view the provider reads its settings from
     * @throws PsaException naming the key, the value, the available samplers and a close match
     */
    public static PairSampler byName(String name, ComponentConfig affConfig) {
        requireNonNull(name, "name is null");
        requireNonNull(affConfig, "affConfig is null");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Map<String, PairSamplerProvider> providers = providers(loader != null ? loader
                : PairSamplers.class.getClassLoader());
        PairSamplerProvider p = providers.get(name);
        if (p == null) {
            throw new PsaException("Unknown pair sampler '" + name + "' (key " + affConfig.fullKey("sampler")
                    + "). Available: " + providers.keySet() + "." + Names.didYouMean(name, providers.keySet())
                    + " Samplers are found through META-INF/services/" + PairSamplerProvider.class.getName() + ".");
        }
        return p.create(affConfig);
    }
}
