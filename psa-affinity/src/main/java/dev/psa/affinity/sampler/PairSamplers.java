package dev.psa.affinity.sampler;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.psa.api.Names;
import dev.psa.api.PsaException;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.PairSamplerProvider;

/**
 * The pair samplers shipped in this module, by provider name, for library use and tests. Plugins are
 * not found here: the CLI discovers every provider (built-in and plugin jars) in one place, with its
 * plugin class loader, and binds them with Guice (DESIGN.md, Extension points).
 */
public final class PairSamplers {
    private static final List<PairSamplerProvider> BUILT_IN = List.of(new BalancedPairSamplerProvider(),
            new StratifiedPairSamplerProvider());

    private PairSamplers() {
    }

    /** @return the built-in providers, by name */
    public static Map<String, PairSamplerProvider> providers() {
        Map<String, PairSamplerProvider> byName = new TreeMap<>();
        BUILT_IN.forEach(p -> byName.put(p.name(), p));
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
        Map<String, PairSamplerProvider> providers = providers();
        PairSamplerProvider p = providers.get(name);
        if (p == null) {
            throw new PsaException("Unknown pair sampler '" + name + "' (key " + affConfig.fullKey("sampler")
                    + "). Available: " + providers.keySet() + "." + Names.didYouMean(name, providers.keySet())
                    + " Samplers of plugin jars are found by the psa command (plugins.dir).");
        }
        return p.create(affConfig);
    }
}
