package dev.psa.hadoop;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.psa.api.io.Locations;
import org.apache.hadoop.conf.Configuration;

/**
 * The entry point to Hadoop file systems as java.nio paths, for code that cannot count on the JDK's
 * installed providers (an application jar in a child class loader, as on Spark executors): {@link
 * #get(URI)} and {@link #install()}, which also makes {@link Locations#path(String)} find them.
 */
public final class HadoopPaths {
    /** Schemes served here. */
    public static final List<String> SCHEMES = List.of("hdfs", "s3a", "webhdfs", "viewfs");

    /** Key of {@link java.nio.file.FileSystems#newFileSystem(URI, Map)}'s env for a Hadoop {@link Configuration}. */
    public static final String CONF_KEY = "hadoop.conf";

    private static final Map<String, HadoopFileSystemProvider> PROVIDERS = new ConcurrentHashMap<>();
    private static volatile Configuration configuration;

    private HadoopPaths() {
    }

    /**
     * The path a Hadoop URI names ({@code hdfs://nn:8020/runs/a}); its file system is opened on
     * first use with {@link #configuration()}.
     */
    public static Path get(URI uri) {
        return provider(uri.getScheme()).getPath(uri);
    }

    /** The provider for a scheme: the JDK's installed one when it is visible, else one of our own. */
    public static HadoopFileSystemProvider provider(String scheme) {
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(s)) {
            throw new IllegalArgumentException("not a Hadoop scheme: " + scheme + " (expected one of " + SCHEMES + ")");
        }
        return PROVIDERS.computeIfAbsent(s, k -> {
            for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
                if (p instanceof HadoopFileSystemProvider h && h.getScheme().equals(k)) {
                    return h;
                }
            }
            return switch (k) {
                case "hdfs" -> new HadoopFileSystemProvider.Hdfs();
                case "s3a" -> new HadoopFileSystemProvider.S3a();
                case "webhdfs" -> new HadoopFileSystemProvider.WebHdfs();
                default -> new HadoopFileSystemProvider.ViewFs();
            };
        });
    }

    /** Registers the providers with {@link Locations}, so run folder texts with Hadoop schemes resolve. */
    public static void install() {
        for (String s : SCHEMES) {
            Locations.register(provider(s));
        }
    }

    /**
     * The Hadoop configuration new file systems get: the one {@link #configure} set, else Hadoop's
     * defaults (core-site.xml and hdfs-site.xml on the class path) plus those files in {@code
     * $HADOOP_CONF_DIR} when it is set.
     */
    public static Configuration configuration() {
        Configuration c = configuration;
        if (c == null) {
            c = new Configuration();
            String dir = System.getenv("HADOOP_CONF_DIR");
            if (dir != null && !dir.isBlank()) {
                for (String f : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                    Path p = Path.of(dir, f);
                    if (Files.isRegularFile(p)) {
                        c.addResource(new org.apache.hadoop.fs.Path(p.toUri()));
                    }
                }
            }
            tuneForSmallFiles(c);
            configuration = c;
        }
        return c;
    }

    /**
     * Sets the configuration file systems opened from now on get (a test's MiniDFSCluster, a
     * cluster's), with {@link #tuneForSmallFiles} applied.
     */
    public static void configure(Configuration conf) {
        tuneForSmallFiles(conf);
        configuration = conf;
    }

    /** How long an HDFS client first waits before asking again whether a closed file is complete. */
    static final String CLOSE_DELAY = "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";
    /** How many times it asks again (the wait doubling each time). */
    static final String CLOSE_RETRIES = "dfs.client.block.write.locateFollowingBlock.retries";

    /**
     * psa writes many small files (1–3 per image per stage). Closing one, the HDFS client asks the
     * name node whether the file is complete; when the data node has not reported the block yet it
     * sleeps {@value #CLOSE_DELAY} (Hadoop's default 400 ms) and asks again. Unless the
     * configuration sets them, this starts the wait at 50 ms and allows 8 retries instead of 5:
     * about the same total patience (50 ms × (2^8 − 1) ≈ 12.8 s against 400 ms × (2^5 − 1) = 12.4 s),
     * but a file whose report comes a few milliseconds late costs 50 ms, not 400 (measured on a
     * MiniDFSCluster: 225 → 27 ms per 20 kB file).
     */
    public static void tuneForSmallFiles(Configuration conf) {
        if (!setByUser(conf, CLOSE_DELAY) && !setByUser(conf, CLOSE_RETRIES)) {
            conf.setInt(CLOSE_DELAY, 50);
            conf.setInt(CLOSE_RETRIES, 8);
        }
    }

    private static boolean setByUser(Configuration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        if (sources == null) {
            return false;
        }
        for (String s : sources) {
            if (!s.endsWith("-default.xml")) {
                return true;
            }
        }
        return false;
    }
}
