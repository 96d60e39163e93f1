package dev.psa.eval.store;

import static java.util.Objects.requireNonNull;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;
import java.nio.file.Path;

/**
 * Where evaluation results are stored (prefix {@code store.}).
 *
 * @param url      JDBC URL, key {@code url}; default an embedded H2 file database
 *                 {@value #DEFAULT_URL} (zero setup; {@code AUTO_SERVER} lets several processes share
 *                 it). A team store: {@code jdbc:postgresql://host:5432/psa}
 * @param user     database user, key {@code user} (empty)
 * @param password database password, key {@code password} (empty)
 * @param enabled  whether evaluations write to the store, key {@code enabled} (true)
 */
public record StoreConfig(String url, String user, String password, boolean enabled) {
    public static final String PREFIX = "store.";
    public static final String DEFAULT_URL = "jdbc:h2:file:~/.psa/store/results;AUTO_SERVER=TRUE";

    public StoreConfig {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        new Validator(PREFIX)
                .check(url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"), "url",
                        "must be an H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql://host:port/db) JDBC URL, got '"
                                + url + "'")
                .throwIfAny();
    }

    /** @param c a view scoped to {@code store.} */
    public static StoreConfig from(ComponentConfig c) {
        return new StoreConfig(c.getString("url", DEFAULT_URL), c.getString("user", ""), c.getString("password", ""),
                c.getBoolean("enabled", true));
    }

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_URL, "", "", true);
    }

    /** An H2 file database at {@code file} (without the .mv.db suffix). */
    public static StoreConfig h2File(Path file) {
        return new StoreConfig("jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE", "", "", true);
    }

    @Override
    public String toString() {
        return "StoreConfig[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", enabled=" + enabled + "]";
    }
}
