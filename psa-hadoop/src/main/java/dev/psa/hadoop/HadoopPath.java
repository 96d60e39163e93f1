package dev.psa.hadoop;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path of a {@link HadoopFileSystem}: {@code /}-separated names, absolute when it starts with
 * {@code /}; relative paths are taken against the Hadoop file system's working folder.
 */
final class HadoopPath implements Path {
    private final HadoopFileSystem fs;
    private final boolean absolute;
    private final String[] names;
    private volatile String text;

    HadoopPath(HadoopFileSystem fs, String path) {
        this(fs, path.startsWith("/"), split(path));
    }

    private HadoopPath(HadoopFileSystem fs, boolean absolute, String[] names) {
        this.fs = requireNonNull(fs, "fs is null");
        this.absolute = absolute;
        this.names = names;
    }

    private static String[] split(String path) {
        return Arrays.stream(path.split("/+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    /** The Hadoop path (absolute, qualified with the file system's scheme and authority). */
    org.apache.hadoop.fs.Path hadoop() {
        return new org.apache.hadoop.fs.Path(toUri());
    }

    @Override
    public HadoopFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new HadoopPath(fs, true, new String[0]) : null;
    }

    @Override
    public Path getFileName() {
        return names.length == 0 ? null : new HadoopPath(fs, false, new String[] {names[names.length - 1]});
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (names.length == 1 && !absolute)) {
            return null;
        }
        return new HadoopPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("no name " + index + " in " + this);
        }
        return new HadoopPath(fs, false, new String[] {names[index]});
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || endIndex > names.length || beginIndex >= endIndex) {
            throw new IllegalArgumentException("no names " + beginIndex + ".." + endIndex + " in " + this);
        }
        return new HadoopPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof HadoopPath o) || !o.fs.equals(fs) || o.absolute != absolute || o.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof HadoopPath o) || !o.fs.equals(fs) || o.names.length > names.length
                || (o.absolute && (!absolute || o.names.length != names.length))) {
            return false;
        }
        for (int i = 1; i <= o.names.length; i++) {
            if (!o.names[o.names.length - i].equals(names[names.length - i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue;
                }
            }
            out.add(n);
        }
        return new HadoopPath(fs, absolute, out.toArray(String[]::new));
    }

    @Override
    public Path resolve(Path other) {
        HadoopPath o = check(other);
        if (o.absolute) {
            return o;
        }
        if (o.names.length == 0) {
            return this;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new HadoopPath(fs, absolute, joined);
    }

    @Override
    public Path relativize(Path other) {
        HadoopPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this
                    + ": one is absolute, the other not");
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return new HadoopPath(fs, false, out.toArray(String[]::new));
    }

    @Override
    public URI toUri() {
        HadoopPath abs = (HadoopPath) toAbsolutePath();
        try {
            return new URI(fs.scheme(), fs.authority(), abs.toString(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no URI for " + abs + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : fs.workingFolder().resolve(this);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        Path real = toAbsolutePath().normalize();
        fs.provider().checkAccess(real);
        return real;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("no watch service on " + fs.scheme() + "://");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(check(other).toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HadoopPath p && p.fs.equals(fs) && p.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return fs.hashCode() * 31 + toString().hashCode();
    }

    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = (absolute ? "/" : "") + String.join("/", names);
            text = t;
        }
        return t;
    }

    private HadoopPath check(Path other) {
        if (!(other instanceof HadoopPath o)) {
            throw new ProviderMismatchException(other + " is not a path of " + fs.scheme() + "://" + fs.authority());
        }
        return o;
    }
}
