package dev.psa.runtime.pipeline;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.core.type.TypeReference;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.config.ComponentConfig;
import dev.psa.runtime.config.Settings;

/**
 * {@code run.json}: what produced a run — resolved config with the source of each value, component
 * names and versions, seeds, backend, Java, host, and per-stage timings. Rewritten atomically after
 * each stage.
 */
public final class Provenance {
    private final RunFolder run;
    private final Map<String, Object> doc;

    private Provenance(RunFolder run, Map<String, Object> doc) {
        this.run = run;
        this.doc = doc;
    }

    static Provenance open(RunFolder run, Settings settings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Path f = run.resolve("run.json");
        Map<String, Object> stages = new LinkedHashMap<>();
        if (Files.exists(f)) {
            try {
                Map<String, Object> old = RunFolder.JSON.readValue(Files.readAllBytes(f), new TypeReference<Map<String, Object>>() { });
                doc.put("created", old.getOrDefault("created", Instant.now().toString()));
                doc.put("id", old.getOrDefault("id", run.root().getFileName().toString()));
                if (old.get("stages") instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> stages.put(String.valueOf(k), v));
                }
            } catch (IOException e) {
                doc.put("created", Instant.now().toString());
            }
        } else {
            doc.put("created", Instant.now().toString());
            doc.put("id", run.root().getFileName().toString());
        }
        doc.put("updated", Instant.now().toString());
        doc.put("psa", version());
        Map<String, String> config = new TreeMap<>(settings.resolvedValues());
        doc.put("config", config);
        Map<String, String> sources = new TreeMap<>();
        for (ComponentConfig.Read r : settings.reads()) {
            sources.put(r.key(), r.source());
        }
        doc.put("sources", sources);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        env.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("host", host());
        doc.put("environment", env);
        doc.put("stages", stages);
        Map<String, Object> comps = new TreeMap<>();
        settings.components().forEach((key, instance) -> {
            Package pkg = instance.getClass().getPackage();
            comps.put(key, Map.of("name", settings.resolvedValues().getOrDefault(key, "?"),
                    "class", instance.getClass().getName(),
                    "version", pkg != null && pkg.getImplementationVersion() != null ? pkg.getImplementationVersion() : "dev"));
        });
        doc.put("components", comps);
        Provenance p = new Provenance(run, doc);
        p.save();
        return p;
    }

    void stage(Stage stage, String fingerprint, double seconds, Map<String, Object> summary) {
        @SuppressWarnings("unchecked")
        Map<String, Object> stages = (Map<String, Object>) doc.get("stages");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("fingerprint", fingerprint);
        s.put("seconds", Math.round(seconds * 10) / 10.0);
        s.put("finished", Instant.now().toString());
        s.put("summary", summary);
        stages.put(stage.id(), s);
        doc.put("updated", Instant.now().toString());
        save();
    }

    private void save() {
        run.writeJson("run.json", doc);
    }

    private static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
