package dev.psa.runtime.discovery;

import java.util.List;
import dev.psa.api.spi.BackboneProvider;
import dev.psa.api.spi.ComponentProvider;
import dev.psa.api.spi.DatasetProvider;
import dev.psa.api.spi.PairSamplerProvider;
import dev.psa.api.spi.SegHeadProvider;
import dev.psa.api.spi.WalkSolverProvider;
import dev.psa.runtime.engine.EngineProvider;

/**
 * The kinds of pluggable components: the provider interface, the config key that selects one, and
 * a word for messages.
 *
 * @param word          "backbone", "walk solver", …
 * @param providerType  the SPI interface
 * @param key           the config key whose value names the component
 * @param defaultName   the component used when the key is not set
 */
public record ComponentKind<P extends ComponentProvider<?>>(String word, Class<P> providerType, String key, String defaultName) {
    public static final ComponentKind<BackboneProvider> BACKBONE =
            new ComponentKind<>("backbone", BackboneProvider.class, "backbone.name", "resnet38");
    public static final ComponentKind<PairSamplerProvider> PAIR_SAMPLER =
            new ComponentKind<>("pair sampler", PairSamplerProvider.class, "aff.sampler", "balanced");
    public static final ComponentKind<WalkSolverProvider> WALK_SOLVER =
            new ComponentKind<>("walk solver", WalkSolverProvider.class, "rw.solver", "sparse");
    public static final ComponentKind<DatasetProvider> DATASET =
            new ComponentKind<>("dataset", DatasetProvider.class, "data.name", "shapes");
    /** The engine of the per-image stages; its provider reads its own keys ({@code spark.*}) from the root. */
    public static final ComponentKind<EngineProvider> ENGINE =
            new ComponentKind<>("engine", EngineProvider.class, "engine", "local");

    public static final ComponentKind<SegHeadProvider> SEG_HEAD =
            new ComponentKind<>("seg head", SegHeadProvider.class, "seg.head", "largefov");

    /** Every kind, in the order {@code psa plugins} lists them. */
    public static List<ComponentKind<?>> all() {
        return List.of(BACKBONE, PAIR_SAMPLER, WALK_SOLVER, DATASET, SEG_HEAD, ENGINE);
    }
}
