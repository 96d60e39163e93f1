package dev.psa.runtime.discovery;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import com.google.inject.Inject;
import dev.psa.api.Names;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.api.spi.ComponentProvider;
import dev.psa.api.spi.DatasetProvider;
import dev.psa.api.spi.PairSamplerProvider;
import dev.psa.api.spi.SegHeadProvider;
import dev.psa.api.spi.WalkSolverProvider;
import dev.psa.runtime.engine.EngineProvider;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Looks components up by name from the Guice {@code MapBinder}s that {@link DiscoveryModule}
 * fills. An unknown name fails with the key, the value, the available names and a suggestion.
 */
public final class Components {
    private final Map<String, BackboneProvider> backbones;
    private final Map<String, PairSamplerProvider> samplers;
    private final Map<String, WalkSolverProvider> solvers;
    private final Map<String, DatasetProvider> datasets;
    private final Map<String, EngineProvider> engines;
    private final Map<String, SegHeadProvider> segHeads;

    @Inject
    public Components(Map<String, BackboneProvider> backbones, Map<String, PairSamplerProvider> samplers,
            Map<String, WalkSolverProvider> solvers, Map<String, DatasetProvider> datasets,
            Map<String, EngineProvider> engines,
            Map<String, SegHeadProvider> segHeads) {
        this.backbones = Map.copyOf(backbones);
        this.samplers = Map.copyOf(samplers);
        this.solvers = Map.copyOf(solvers);
        this.datasets = Map.copyOf(datasets);
        this.engines = Map.copyOf(engines);
        this.segHeads = Map.copyOf(segHeads);
    }

    public BackboneProvider backbone(String name) {
        return find(ComponentKind.BACKBONE, backbones, name);
    }

    public PairSamplerProvider pairSampler(String name) {
        return find(ComponentKind.PAIR_SAMPLER, samplers, name);
    }

    public WalkSolverProvider walkSolver(String name) {
        return find(ComponentKind.WALK_SOLVER, solvers, name);
    }

    public DatasetProvider dataset(String name) {
        return find(ComponentKind.DATASET, datasets, name);
    }

    public EngineProvider engine(String name) {
        return find(ComponentKind.ENGINE, engines, name);
    }

    public SegHeadProvider segHead(String name) {
        return find(ComponentKind.SEG_HEAD, segHeads, name);
    }

    public Map<String, WalkSolverProvider> walkSolvers() {
        return new TreeMap<>(solvers);
    }

    public Map<String, BackboneProvider> backbones() {
        return new TreeMap<>(backbones);
    }

    /** The names of every registered component of a kind (built in or from plugins), sorted. */
    public Set<String> names(ComponentKind<?> kind) {
        Map<String, ?> byName = kind == ComponentKind.BACKBONE ? backbones
                : kind == ComponentKind.PAIR_SAMPLER ? samplers
                : kind == ComponentKind.WALK_SOLVER ? solvers
                : kind == ComponentKind.DATASET ? datasets
                : kind == ComponentKind.ENGINE ? engines
                : kind == ComponentKind.SEG_HEAD ? segHeads
                : Map.of();
        return new TreeSet<>(byName.keySet());
    }

    /** @throws ConfigException naming key, value, the available names and a close match */
    public static <P extends ComponentProvider<?>> P find(ComponentKind<?> kind, Map<String, P> byName, String name) {
        requireNonNull(name, "name is null");
        P p = byName.get(name);
        if (p == null) {
            var names = new TreeSet<>(byName.keySet());
            throw new ConfigException("Unknown " + kind.word() + " '" + name + "' (key " + kind.key() + "). Available: "
                    + names + "." + Names.didYouMean(name, names) + " " + capitalize(kind.word())
                    + "s are found through META-INF/services/" + kind.providerType().getName()
                    + " (built in, or in a jar of the plugin folder: --plugins DIR).");
        }
        return p;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
