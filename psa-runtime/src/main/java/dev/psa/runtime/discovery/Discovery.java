package dev.psa.runtime.discovery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import dev.psa.api.Names;
import dev.psa.api.PsaException;
import dev.psa.api.spi.ComponentProvider;
import java.util.Comparator;
import java.util.TreeMap;

/**
 * The one place psa calls {@link ServiceLoader}. Built-in providers come from the application
 * class loader; each jar of the plugin folder gets its own child class loader, so a broken jar
 * (no provider, a provider whose class is missing or whose constructor throws) is reported and
 * the others still load. Duplicate names fail, naming both classes and both jars.
 */
public final class Discovery {
    /** Everything found, plus the problems of plugin jars that did not take the run down. */
    public record Result(Map<ComponentKind<?>, Map<String, DiscoveredProvider>> providers, List<String> warnings,
                         List<Path> pluginJars) {
        /** The providers of one kind, by name (sorted). */
        @SuppressWarnings("unchecked")
        public <P extends ComponentProvider<?>> Map<String, P> of(ComponentKind<P> kind) {
            Map<String, P> out = new TreeMap<>();
            providers.getOrDefault(kind, Map.of()).forEach((n, d) -> out.put(n, (P) d.provider()));
            return out;
        }

        /** All discovered providers, kind by kind, names sorted. */
        public List<DiscoveredProvider> all() {
            List<DiscoveredProvider> out = new ArrayList<>();
            for (ComponentKind<?> k : ComponentKind.all()) {
                providers.getOrDefault(k, Map.of()).values().stream()
                        .sorted(Comparator.comparing(DiscoveredProvider::name)).forEach(out::add);
            }
            return out;
        }
    }

    private Discovery() {
    }

    /**
     * @param appLoader   the loader of built-in components (the application class loader)
     * @param pluginDir   a folder of plugin jars, or null
     * @throws PsaException when two providers of one kind share a name, or a name is invalid
     */
    public static Result discover(ClassLoader appLoader, Path pluginDir) {
        requireNonNull(appLoader, "appLoader is null");
        Map<ComponentKind<?>, Map<String, DiscoveredProvider>> found = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ComponentKind<?> kind : ComponentKind.all()) {
            found.put(kind, new LinkedHashMap<>());
            load(kind, appLoader, null, found.get(kind), warnings, errors);
        }
        List<Path> jars = pluginJars(pluginDir);
        for (Path jar : jars) {
            URLClassLoader loader;
            try {
                loader = new URLClassLoader("psa-plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, appLoader);
            } catch (MalformedURLException e) {
                warnings.add("plugin jar " + jar + " skipped: " + e.getMessage());
                continue;
            }
            int before = count(found);
            int problemsBefore = warnings.size();
            for (ComponentKind<?> kind : ComponentKind.all()) {
                load(kind, loader, jar, found.get(kind), warnings, errors);
            }
            if (count(found) == before && warnings.size() == problemsBefore) {
                warnings.add("plugin jar " + jar + " contains no psa provider (expected a file "
                        + "META-INF/services/<provider interface>, e.g. META-INF/services/"
                        + ComponentKind.BACKBONE.providerType().getName() + ")");
            }
        }
        if (!errors.isEmpty()) {
            throw new PsaException(String.join("\n", errors));
        }
        return new Result(Collections.unmodifiableMap(found), List.copyOf(warnings), jars);
    }

    private static int count(Map<ComponentKind<?>, Map<String, DiscoveredProvider>> found) {
        return found.values().stream().mapToInt(Map::size).sum();
    }

    private static List<Path> pluginJars(Path dir) {
        if (dir == null) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new PsaException("plugin folder " + dir + " does not exist or is not a folder (option --plugins"
                    + " or key plugins.dir)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new PsaException("cannot list plugin folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static <P extends ComponentProvider<?>> void load(ComponentKind<P> kind, ClassLoader loader, Path jar,
            Map<String, DiscoveredProvider> into, List<String> warnings, List<String> errors) {
        ServiceLoader<P> sl = ServiceLoader.load(kind.providerType(), loader);
        var it = sl.stream().iterator();
        while (true) {
            ServiceLoader.Provider<P> p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                warnings.add((jar == null ? "built-in" : "plugin jar " + jar) + ": a " + kind.word()
                        + " provider could not be loaded: " + rootMessage(e));
                if (jar == null) {
                    continue;
                }
                continue;
            }
            Class<? extends P> type = p.type();
            if (jar != null && type.getClassLoader() != loader) {
                continue; // visible through the parent: a built-in one, already registered
            }
            P provider;
            try {
                provider = p.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                warnings.add((jar == null ? "built-in" : "plugin jar " + jar) + ": " + kind.word() + " provider "
                        + type.getName() + " failed while constructed: " + rootMessage(e));
                continue;
            }
            String name;
            try {
                name = provider.name();
            } catch (RuntimeException e) {
                warnings.add(type.getName() + ": name() threw " + rootMessage(e));
                continue;
            }
            String origin = origin(type, jar);
            if (!Names.isValid(name)) {
                errors.add("invalid " + kind.word() + " name '" + name + "' from " + type.getName() + " (" + origin
                        + "): names match [a-z][a-z0-9_-]*");
                continue;
            }
            DiscoveredProvider existing = into.get(name);
            if (existing != null) {
                errors.add("duplicate " + kind.word() + " name '" + name + "': " + existing.provider().getClass().getName()
                        + " (" + existing.origin() + ") and " + type.getName() + " (" + origin
                        + "). Remove one of the jars or rename one provider.");
                continue;
            }
            Package pkg = type.getPackage();
            String version = pkg != null && pkg.getImplementationVersion() != null ? pkg.getImplementationVersion() : "dev";
            into.put(name, new DiscoveredProvider(kind, provider, origin, version));
        }
    }

    private static String origin(Class<?> type, Path jar) {
        if (jar != null) {
            return jar.toString();
        }
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "built-in";
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (Exception e) {
            return cs.getLocation().toString();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return t == e ? m : e.getMessage() + " (caused by " + m + ")";
    }
}
