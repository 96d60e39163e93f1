package dev.psa.eval.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.psa.api.PsaException;
import dev.psa.api.io.Locations;
import dev.psa.eval.EvalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the results store keeps about a run: its identity and provenance.
 *
 * @param key        unique identity of the run: run.json {@code id}; else the folder's absolute path
 *                   and run.json {@code created}, so a new run in a reused folder is a new run; else
 *                   the absolute path
 * @param name       display name (run.json {@code name}, else the folder name)
 * @param path       the run folder
 * @param created    when the run started
 * @param config     the resolved config, flat keys → values (run.json {@code config})
 * @param components component names (run.json {@code components}, e.g. backbone → tiny)
 * @param dataset    dataset description (run.json {@code dataset}, else config {@code data.*})
 * @param split      split (run.json {@code split}, else config {@code data.split})
 * @param timings    stage → seconds, from run.json {@code timings} where numbers
 */
public record RunInfo(String key, String name, String path, OffsetDateTime created, Map<String, String> config,
                      Map<String, String> components, String dataset, String split, Map<String, Double> timings) {
    public RunInfo {
        requireNonNull(key, "key is null");
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(created, "created is null");
        config = Map.copyOf(config);
        components = Map.copyOf(components);
        requireNonNull(dataset, "dataset is null");
        requireNonNull(split, "split is null");
        timings = Map.copyOf(timings);
    }

    /** A run known only by name (tests, ad-hoc evaluations). */
    public static RunInfo of(String key, String name) {
        return new RunInfo(key, name, "", OffsetDateTime.now(ZoneOffset.UTC), Map.of(), Map.of(), "", "", Map.of());
    }

    /** Whether {@code dir} is a run folder (has run.json). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("run.json"));
    }

    /**
     * Reads a run folder's {@code run.json}, tolerating missing fields (see the record's parameters).
     *
     * @throws PsaException naming the file when it is not valid JSON
     */
    public static RunInfo read(Path runDir) {
        requireNonNull(runDir, "runDir is null");
        Path abs = runDir.toAbsolutePath().normalize();
        Path file = abs.resolve("run.json");
        JsonNode root = EvalJson.mapper().createObjectNode();
        if (Files.isRegularFile(file)) {
            try {
                root = EvalJson.mapper().readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new PsaException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        Optional<OffsetDateTime> started = text(root, "created", "createdAt", "started", "startedAt")
                .flatMap(RunInfo::parseTime);
        OffsetDateTime created = started.orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC));
        String key = text(root, "id", "runId", "run_id")
                .orElseGet(() -> started.map(t -> Locations.string(abs) + "@" + t.toInstant()).orElse(Locations.string(abs)));
        String name = text(root, "name").orElse(abs.getFileName() == null ? abs.toString() : abs.getFileName().toString());
        Map<String, String> config = new TreeMap<>();
        flatten("", root.path("config"), config);
        Map<String, String> components = new TreeMap<>();
        flatten("", root.path("components"), components);
        String dataset = text(root, "dataset").orElseGet(() -> datasetFromConfig(config));
        String split = text(root, "split").orElse(config.getOrDefault("data.split", ""));
        Map<String, Double> timings = new LinkedHashMap<>();
        JsonNode t = root.path("timings");
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                timings.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return new RunInfo(key, name, Locations.string(abs), created, config, components, dataset, split, timings);
    }

    private static String datasetFromConfig(Map<String, String> config) {
        String provider = config.getOrDefault("data.provider", config.getOrDefault("data.dataset", ""));
        String root = config.getOrDefault("data.root", "");
        return root.isEmpty() ? provider : provider.isEmpty() ? root : provider + ":" + root;
    }

    private static Optional<String> text(JsonNode root, String... names) {
        for (String n : names) {
            JsonNode v = root.get(n);
            if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode n : node) {
                sb.append(sb.length() == 0 ? "" : ",").append(n.isValueNode() ? n.asText() : n.toString());
            }
            out.put(prefix, sb.toString());
        } else {
            out.put(prefix, node.asText());
        }
    }

    private static Optional<OffsetDateTime> parseTime(String s) {
        try {
            return Optional.of(OffsetDateTime.parse(s));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(s).atOffset(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
