package dev.psa.runtime.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import dev.psa.api.Names;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.api.spi.ComponentProvider;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.discovery.Components;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolved, validated configuration of one command: one typed record per stage section and the
 * selected components, created up front so that every problem — unparsable values, out-of-range
 * values, unknown component names, unknown keys — is found before any work and reported together.
 * <p>
 * A key nobody reads is an error, except in the section of another registered component of the same
 * kind: with {@code seg.head=aspp} a preset's {@code seg.largefov.*} keys, with {@code backbone.name=vgg16}
 * any {@code backbone.resnet38.*} keys, are simply unused ({@link #unused()}, logged), so a component
 * can be switched by one override. A section is {@code <scope><name>.}, the scope being the part of the
 * kind's key before its first dot ({@code seg.}, {@code backbone.}, {@code aff.}, {@code rw.}, {@code data.});
 * the engine, whose key has no scope, has no such sections.
 */
public final class Settings {
    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    private final Map<String, ComponentConfig.Value> values;
    private final ComponentConfig root;
    private final Map<Class<?>, Object> records;
    private final Map<ComponentKind<?>, Object> components;
    private final Map<String, String> unused;

    private Settings(Map<String, ComponentConfig.Value> values, ComponentConfig root, Map<Class<?>, Object> records,
            Map<ComponentKind<?>, Object> components, Map<String, String> unused) {
        this.values = Map.copyOf(values);
        this.root = root;
        this.records = records;
        this.components = components;
        this.unused = Map.copyOf(unused);
    }

    /**
     * @param values     merged values (ConfigLoader)
     * @param sections   the stage sections to build
     * @param registry   discovered components
     * @param kinds      the component kinds to create (e.g. not the dataset for commands that take a folder)
     * @throws ConfigException with every problem found
     */
    public static Settings resolve(Map<String, ComponentConfig.Value> values, List<Section<?>> sections,
            Components registry, Set<ComponentKind<?>> kinds) {
        requireNonNull(values, "values is null");
        ComponentConfig root = ComponentConfig.of(values);
        List<String> problems = new ArrayList<>();
        root.getOptional(ConfigLoader.PRESET_KEY);
        root.getOptional("plugins.dir");
        Map<Class<?>, Object> records = new LinkedHashMap<>();
        for (Section<?> s : sections) {
            try {
                records.put(s.type(), s.factory().apply(root.scoped(s.prefix())));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (RuntimeException e) {
                problems.add(s.prefix() + "*: " + e.getMessage());
            }
        }
        problems.addAll(Sections.crossCheck(records));
        Map<ComponentKind<?>, Object> created = new LinkedHashMap<>();
        // "<scope><name>." of every registered component not selected → why its keys go unused
        Map<String, String> otherSections = new TreeMap<>();
        for (ComponentKind<?> kind : ComponentKind.all()) {
            String name = root.getString(kind.key(), kind.defaultName());
            String scope0 = kind.key().substring(0, kind.key().indexOf('.') + 1);
            if (!scope0.isEmpty()) {
                for (String other : registry.names(kind)) {
                    if (!other.equals(name)) {
                        otherSections.put(scope0 + other + ".", kind.key() + "=" + name + ", not " + other);
                    }
                }
            }
            // every kind but the dataset (which may read folders) is created even when this command does
            // not use it: its provider owns and checks its keys (rw.threads, backbone.<name>.*), so they
            // are validated — and known — on every command, with one reader each
            if (!kinds.contains(kind) && kind == ComponentKind.DATASET) {
                continue;
            }
            try {
                ComponentProvider<?> p = provider(registry, kind, name);
                String scope = kind.key().substring(0, kind.key().indexOf('.') + 1);
                Object component = p.create(root.scoped(scope));
                if (kinds.contains(kind)) {
                    created.put(kind, component);
                }
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (RuntimeException e) {
                problems.add(kind.key() + "=" + name + ": " + e.getMessage());
            }
        }
        problems.addAll(0, root.problems());
        Set<String> known = new TreeSet<>(root.reads().keySet());
        Map<String, String> unused = new TreeMap<>();
        for (String unknown : root.unreadKeys()) {
            String section = otherSections.keySet().stream().filter(unknown::startsWith).findFirst().orElse(null);
            if (section != null) {
                unused.put(unknown, otherSections.get(section));
                LOG.info("{} is not used ({}; from {})", unknown, otherSections.get(section),
                        values.get(unknown).source());
                continue;
            }
            problems.add("unknown key '" + unknown + "' (from " + values.get(unknown).source() + ")."
                    + Names.didYouMean(unknown, known)
                    + (Names.closest(unknown, known).isEmpty() ? " Run 'psa config show' for every key." : ""));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(values, root, records, created, unused);
    }

    /**
     * The keys given for another registered component of a kind than the selected one (e.g. the demo
     * preset's {@code seg.largefov.*} under {@code --set seg.head=aspp}), with the reason
     * ({@code "seg.head=aspp, not largefov"}); they are not errors and are not used.
     */
    public Map<String, String> unused() {
        return new TreeMap<>(unused);
    }

    private static ComponentProvider<?> provider(Components registry, ComponentKind<?> kind, String name) {
        if (kind == ComponentKind.BACKBONE) {
            return registry.backbone(name);
        } else if (kind == ComponentKind.PAIR_SAMPLER) {
            return registry.pairSampler(name);
        } else if (kind == ComponentKind.WALK_SOLVER) {
            return registry.walkSolver(name);
        } else if (kind == ComponentKind.ENGINE) {
            return registry.engine(name);
        } else if (kind == ComponentKind.SEG_HEAD) {
            return registry.segHead(name);
        }
        return registry.dataset(name);
    }

    /** The record of a section, if this command built it. */
    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(records.get(type)).map(type::cast);
    }

    /** The record of a section. */
    public <T> T get(Class<T> type) {
        Object o = records.get(type);
        if (o == null) {
            throw new IllegalStateException("no config section of type " + type.getName());
        }
        return type.cast(o);
    }

    /** A created component of a kind that was asked for. */
    public <T> T component(ComponentKind<?> kind, Class<T> type) {
        Object o = components.get(kind);
        if (o == null) {
            throw new IllegalStateException("no " + kind.word() + " was created for this command");
        }
        return type.cast(o);
    }

    /** The created components, by the config key that selected them (for provenance). */
    public Map<String, Object> components() {
        Map<String, Object> out = new LinkedHashMap<>();
        components.forEach((kind, c) -> out.put(kind.key(), c));
        return out;
    }

    /** The values given (preset, file, {@code --set}, a run folder's recorded values), with their sources. */
    public Map<String, ComponentConfig.Value> values() {
        return values;
    }

    /** The root config view (every read is in {@link ComponentConfig#reads()}). */
    public ComponentConfig root() {
        return root;
    }

    /** Every key read, with value, default and source, sorted by key. */
    public List<ComponentConfig.Read> reads() {
        return new ArrayList<>(new TreeMap<>(root.reads()).values());
    }

    /** The resolved values by key (defaults included), for provenance. */
    public Map<String, String> resolvedValues() {
        Map<String, String> out = new TreeMap<>();
        root.reads().forEach((k, r) -> {
            if (r.value() != null) {
                out.put(k, r.value());
            }
        });
        return out;
    }
}
