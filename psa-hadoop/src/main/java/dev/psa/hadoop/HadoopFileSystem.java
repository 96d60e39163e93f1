package dev.psa.hadoop;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;

/**
 * One Hadoop file system (a scheme and an authority: {@code hdfs://nn:8020}) seen through
 * java.nio. Closing it does not close the Hadoop client, which Hadoop caches and shares.
 */
final class HadoopFileSystem extends FileSystem {
    private final HadoopFileSystemProvider provider;
    private final String scheme;
    private final String authority;
    private final Configuration conf;
    private final org.apache.hadoop.fs.FileSystem hadoop;
    private volatile FileContext context;
    private volatile boolean open = true;

    HadoopFileSystem(HadoopFileSystemProvider provider, URI uri, Configuration conf) throws IOException {
        this.provider = requireNonNull(provider, "provider is null");
        this.scheme = uri.getScheme();
        this.authority = uri.getAuthority();
        this.conf = conf;
        this.hadoop = org.apache.hadoop.fs.FileSystem.get(uri, conf);
    }

    String scheme() {
        return scheme;
    }

    String authority() {
        return authority;
    }

    /** The Hadoop client of this file system. */
    org.apache.hadoop.fs.FileSystem hadoop() {
        return hadoop;
    }

    /** Hadoop's FileContext (its rename can replace a file atomically), made on first use. */
    FileContext context() throws IOException {
        FileContext c = context;
        if (c == null) {
            c = FileContext.getFileContext(hadoop.getUri(), conf);
            context = c;
        }
        return c;
    }

    /** The folder relative paths are taken against (Hadoop's working folder, e.g. {@code /user/NAME}). */
    HadoopPath workingFolder() {
        return new HadoopPath(this, hadoop.getWorkingDirectory().toUri().getPath());
    }

    @Override
    public HadoopFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        open = false;
        provider.forget(this);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(new HadoopPath(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder b = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                b.append('/').append(m);
            }
        }
        return new HadoopPath(this, b.toString());
    }

    /** Glob and regex patterns, matched as the local file system matches the path's text. */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher local = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
        return p -> local.matches(Path.of(p.toString()));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("no user lookup on " + scheme + "://");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("no watch service on " + scheme + "://");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HadoopFileSystem f && f.provider == provider && f.scheme.equalsIgnoreCase(scheme)
                && String.valueOf(f.authority).equalsIgnoreCase(String.valueOf(authority));
    }

    @Override
    public int hashCode() {
        return scheme.toLowerCase(Locale.ROOT).hashCode() * 31 + String.valueOf(authority).toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return scheme + "://" + (authority == null ? "" : authority);
    }
}
