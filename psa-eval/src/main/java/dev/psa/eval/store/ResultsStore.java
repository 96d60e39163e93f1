package dev.psa.eval.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.psa.api.PsaException;
import dev.psa.eval.ClassMetrics;
import dev.psa.eval.EvalResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The results store: one row per run and stage evaluation, in any JDBC database with the same
 * schema (Flyway migrations under {@code db/psa-eval}, identical SQL for H2 and PostgreSQL).
 * Thread-safe: every call borrows a connection of its own (idle ones are kept for reuse, up to a
 * few) and runs its own transaction, so several threads or processes can write at once. Run ids
 * come from an identity column and are never reused.
 */
public final class ResultsStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIQUE_VIOLATION = "23505";

    private final String url;
    private final String user;
    private final String password;
    /** Holds an embedded H2 database open between calls (H2 closes it with the last connection). */
    private Connection keepAlive;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private static final int MAX_IDLE = 8;
    /** Serialises schema migrations within this JVM (the file lock serialises processes). */
    private static final Object MIGRATION_LOCK = new Object();
    private volatile boolean closed;

    private ResultsStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Opens the store and brings its schema up to date.
     *
     * @throws PsaException naming the URL when the database cannot be reached or migrated
     */
    public static ResultsStore open(StoreConfig config) {
        requireNonNull(config, "config is null");
        ResultsStore s = new ResultsStore(config.url(), config.user(), config.password());
        if (config.url().startsWith("jdbc:h2:")) {
            try {
                s.keepAlive = s.connect();
            } catch (SQLException e) {
                throw s.failure("open", e);
            }
        }
        try {
            s.migrate();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Opens a store by JDBC URL (see {@link #open(StoreConfig)}). */
    public static ResultsStore open(String url, String user, String password) {
        return open(new StoreConfig(url, user == null ? "" : user, password == null ? "" : password, true));
    }

    /** The JDBC URL. */
    public String url() {
        return url;
    }

    private void migrate() {
        Flyway flyway = Flyway.configure(ResultsStore.class.getClassLoader())
                .dataSource(url, user, password)
                .locations("classpath:db/psa-eval")
                .table("psa_schema_history")
                .loggers("slf4j")
                .load();
        // Two writers migrating an empty H2 database at the same moment can both run V1: the loser's
        // failure is then recorded in the history table and every later open fails validation. So
        // migrations of an H2 file are serialised: within this JVM by a lock, across processes by a
        // file lock beside the database. PostgreSQL uses Flyway's own advisory lock.
        synchronized (MIGRATION_LOCK) {
            Optional<Path> lockFile = h2File(url).map(f -> f.resolveSibling(f.getFileName() + ".migrate.lock"));
            if (lockFile.isEmpty()) {
                migrate(flyway);
                return;
            }
            try {
                Files.createDirectories(lockFile.get().toAbsolutePath().getParent());
                try (FileChannel ch = FileChannel.open(lockFile.get(), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                    migrate(flyway);
                }
            } catch (IOException e) {
                throw new PsaException("results store " + url + ": cannot lock " + lockFile.get()
                        + " for the schema migration: " + e.getMessage(), e);
            }
        }
    }

    private void migrate(Flyway flyway) {
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            throw new PsaException("results store " + url + ": schema migration failed: " + e.getMessage()
                    + " (key store.url chooses the database)", e);
        }
    }

    /** The database file of an embedded H2 URL ({@code jdbc:h2:file:PATH;...} or {@code jdbc:h2:PATH}), if any. */
    static Optional<Path> h2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            rest = rest.substring(0, semicolon);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.startsWith("zip:") || rest.isEmpty()) {
            return Optional.empty();
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Path.of(rest));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Work done on one borrowed connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on an idle or new connection (autocommit on). The connection goes back to
     * the idle set when the work succeeded, and is closed otherwise (it may be broken).
     */
    private <T> T withConnection(Work<T> work) throws SQLException {
        if (closed) {
            throw new IllegalStateException("results store " + url + " is closed");
        }
        Connection c = idle.pollFirst();
        if (c == null) {
            c = connect();
        }
        boolean ok = false;
        try {
            c.setAutoCommit(true);
            T out = work.run(c);
            ok = true;
            return out;
        } finally {
            if (ok && !closed && idle.size() < MAX_IDLE) {
                idle.offerFirst(c);
            } else {
                closeQuietly(c);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // a broken connection: nothing left to release
        }
    }

    /**
     * @return the run's id, registering the run when its key is new (concurrent callers with the
     *     same key get the same id)
     */
    public long registerRun(RunInfo run) {
        requireNonNull(run, "run is null");
        try {
            return withConnection(c -> registerRun(c, run));
        } catch (SQLException e) {
            throw failure("register run " + run.name(), e);
        }
    }

    private static long registerRun(Connection c, RunInfo run) throws SQLException {
        Optional<Long> id = findRunId(c, run.key());
        if (id.isPresent()) {
            return id.get();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO psa_run (run_key, name, path, created_at) VALUES (?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, run.key());
            ps.setString(2, run.name());
            ps.setString(3, run.path());
            ps.setObject(4, run.created());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return findRunId(c, run.key()).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private static Optional<Long> findRunId(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM psa_run WHERE run_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Stores one evaluation of a run's stage (registering the run if needed).
     *
     * @param run    the run
     * @param result the evaluation
     * @return the stored row
     */
    public StoredResult record(RunInfo run, EvalResult result) {
        requireNonNull(result, "result is null");
        Map<String, String> config = new TreeMap<>(run.config());
        config.putAll(result.config().toMap());
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("evalSeconds", result.seconds());
        timings.put("imagesPerSecond", result.imagesPerSecond());
        timings.put("threads", result.config().effectiveThreads());
        Double stageSeconds = run.timings().get(result.stage());
        if (stageSeconds != null) {
            timings.put("stageSeconds", stageSeconds);
        }
        List<StoredResult.StoredClass> classes = new ArrayList<>();
        for (ClassMetrics cm : result.metrics().classes()) {
            classes.add(new StoredResult.StoredClass(cm.id(), cm.name(), cm.iou(), cm.precision(), cm.recall()));
        }
        double best = result.sweep().map(s -> s.best().threshold()).orElse(Double.NaN);
        String dataset = run.dataset().isEmpty() ? result.dataset() : run.dataset();
        String split = run.split().isEmpty() ? result.split() : run.split();
        return record(run, result.stage(), config, run.components(), dataset, split, result.images(),
                result.metrics().meanIou(), result.metrics().pixelAccuracy(), best, result.seconds(),
                json(timings), classes);
    }

    /** Stores one evaluation row from its parts (see {@link StoredResult} for the fields). */
    public StoredResult record(RunInfo run, String stage, Map<String, String> config, Map<String, String> components,
                               String dataset, String split, long images, double miou, double pixelAccuracy,
                               double bestThreshold, double seconds, String timingsJson,
                               List<StoredResult.StoredClass> classes) {
        requireNonNull(run, "run is null");
        requireNonNull(stage, "stage is null");
        Map<String, String> sortedConfig = new TreeMap<>(config);
        String hash = configHash(sortedConfig);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            return withConnection(c -> insert(c, run, stage, sortedConfig, components, dataset, split, images,
                    miou, pixelAccuracy, bestThreshold, seconds, timingsJson, classes, hash, now));
        } catch (SQLException e) {
            throw failure("record " + stage + " of run " + run.name(), e);
        }
    }

    private static StoredResult insert(Connection c, RunInfo run, String stage, Map<String, String> sortedConfig,
                                       Map<String, String> components, String dataset, String split, long images,
                                       double miou, double pixelAccuracy, double bestThreshold, double seconds,
                                       String timingsJson, List<StoredResult.StoredClass> classes, String hash,
                                       OffsetDateTime now) throws SQLException {
        long runId = registerRun(c, run);
        c.setAutoCommit(false);
        try {
            long resultId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO psa_result (run_id, stage, recorded_at,"
                    + " config_hash, config_json, components_json, dataset, split_name, images, miou,"
                    + " pixel_accuracy, best_threshold, seconds, timings_json)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, runId);
                ps.setString(2, stage);
                ps.setObject(3, now);
                ps.setString(4, hash);
                ps.setString(5, json(sortedConfig));
                ps.setString(6, json(new TreeMap<>(components)));
                ps.setString(7, dataset);
                ps.setString(8, split);
                ps.setLong(9, images);
                setDouble(ps, 10, miou);
                setDouble(ps, 11, pixelAccuracy);
                setDouble(ps, 12, bestThreshold);
                ps.setDouble(13, seconds);
                ps.setString(14, timingsJson);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    resultId = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO psa_result_class (result_id, class_id,"
                    + " class_name, iou, class_precision, class_recall) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (StoredResult.StoredClass sc : classes) {
                    ps.setLong(1, resultId);
                    ps.setInt(2, sc.classId());
                    ps.setString(3, sc.name());
                    setDouble(ps, 4, sc.iou());
                    setDouble(ps, 5, sc.precision());
                    setDouble(ps, 6, sc.recall());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            return new StoredResult(resultId, runId, stage, now, hash, sortedConfig, components, dataset, split,
                    images, miou, pixelAccuracy, bestThreshold, seconds, timingsJson, classes);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /**
     * Records a run as a variant of a sweep with its grid values (registering the run if needed); a
     * variant recorded before in the same sweep folder is replaced.
     *
     * @return the variant's run id
     */
    public long recordSweepVariant(String sweep, String sweepPath, String variant, RunInfo run,
                                   Map<String, String> grid) {
        requireNonNull(sweep, "sweep is null");
        requireNonNull(sweepPath, "sweepPath is null");
        requireNonNull(variant, "variant is null");
        requireNonNull(grid, "grid is null");
        try {
            return withConnection(c -> {
                long runId = registerRun(c, run);
                String gridJson = json(new LinkedHashMap<>(grid));
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                try (PreparedStatement ps = c.prepareStatement("UPDATE psa_sweep_variant SET sweep_name = ?,"
                        + " run_id = ?, grid_json = ?, recorded_at = ? WHERE sweep_path = ? AND variant = ?")) {
                    ps.setString(1, sweep);
                    ps.setLong(2, runId);
                    ps.setString(3, gridJson);
                    ps.setObject(4, now);
                    ps.setString(5, sweepPath);
                    ps.setString(6, variant);
                    if (ps.executeUpdate() > 0) {
                        return runId;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO psa_sweep_variant (sweep_name, sweep_path,"
                        + " variant, run_id, grid_json, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, sweep);
                    ps.setString(2, sweepPath);
                    ps.setString(3, variant);
                    ps.setLong(4, runId);
                    ps.setString(5, gridJson);
                    ps.setObject(6, now);
                    ps.executeUpdate();
                }
                return runId;
            });
        } catch (SQLException e) {
            throw failure("record variant " + variant + " of sweep " + sweep, e);
        }
    }

    /**
     * The variants of the newest sweep of this name (the sweep folder recorded last), in the order
     * they were first recorded; empty when no sweep has this name.
     */
    public List<StoredSweepVariant> sweepVariants(String sweep) {
        requireNonNull(sweep, "sweep is null");
        try {
            return withConnection(c -> {
                String path;
                try (PreparedStatement ps = c.prepareStatement("SELECT sweep_path FROM psa_sweep_variant"
                        + " WHERE sweep_name = ? ORDER BY id DESC")) {
                    ps.setString(1, sweep);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return List.<StoredSweepVariant>of();
                        }
                        path = rs.getString(1);
                    }
                }
                List<StoredSweepVariant> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT variant, run_id, grid_json FROM"
                        + " psa_sweep_variant WHERE sweep_path = ? ORDER BY id")) {
                    ps.setString(1, path);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new StoredSweepVariant(sweep, path, rs.getString(1), rs.getLong(2),
                                    orderedMap(rs.getString(3))));
                        }
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw failure("read sweep " + sweep, e);
        }
    }

    /** Every run, newest id first. */
    public List<StoredRun> runs() {
        try {
            return withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, run_key, name, path, created_at FROM psa_run ORDER BY id DESC");
                     ResultSet rs = ps.executeQuery()) {
                    List<StoredRun> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(run(rs));
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw failure("list runs", e);
        }
    }

    /**
     * Finds a run by id (digits) or by name (the newest run of that name).
     *
     * @throws PsaException when no run matches, listing a few known ones
     */
    public StoredRun findRun(String idOrName) {
        requireNonNull(idOrName, "idOrName is null");
        String sql = idOrName.chars().allMatch(Character::isDigit) && !idOrName.isEmpty()
                ? "SELECT id, run_key, name, path, created_at FROM psa_run WHERE id = ?"
                : "SELECT id, run_key, name, path, created_at FROM psa_run WHERE name = ? ORDER BY id DESC";
        try {
            Optional<StoredRun> found = withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    if (sql.contains("id = ?")) {
                        ps.setLong(1, Long.parseLong(idOrName));
                    } else {
                        ps.setString(1, idOrName);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(run(rs)) : Optional.<StoredRun>empty();
                    }
                }
            });
            if (found.isPresent()) {
                return found.get();
            }
        } catch (SQLException e) {
            throw failure("find run " + idOrName, e);
        } catch (NumberFormatException e) {
            // too long for a long: fall through to "not found"
        }
        List<String> known = runs().stream().limit(10).map(r -> r.id() + " (" + r.name() + ")").toList();
        throw new PsaException("no run '" + idOrName + "' in the results store " + url + "; give a run id or name."
                + (known.isEmpty() ? " The store is empty." : " Newest runs: " + known));
    }

    /** Every result of a run, oldest first. */
    public List<StoredResult> results(long runId) {
        try {
            return withConnection(c -> {
            List<StoredResult> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, run_id, stage, recorded_at, config_hash,"
                    + " config_json, components_json, dataset, split_name, images, miou, pixel_accuracy,"
                    + " best_threshold, seconds, timings_json FROM psa_result WHERE run_id = ? ORDER BY id")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredResult(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class), rs.getString(5), map(rs.getString(6)),
                                map(rs.getString(7)), rs.getString(8), rs.getString(9), rs.getLong(10),
                                getDouble(rs, 11), getDouble(rs, 12), getDouble(rs, 13), rs.getDouble(14),
                                rs.getString(15), List.of()));
                    }
                }
            }
            List<StoredResult> withClasses = new ArrayList<>(out.size());
            try (PreparedStatement ps = c.prepareStatement("SELECT class_id, class_name, iou, class_precision,"
                    + " class_recall FROM psa_result_class WHERE result_id = ? ORDER BY class_id")) {
                for (StoredResult r : out) {
                    ps.setLong(1, r.id());
                    List<StoredResult.StoredClass> classes = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            classes.add(new StoredResult.StoredClass(rs.getInt(1), rs.getString(2), getDouble(rs, 3),
                                    getDouble(rs, 4), getDouble(rs, 5)));
                        }
                    }
                    withClasses.add(new StoredResult(r.id(), r.runId(), r.stage(), r.recordedAt(), r.configHash(),
                            r.config(), r.components(), r.dataset(), r.split(), r.images(), r.miou(),
                            r.pixelAccuracy(), r.bestThreshold(), r.seconds(), r.timings(), classes));
                }
            }
            return withClasses;
            });
        } catch (SQLException e) {
            throw failure("read results of run " + runId, e);
        }
    }

    /** The newest result of each stage of a run, in stage order of first appearance. */
    public Map<String, StoredResult> latestByStage(long runId) {
        Map<String, StoredResult> out = new LinkedHashMap<>();
        for (StoredResult r : results(runId)) {
            out.put(r.stage(), r);
        }
        return out;
    }

    /** Row counts (runs, results, class rows): for checks and {@code psa runs list}. */
    public long[] counts() {
        try {
            return withConnection(c -> {
                try (Statement st = c.createStatement()) {
                    long[] out = new long[3];
                    String[] tables = {"psa_run", "psa_result", "psa_result_class"};
                    for (int i = 0; i < 3; i++) {
                        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + tables[i])) {
                            rs.next();
                            out[i] = rs.getLong(1);
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw failure("count rows", e);
        }
    }

    /** SHA-256 (hex) of the sorted {@code key=value\n} lines. */
    public static String configHash(Map<String, String> config) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(config).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    private static StoredRun run(ResultSet rs) throws SQLException {
        return new StoredRun(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class));
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of("<unreadable>", json);
        }
    }

    private static Map<String, String> orderedMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of("<unreadable>", json);
        }
    }

    private PsaException failure(String what, SQLException e) {
        return new PsaException("results store " + url + ": cannot " + what + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }

    /** Releases the embedded database (connections are otherwise per call). */
    @Override
    public synchronized void close() {
        closed = true;
        for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
            closeQuietly(c);
        }
        if (keepAlive != null) {
            try {
                keepAlive.close();
            } catch (SQLException e) {
                // closing an embedded database twice or after a crash: nothing left to release
            }
            keepAlive = null;
        }
    }
}
