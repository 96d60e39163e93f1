package dev.psa.runtime.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.AbstractConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import dev.psa.api.Names;
import dev.psa.api.config.ComponentConfig.Value;
import dev.psa.api.config.ConfigException;

/**
 * The only code that touches Commons Configuration. Merges, in order: built-in defaults (they live
 * in the stage config records and are applied when a key is read) → a preset shipped in the jar
 * ({@code presets/<name>.properties}) → the user's file (.properties or .yaml) → {@code --set
 * key=value}. Each value remembers its source, for {@code psa config show}.
 */
public final class ConfigLoader {
    /** The key that names a preset inside a user file. */
    public static final String PRESET_KEY = "preset";

    private ConfigLoader() {
    }

    /**
     * @param preset   a preset name, or null (the user file may name one with {@code preset})
     * @param userFile a .properties / .yaml / .yml file, or null
     * @param sets     {@code key=value} overrides, last wins
     * @return merged values with their sources
     * @throws ConfigException naming the file or the bad {@code --set}, with every problem found
     */
    public static Map<String, Value> load(String preset, Path userFile, List<String> sets) {
        List<String> problems = new ArrayList<>();
        Map<String, String> user = new LinkedHashMap<>();
        if (userFile != null) {
            try {
                user = read(userFile);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        Map<String, String> setValues = new LinkedHashMap<>();
        for (String s : sets == null ? List.<String>of() : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                problems.add("--set " + s + ": expected key=value, e.g. --set rw.beta=16");
            } else {
                setValues.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
        }
        String presetName = preset;
        if (presetName == null && setValues.containsKey(PRESET_KEY)) {
            presetName = setValues.get(PRESET_KEY);
        }
        if (presetName == null && user.containsKey(PRESET_KEY)) {
            presetName = user.get(PRESET_KEY);
        }
        Map<String, Value> merged = new LinkedHashMap<>();
        if (presetName != null && !presetName.isBlank()) {
            try {
                String presetSource = "preset " + presetName;
                readPreset(presetName).forEach((k, v) -> merged.put(k, new Value(v, presetSource)));
                merged.put(PRESET_KEY, new Value(presetName, preset != null ? "--preset" : "file " + userFile));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        String fileSource = "file " + userFile;
        user.forEach((k, v) -> {
            if (!k.equals(PRESET_KEY)) {
                merged.put(k, new Value(v, fileSource));
            }
        });
        setValues.forEach((k, v) -> merged.put(k, new Value(v, "--set")));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return merged;
    }

    /** Names of the presets shipped in the jar. */
    public static List<String> presets() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/presets/presets.list")) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The raw key/values of a shipped preset. */
    public static Map<String, String> readPreset(String name) {
        List<String> known = presets();
        if (!known.contains(name)) {
            throw new ConfigException("unknown preset '" + name + "' (key " + PRESET_KEY + " or --preset). Available: "
                    + known + "." + Names.didYouMean(name, known));
        }
        String resource = "/presets/" + name + ".properties";
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("preset '" + name + "' is listed but " + resource + " is missing from the jar");
            }
            PropertiesConfiguration pc = new PropertiesConfiguration();
            pc.read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return flatten(pc);
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException("preset '" + name + "': " + e.getMessage());
        }
    }

    /** Reads a user file into flat dotted keys. */
    public static Map<String, String> read(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        AbstractConfiguration c;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            c = new YAMLConfiguration();
        } else if (name.endsWith(".properties")) {
            c = new PropertiesConfiguration();
        } else {
            throw new ConfigException("config file " + file + ": expected a .properties, .yaml or .yml file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (c instanceof YAMLConfiguration y) {
                y.read(r);
            } else {
                ((PropertiesConfiguration) c).read(r);
            }
        } catch (IOException | ConfigurationException | RuntimeException e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("config file " + file + " cannot be parsed: " + t.getMessage());
        }
        return flatten(c);
    }

    private static Map<String, String> flatten(AbstractConfiguration c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<String> it = c.getKeys(); it.hasNext();) {
            String k = it.next();
            Object v = c.getProperty(k);
            String s;
            if (v instanceof List<?> l) {
                s = String.join(",", l.stream().map(String::valueOf).toList());
            } else {
                s = v == null ? "" : String.valueOf(v);
            }
            out.put(k, s);
        }
        return out;
    }
}
