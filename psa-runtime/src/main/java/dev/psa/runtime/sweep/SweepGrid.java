package dev.psa.runtime.sweep;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;
import dev.psa.runtime.config.Sections;
import dev.psa.runtime.pipeline.Stage;

/**
 * The grid of a sweep: config keys, each with the values to try, in the order the user gave them
 * ({@code --grid rw.beta=4,8,16}, or {@code sweep.grid.<key>} in a config file), and the variants —
 * the cartesian product — in the order they run: keys read by earlier stages vary slowest, so variants
 * that share upstream stages are neighbours.
 */
public final class SweepGrid {
    /** Prefix of the sweep block of a config file ({@code sweep.name}, {@code sweep.grid.<key>}). */
    public static final String PREFIX = "sweep.";
    /** The key of the sweep's name in a config file. */
    public static final String NAME_KEY = "sweep.name";
    private static final String GRID_PREFIX = "sweep.grid.";

    /**
     * One variant: the grid values it takes.
     *
     * @param name   the run folder's name, e.g. {@code rw.beta=16,rw.radius=2} (keys in the user's order)
     * @param values grid key → value, in the user's key order
     */
    public record Variant(String name, Map<String, String> values) {
        public Variant {
            requireNonNull(name, "name is null");
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /**
         * The config values of this variant over {@code base}: each grid value (source {@code --grid}),
         * and each key tied to a grid key ({@link Sections#tiedKeys()}) that the grid does not name,
         * set to the same value.
         */
        public Map<String, ComponentConfig.Value> over(Map<String, ComponentConfig.Value> base) {
            Map<String, ComponentConfig.Value> out = new LinkedHashMap<>();
            base.forEach((k, v) -> {
                if (!k.startsWith(PREFIX)) {
                    out.put(k, v);
                }
            });
            values.forEach((k, v) -> {
                out.put(k, new ComponentConfig.Value(v, "--grid " + k));
                String partner = Sections.tiedKeys().get(k);
                if (partner != null && !values.containsKey(partner)) {
                    out.put(partner, new ComponentConfig.Value(v, "--grid " + k + " (" + partner + " must equal " + k
                            + ")"));
                }
            });
            return out;
        }
    }

    private final Map<String, List<String>> keys;

    private SweepGrid(Map<String, List<String>> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** The grid keys and their values, in the user's order. */
    public Map<String, List<String>> keys() {
        return keys;
    }

    /**
     * The grid of a config's sweep block ({@code sweep.grid.<key>=V1,V2}) with {@code --grid KEY=V1,V2}
     * options over it (a key given again replaces its values).
     *
     * @throws ConfigException naming every malformed option or key, or an empty grid
     */
    public static SweepGrid of(Map<String, ComponentConfig.Value> config, List<String> gridOptions) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        config.forEach((k, v) -> {
            if (k.startsWith(GRID_PREFIX)) {
                // YAML keys with a dot (rw.beta: [4, 8]) come back with the dot doubled
                String key = k.substring(GRID_PREFIX.length()).replace("..", ".");
                parse(key, v.value(), k + " (" + v.source() + ")", keys, problems);
            } else if (k.startsWith(PREFIX) && !k.equals(NAME_KEY)) {
                problems.add("unknown key '" + k + "' (from " + v.source() + "): the sweep block has only "
                        + NAME_KEY + " and " + GRID_PREFIX + "<key>");
            }
        });
        for (String g : gridOptions) {
            int eq = g.indexOf('=');
            if (eq <= 0) {
                problems.add("--grid " + g + ": expected KEY=V1,V2,..., e.g. --grid rw.beta=4,8,16");
                continue;
            }
            parse(g.substring(0, eq).trim(), g.substring(eq + 1), "--grid " + g, keys, problems);
        }
        if (keys.isEmpty() && problems.isEmpty()) {
            problems.add("a sweep needs a grid: --grid KEY=V1,V2,... (repeatable) or " + GRID_PREFIX
                    + "<key> in the config file");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SweepGrid(keys);
    }

    /** Values are separated by commas, or by semicolons when the values are lists themselves. */
    private static void parse(String key, String raw, String where, Map<String, List<String>> keys,
            List<String> problems) {
        String sep = raw.contains(";") ? ";" : ",";
        List<String> values = Arrays.stream(raw.split(sep, -1)).map(String::trim).toList();
        if (key.isEmpty() || values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
            problems.add(where + ": expected KEY=V1,V2,... with no empty value (values that contain commas:"
                    + " separate them with ';')");
            return;
        }
        if (values.stream().distinct().count() != values.size()) {
            problems.add(where + ": a value is listed twice");
            return;
        }
        keys.remove(key);
        keys.put(key, values);
    }

    /**
     * Every variant, in the order they run: the key read by the earliest stage varies slowest (ties in
     * the user's order), each key's values in the user's order.
     */
    public List<Variant> variants() {
        List<String> order = new ArrayList<>(keys.keySet());
        order.sort(Comparator.comparingInt(SweepGrid::firstStage));
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String k : order) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : keys.get(k)) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(k, v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Variant> out = new ArrayList<>();
        for (Map<String, String> c : combos) {
            Map<String, String> inUserOrder = new LinkedHashMap<>();
            keys.keySet().forEach(k -> inUserOrder.put(k, c.get(k)));
            out.add(new Variant(folderName(inUserOrder), inUserOrder));
        }
        return out;
    }

    /**
     * The earliest stage whose fingerprint reads the key (or its tied partner); keys no stage reads
     * come last.
     */
    static int firstStage(String key) {
        String partner = Sections.tiedKeys().get(key);
        for (Stage s : Stage.values()) {
            for (String p : s.configPrefixes()) {
                if (key.startsWith(p) || partner != null && partner.startsWith(p)) {
                    return s.ordinal();
                }
            }
        }
        return Stage.values().length;
    }

    /** {@code k1=v1,k2=v2}, with characters a folder name should not hold replaced by '_'. */
    static String folderName(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        String name = String.join(",", parts).replaceAll("[^A-Za-z0-9._,=+-]", "_");
        return name.startsWith(".") ? "_" + name.substring(1) : name;
    }
}
