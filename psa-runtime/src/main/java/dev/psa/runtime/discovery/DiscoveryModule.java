package dev.psa.runtime.discovery;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.psa.api.spi.ComponentProvider;

/** Feeds discovered providers into one Guice {@link MapBinder} per component kind. */
public final class DiscoveryModule extends AbstractModule {
    private final Discovery.Result result;

    public DiscoveryModule(Discovery.Result result) {
        this.result = result;
    }

    @Override
    protected void configure() {
        bind(Discovery.Result.class).toInstance(result);
        for (ComponentKind<?> kind : ComponentKind.all()) {
            bindKind(kind);
        }
    }

    private <P extends ComponentProvider<?>> void bindKind(ComponentKind<P> kind) {
        MapBinder<String, P> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class),
                TypeLiteral.get(kind.providerType()));
        result.of(kind).forEach((name, provider) -> binder.addBinding(name).toInstance(provider));
    }
}
