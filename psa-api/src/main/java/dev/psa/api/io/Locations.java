package dev.psa.api.io;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.nio.file.spi.FileSystemProvider;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Run folders given as text: a plain path ({@code runs/a}, {@code /data/runs/a}) is a local
 * path as always; a URI ({@code file:///tmp/a}, {@code hdfs://nn:8020/runs/a}, {@code
 * s3a://bucket/runs/a}) is a path of the file system installed for its scheme (psa-hadoop's for
 * Hadoop schemes). {@link #string(Path)} is the way back: it round-trips through {@link #path}.
 */
public final class Locations {
    /** A scheme of two or more characters followed by {@code :/} (one letter is a Windows drive). */
    private static final Pattern URI_LIKE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:/.*");

    /** Providers handed over explicitly, for class loaders that do not see the installed ones. */
    private static final Map<String, FileSystemProvider> REGISTERED = new ConcurrentHashMap<>();

    private Locations() {
    }

    /**
     * The path a text names.
     *
     * @throws IllegalArgumentException for a URI whose scheme has no file system here (the message
     *     names the text and the scheme)
     */
    public static Path path(String text) {
        requireNonNull(text, "text is null");
        if (!URI_LIKE.matcher(text).matches()) {
            return Path.of(text);
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text + ": not a valid URI (" + e.getMessage() + ")", e);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        FileSystemProvider registered = REGISTERED.get(scheme);
        if (registered != null) {
            return registered.getPath(uri);
        }
        try {
            return Path.of(uri);
        } catch (FileSystemNotFoundException | ProviderNotFoundException e) {
            throw new IllegalArgumentException(text + ": no file system for scheme " + scheme
                    + " (Hadoop schemes need psa-hadoop and the Hadoop client on the class path)", e);
        }
    }

    /** The text of a path that {@link #path(String)} reads back: a plain path locally, else its URI. */
    public static String string(Path path) {
        return isLocal(path) ? path.toString() : path.toUri().toString();
    }

    /** Whether a path is on the default (local) file system. */
    public static boolean isLocal(Path path) {
        return path.getFileSystem() == FileSystems.getDefault();
    }

    /**
     * Makes {@link #path(String)} use a provider for its scheme even where the JDK's installed
     * providers (found on the system class path) do not include it, e.g. an application jar
     * loaded by a child class loader.
     */
    public static void register(FileSystemProvider provider) {
        REGISTERED.put(provider.getScheme().toLowerCase(Locale.ROOT), provider);
    }
}
