package dev.psa.api.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A read-only view of the resolved configuration, scoped to a key prefix (e.g. {@code "rw."}), so
 * components and plugins never see the config library. Typed getters take the default of the
 * key; every read is recorded (key, value, default, source) in a ledger shared by all views of the
 * same configuration, so the loader can report keys nobody read and {@code psa config show} can
 * print every key with where its value came from. A value that does not parse is recorded as a
 * problem (and the default returned) so all problems can be reported together.
 */
public final class ComponentConfig {
    /** Where a value came from, e.g. "default", "preset demo", "file run.yaml", "--set". */
    public record Value(String value, String source) {
    }

    /** One recorded read: the full key, the value in effect, the default and the value's source. */
    public record Read(String key, String value, String defaultValue, String source) {
    }

    private static final class Ledger {
        final Map<String, Read> reads = Collections.synchronizedMap(new TreeMap<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    }

    private final String prefix;
    private final Map<String, Value> values;
    private final Ledger ledger;

    private ComponentConfig(String prefix, Map<String, Value> values, Ledger ledger) {
        this.prefix = prefix;
        this.values = values;
        this.ledger = ledger;
    }

    /** A root view over resolved values with their sources (full keys). */
    public static ComponentConfig of(Map<String, Value> values) {
        return new ComponentConfig("", Collections.unmodifiableMap(new LinkedHashMap<>(values)), new Ledger());
    }

    /** A root view over plain values (source "given"); handy in tests. */
    public static ComponentConfig ofStrings(Map<String, String> values) {
        Map<String, Value> v = new LinkedHashMap<>();
        values.forEach((k, s) -> v.put(k, new Value(s, "given")));
        return of(v);
    }

    /** An empty root view: every getter returns its default. */
    public static ComponentConfig empty() {
        return of(Map.of());
    }

    /** @return a view whose keys are relative to {@code prefix() + sub} ({@code sub} ends with '.') */
    public ComponentConfig scoped(String sub) {
        requireNonNull(sub, "sub is null");
        String p = sub.isEmpty() || sub.endsWith(".") ? sub : sub + ".";
        return new ComponentConfig(prefix + p, values, ledger);
    }

    /** The prefix of this view, e.g. {@code "rw."}; empty at the root. */
    public String prefix() {
        return prefix;
    }

    /** @return the full key of a relative one */
    public String fullKey(String key) {
        return prefix + key;
    }

    /** @return whether a value is set for the key (a read is not recorded) */
    public boolean has(String key) {
        return values.containsKey(prefix + key);
    }

    public String getString(String key, String def) {
        return read(key, def == null ? null : def, s -> s, def);
    }

    /** A key without a default: empty when not set. */
    public Optional<String> getOptional(String key) {
        return Optional.ofNullable(read(key, null, s -> s, null));
    }

    public int getInt(String key, int def) {
        return read(key, Integer.toString(def), s -> Integer.parseInt(s.trim()), def);
    }

    public long getLong(String key, long def) {
        return read(key, Long.toString(def), s -> Long.parseLong(s.trim()), def);
    }

    public double getDouble(String key, double def) {
        return read(key, Double.toString(def), s -> Double.parseDouble(s.trim()), def);
    }

    public boolean getBoolean(String key, boolean def) {
        return read(key, Boolean.toString(def), ComponentConfig::parseBoolean, def);
    }

    /** A comma-separated list of numbers, e.g. {@code "1.0, 0.5, 1.5, 2.0"}. */
    public double[] getDoubles(String key, double... def) {
        return read(key, join(Arrays.stream(def).mapToObj(Double::toString).toList()),
                s -> split(s).stream().mapToDouble(Double::parseDouble).toArray(), def.clone());
    }

    /** A comma-separated list of integers. */
    public int[] getInts(String key, int... def) {
        return read(key, join(Arrays.stream(def).mapToObj(Integer::toString).toList()),
                s -> split(s).stream().mapToInt(Integer::parseInt).toArray(), def.clone());
    }

    /** A comma-separated list of strings. */
    public List<String> getStrings(String key, List<String> def) {
        return read(key, join(def), ComponentConfig::split, List.copyOf(def));
    }

    /** Records a problem found while interpreting this view (reported with all others). */
    public void problem(String key, String message) {
        ledger.problems.add(prefix + key + ": " + message);
    }

    /** Problems recorded so far by every view of this configuration. */
    public List<String> problems() {
        synchronized (ledger.problems) {
            return List.copyOf(ledger.problems);
        }
    }

    /** Every read so far, by full key. */
    public Map<String, Read> reads() {
        synchronized (ledger.reads) {
            return Map.copyOf(ledger.reads);
        }
    }

    /** Set keys under this view's prefix that no view has read. */
    public Set<String> unreadKeys() {
        Set<String> out = new TreeSet<>();
        for (String k : values.keySet()) {
            if (k.startsWith(prefix) && !ledger.reads.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** All set keys (full) under this view's prefix, without recording reads. */
    public Set<String> keys() {
        Set<String> out = new TreeSet<>();
        for (String k : values.keySet()) {
            if (k.startsWith(prefix)) {
                out.add(k);
            }
        }
        return out;
    }

    private <T> T read(String key, String defText, Function<String, T> parse, T def) {
        requireNonNull(key, "key is null");
        String full = prefix + key;
        Value v = values.get(full);
        if (v == null) {
            ledger.reads.put(full, new Read(full, defText, defText, "default"));
            return def;
        }
        ledger.reads.put(full, new Read(full, v.value(), defText, v.source()));
        try {
            return parse.apply(v.value());
        } catch (RuntimeException e) {
            ledger.problems.add(full + ": cannot read '" + v.value() + "' (from " + v.source() + ") as "
                    + describe(def) + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            return def;
        }
    }

    private static String describe(Object def) {
        if (def instanceof Integer || def instanceof Long) {
            return "an integer";
        }
        if (def instanceof Double) {
            return "a number";
        }
        if (def instanceof Boolean) {
            return "true or false";
        }
        if (def instanceof double[] || def instanceof int[]) {
            return "a comma-separated list of numbers";
        }
        return "a value";
    }

    private static boolean parseBoolean(String s) {
        String t = s.trim().toLowerCase();
        if (t.equals("true") || t.equals("yes") || t.equals("on")) {
            return true;
        }
        if (t.equals("false") || t.equals("no") || t.equals("off")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static List<String> split(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isBlank()) {
            return List.of();
        }
        return Arrays.stream(t.split(",")).map(String::trim).toList();
    }

    private static String join(List<String> parts) {
        return String.join(",", parts);
    }

    @Override
    public String toString() {
        return "ComponentConfig[" + (prefix.isEmpty() ? "<root>" : prefix) + "]";
    }
}
