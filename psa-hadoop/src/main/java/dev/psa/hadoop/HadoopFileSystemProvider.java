package dev.psa.hadoop;

import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;

/**
 * java.nio over Hadoop's FileSystem API for one URI scheme. Installed by the JDK for {@code hdfs},
 * {@code s3a}, {@code webhdfs} and {@code viewfs} (one subclass each, listed in
 * {@code META-INF/services/java.nio.file.spi.FileSystemProvider}); {@link HadoopPaths} gives the
 * same providers where the installed ones are not visible.
 *
 * <p>Semantics: output streams {@code hsync} before they close where the file system can (HDFS),
 * so a closed file is on the data nodes' disks; {@link #move} goes through {@link
 * org.apache.hadoop.fs.FileContext#rename} with {@link Options.Rename#OVERWRITE} for {@link
 * StandardCopyOption#REPLACE_EXISTING}, atomic on HDFS. Hadoop's errors become the java.nio ones
 * ({@link NoSuchFileException}, {@link FileAlreadyExistsException}, {@link
 * DirectoryNotEmptyException}, {@link AccessDeniedException}).
 */
public class HadoopFileSystemProvider extends FileSystemProvider {
    private final String scheme;
    private final Map<String, HadoopFileSystem> systems = new ConcurrentHashMap<>();

    /** The provider for one scheme ({@code hdfs}, {@code s3a}...). */
    public HadoopFileSystemProvider(String scheme) {
        this.scheme = scheme.toLowerCase(Locale.ROOT);
    }

    /** {@code hdfs://}. */
    public static final class Hdfs extends HadoopFileSystemProvider {
        public Hdfs() {
            super("hdfs");
        }
    }

    /** {@code s3a://} (needs hadoop-aws and the AWS SDK on the class path). */
    public static final class S3a extends HadoopFileSystemProvider {
        public S3a() {
            super("s3a");
        }
    }

    /** {@code webhdfs://}. */
    public static final class WebHdfs extends HadoopFileSystemProvider {
        public WebHdfs() {
            super("webhdfs");
        }
    }

    /** {@code viewfs://}. */
    public static final class ViewFs extends HadoopFileSystemProvider {
        public ViewFs() {
            super("viewfs");
        }
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    private static String key(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://"
                + (uri.getAuthority() == null ? "" : uri.getAuthority().toLowerCase(Locale.ROOT));
    }

    private void checkScheme(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException(uri + ": not a " + scheme + ":// URI");
        }
    }

    /**
     * {@code env} may hold {@code "hadoop.conf"}: the {@link Configuration} to use (else {@link
     * HadoopPaths#configuration()}).
     */
    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        checkScheme(uri);
        Object c = env.get(HadoopPaths.CONF_KEY);
        Configuration conf = c instanceof Configuration given ? given : HadoopPaths.configuration();
        synchronized (systems) {
            if (systems.containsKey(key(uri))) {
                throw new FileSystemAlreadyExistsException(key(uri));
            }
            HadoopFileSystem fs = new HadoopFileSystem(this, uri, conf);
            systems.put(key(uri), fs);
            return fs;
        }
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        checkScheme(uri);
        HadoopFileSystem fs = systems.get(key(uri));
        if (fs == null) {
            throw new FileSystemNotFoundException(key(uri));
        }
        return fs;
    }

    /** The file system of a URI, made on first use with {@link HadoopPaths#configuration()}. */
    HadoopFileSystem fileSystem(URI uri) {
        checkScheme(uri);
        HadoopFileSystem fs = systems.get(key(uri));
        if (fs != null) {
            return fs;
        }
        synchronized (systems) {
            fs = systems.get(key(uri));
            if (fs == null) {
                try {
                    fs = new HadoopFileSystem(this, uri, HadoopPaths.configuration());
                } catch (IOException e) {
                    throw new IllegalArgumentException(uri + ": cannot open the file system: " + e.getMessage(), e);
                }
                systems.put(key(uri), fs);
            }
            return fs;
        }
    }

    void forget(HadoopFileSystem fs) {
        systems.values().remove(fs);
    }

    /** A path of the URI's file system, which is opened on first use (as the local one is always open). */
    @Override
    public Path getPath(URI uri) {
        String p = uri.getPath();
        return fileSystem(uri).getPath(p == null || p.isEmpty() ? "/" : p);
    }

    static HadoopPath cast(Path path) {
        if (!(path instanceof HadoopPath p)) {
            throw new ProviderMismatchException(path + " is not a Hadoop file system path");
        }
        return p;
    }

    // ---- reading and writing

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        HadoopPath p = cast(path);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND) {
                throw new UnsupportedOperationException("'" + o + "' not allowed");
            }
        }
        return open(p);
    }

    private FSDataInputStream open(HadoopPath p) throws IOException {
        try {
            return p.getFileSystem().hadoop().open(p.hadoop());
        } catch (IOException e) {
            IOException m = map(e, p, null);
            if (m instanceof NoSuchFileException && isDirectory(p)) {
                throw new FileSystemException(p.toString(), null, "is a folder");
            }
            throw m;
        }
    }

    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        HadoopPath p = cast(path);
        Set<OpenOption> opts = new HashSet<>(Arrays.asList(options));
        if (opts.isEmpty()) {
            opts.addAll(List.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        }
        if (opts.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("READ not allowed");
        }
        return create(p, opts);
    }

    private OutputStream create(HadoopPath p, Set<? extends OpenOption> opts) throws IOException {
        org.apache.hadoop.fs.FileSystem h = p.getFileSystem().hadoop();
        org.apache.hadoop.fs.Path hp = p.hadoop();
        FileStatus st = status(p);
        if (st != null && st.isDirectory()) {
            throw new FileSystemException(p.toString(), null, "is a folder");
        }
        if (st == null) {
            if (!opts.contains(StandardOpenOption.CREATE) && !opts.contains(StandardOpenOption.CREATE_NEW)) {
                throw new NoSuchFileException(p.toString());
            }
            HadoopPath parent = (HadoopPath) p.toAbsolutePath().getParent();
            FileStatus ps = parent == null ? null : status(parent);
            if (parent != null && ps == null) {
                throw new NoSuchFileException(parent.toString(), null, "no such folder");
            }
            if (ps != null && !ps.isDirectory()) {
                throw new FileSystemException(parent.toString(), null, "is a file, not a folder");
            }
        } else if (opts.contains(StandardOpenOption.CREATE_NEW)) {
            throw new FileAlreadyExistsException(p.toString());
        }
        try {
            FSDataOutputStream out;
            if (opts.contains(StandardOpenOption.APPEND) && st != null) {
                try {
                    out = h.append(hp);
                } catch (UnsupportedOperationException e) {
                    // S3 objects cannot grow: say which file and why, not only Hadoop's class name
                    throw new UnsupportedOperationException(p.toUri() + ": cannot append, " + getScheme()
                            + ":// does not support append (" + e.getMessage() + ")", e);
                }
            } else if (opts.contains(StandardOpenOption.CREATE_NEW)) {
                out = h.create(hp, false);
            } else if (st != null && !opts.contains(StandardOpenOption.TRUNCATE_EXISTING)
                    && !opts.contains(StandardOpenOption.APPEND)) {
                throw new UnsupportedOperationException(p + ": overwriting a file in place (WRITE without"
                        + " TRUNCATE_EXISTING or APPEND) is not possible on " + p.getFileSystem());
            } else {
                out = h.create(hp, true);
            }
            return new SyncingStream(out, p);
        } catch (IOException e) {
            throw map(e, p, null);
        }
    }

    /** Syncs to the data nodes' disks (hsync) before closing, where the stream can. */
    private static final class SyncingStream extends FilterOutputStream {
        private final FSDataOutputStream hadoop;
        private final HadoopPath path;
        private boolean closed;

        SyncingStream(FSDataOutputStream out, HadoopPath path) {
            super(out);
            this.hadoop = out;
            this.path = path;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                hadoop.write(b, off, len);
            } catch (IOException e) {
                throw map(e, path, null);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (hadoop.hasCapability(StreamCapabilities.HSYNC)) {
                    hadoop.hsync();
                }
            } catch (IOException e) {
                try {
                    hadoop.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
                throw map(e, path, null);
            }
            try {
                hadoop.close();
            } catch (IOException e) {
                throw map(e, path, null);
            }
        }
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        HadoopPath p = cast(path);
        if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)) {
            if (options.contains(StandardOpenOption.READ)) {
                throw new UnsupportedOperationException(p + ": reading and writing one channel is not possible on "
                        + p.getFileSystem());
            }
            return new WriteChannel(create(p, options));
        }
        FileStatus st = status(p);
        if (st == null) {
            throw new NoSuchFileException(p.toString());
        }
        return new ReadChannel(open(p), st.getLen());
    }

    /** Reading with positions (seek) over Hadoop's input stream. */
    private static final class ReadChannel implements SeekableByteChannel {
        private final FSDataInputStream in;
        private final long size;
        private boolean open = true;

        ReadChannel(FSDataInputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) {
                return 0;
            }
            byte[] b = new byte[Math.min(dst.remaining(), 1 << 16)];
            int n = in.read(b, 0, b.length);
            if (n > 0) {
                dst.put(b, 0, n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return in.getPos();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            if (newPosition < size) {
                in.seek(newPosition);
            } else {
                in.seek(size);
            }
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            in.close();
        }
    }

    /** Sequential writing: the position is the count of bytes written. */
    private static final class WriteChannel implements SeekableByteChannel {
        private final OutputStream out;
        private final WritableByteChannel ch;
        private long written;

        WriteChannel(OutputStream out) {
            this.out = out;
            this.ch = Channels.newChannel(out);
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new NonReadableChannelException();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = ch.write(src);
            written += n;
            return n;
        }

        @Override
        public long position() {
            return written;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            if (newPosition != written) {
                throw new UnsupportedOperationException("Hadoop files are written sequentially");
            }
            return this;
        }

        @Override
        public long size() {
            return written;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new UnsupportedOperationException("Hadoop files are written sequentially");
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() throws IOException {
            ch.close();
            out.close();
        }
    }

    // ---- folders

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        HadoopPath p = cast(dir);
        FileStatus st = status(p);
        if (st == null) {
            throw new NoSuchFileException(p.toString());
        }
        if (!st.isDirectory()) {
            throw new NotDirectoryException(p.toString());
        }
        FileStatus[] list;
        try {
            list = p.getFileSystem().hadoop().listStatus(p.hadoop());
        } catch (IOException e) {
            throw map(e, p, null);
        }
        List<Path> out = new ArrayList<>();
        for (FileStatus s : list) {
            Path child = p.resolve(s.getPath().getName());
            if (filter == null || filter.accept(child)) {
                out.add(child);
            }
        }
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (iterated) {
                    throw new IllegalStateException("iterator already obtained");
                }
                iterated = true;
                return out.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        HadoopPath p = cast(dir);
        if (status(p) != null) {
            throw new FileAlreadyExistsException(p.toString());
        }
        HadoopPath parent = (HadoopPath) p.toAbsolutePath().getParent();
        if (parent != null) {
            FileStatus ps = status(parent);
            if (ps == null) {
                throw new NoSuchFileException(parent.toString(), null, "no such folder");
            }
            if (!ps.isDirectory()) {
                throw new FileSystemException(parent.toString(), null, "is a file, not a folder");
            }
        }
        try {
            if (!p.getFileSystem().hadoop().mkdirs(p.hadoop())) {
                throw new FileSystemException(p.toString(), null, "could not create the folder");
            }
        } catch (IOException e) {
            throw map(e, p, null);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        HadoopPath p = cast(path);
        FileStatus st = status(p);
        if (st == null) {
            throw new NoSuchFileException(p.toString());
        }
        org.apache.hadoop.fs.FileSystem h = p.getFileSystem().hadoop();
        try {
            if (st.isDirectory() && h.listStatus(p.hadoop()).length > 0) {
                throw new DirectoryNotEmptyException(p.toString());
            }
            if (!h.delete(p.hadoop(), false) && status(p) != null) {
                throw new FileSystemException(p.toString(), null, "could not delete");
            }
        } catch (IOException e) {
            throw map(e, p, null);
        }
    }

    // ---- copy and move

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        HadoopPath s = cast(source);
        HadoopPath t = cast(target);
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        FileStatus ss = status(s);
        if (ss == null) {
            throw new NoSuchFileException(s.toString());
        }
        if (s.equals(t)) {
            return;
        }
        prepareTarget(t, replace);
        if (ss.isDirectory()) {
            createDirectory(t);
            return;
        }
        try (InputStream in = open(s); OutputStream out = create(t, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE))) {
            in.transferTo(out);
        }
    }

    /** Checks a copy's or move's target: absent, or replaceable (then deleted, when it is a file or an empty folder). */
    private void prepareTarget(HadoopPath t, boolean replace) throws IOException {
        if (status(t) != null) {
            if (!replace) {
                throw new FileAlreadyExistsException(t.toString());
            }
            delete(t);
        }
    }

    /**
     * Renames within one file system through {@link org.apache.hadoop.fs.FileContext#rename}: with
     * {@link StandardCopyOption#REPLACE_EXISTING} an existing target file is replaced in the same
     * step ({@link Options.Rename#OVERWRITE}, atomic on HDFS); without it an existing target is a
     * {@link FileAlreadyExistsException}. Between file systems: copy, then delete.
     */
    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        HadoopPath s = cast(source);
        HadoopPath t = cast(target);
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        if (!s.getFileSystem().equals(t.getFileSystem())) {
            if (Arrays.asList(options).contains(StandardCopyOption.ATOMIC_MOVE)) {
                throw new AtomicMoveNotSupportedException(s.toString(), t.toString(),
                        "different file systems");
            }
            copy(s, t, options);
            delete(s);
            return;
        }
        FileStatus ss = status(s);
        if (ss == null) {
            throw new NoSuchFileException(s.toString());
        }
        if (s.toAbsolutePath().equals(t.toAbsolutePath())) {
            return;
        }
        FileStatus ts = status(t);
        if (ts != null && !replace) {
            throw new FileAlreadyExistsException(t.toString());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                s.getFileSystem().context().rename(s.hadoop(), t.hadoop(),
                        replace ? Options.Rename.OVERWRITE : Options.Rename.NONE);
                return;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                // Where OVERWRITE is "delete the target, then rename" (S3A), two attempts writing one output
                // race: the other's file can land between the two steps. Both are whole: replace it again.
                if (!replace || attempt == REPLACE_ATTEMPTS) {
                    throw map(e, s, t);
                }
            } catch (UnsupportedFileSystemException e) {
                // no AbstractFileSystem for the scheme: the FileSystem API's rename (not one step when replacing)
                org.apache.hadoop.fs.FileSystem h = s.getFileSystem().hadoop();
                deleteIfExists(t);
                if (h.rename(s.hadoop(), t.hadoop())) {
                    return;
                }
                if (!replace || attempt == REPLACE_ATTEMPTS || status(s) == null) {
                    throw new FileSystemException(s.toString(), t.toString(), "rename failed");
                }
            } catch (IOException e) {
                throw map(e, s, t);
            }
        }
    }

    /** How often {@link #move} with REPLACE_EXISTING tries again when a concurrent writer's file reappears. */
    static final int REPLACE_ATTEMPTS = 5;

    // ---- attributes

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path instanceof HadoopPath a) || !(path2 instanceof HadoopPath b) || !a.getFileSystem().equals(b.getFileSystem())) {
            return false;
        }
        checkAccess(a);
        checkAccess(b);
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = cast(path).getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("no file store on " + cast(path).getFileSystem());
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        HadoopPath p = cast(path);
        if (status(p) == null) {
            throw new NoSuchFileException(p.toString());
        }
        for (AccessMode m : modes) {
            FsAction a = switch (m) {
                case READ -> FsAction.READ;
                case WRITE -> FsAction.WRITE;
                case EXECUTE -> FsAction.EXECUTE;
            };
            try {
                p.getFileSystem().hadoop().access(p.hadoop(), a);
            } catch (UnsupportedOperationException e) {
                return;
            } catch (IOException e) {
                throw map(e, p, null);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        HadoopPath p = cast(path);
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return HadoopFileSystemProvider.this.readAttributes(p, BasicFileAttributes.class);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                    throws IOException {
                if (lastModifiedTime == null && lastAccessTime == null) {
                    return;
                }
                try {
                    p.getFileSystem().hadoop().setTimes(p.hadoop(),
                            lastModifiedTime == null ? -1 : lastModifiedTime.toMillis(),
                            lastAccessTime == null ? -1 : lastAccessTime.toMillis());
                } catch (IOException e) {
                    throw map(e, p, null);
                }
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        HadoopPath p = cast(path);
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException(type.getSimpleName() + " on " + p.getFileSystem());
        }
        FileStatus st = status(p);
        if (st == null) {
            throw new NoSuchFileException(p.toString());
        }
        return (A) new Attributes(st);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        String view = "basic";
        String names = attributes;
        int colon = attributes.indexOf(':');
        if (colon >= 0) {
            view = attributes.substring(0, colon);
            names = attributes.substring(colon + 1);
        }
        if (!view.equals("basic")) {
            throw new UnsupportedOperationException("view " + view + " on " + cast(path).getFileSystem());
        }
        BasicFileAttributes a = readAttributes(path, BasicFileAttributes.class, options);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("lastModifiedTime", a.lastModifiedTime());
        all.put("lastAccessTime", a.lastAccessTime());
        all.put("creationTime", a.creationTime());
        all.put("size", a.size());
        all.put("isRegularFile", a.isRegularFile());
        all.put("isDirectory", a.isDirectory());
        all.put("isSymbolicLink", a.isSymbolicLink());
        all.put("isOther", a.isOther());
        all.put("fileKey", a.fileKey());
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("'" + n + "' not recognized");
            }
            out.put(n, all.get(n));
        }
        return out;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        String name = attribute.startsWith("basic:") ? attribute.substring(6) : attribute;
        BasicFileAttributeView v = getFileAttributeView(path, BasicFileAttributeView.class);
        switch (name) {
            case "lastModifiedTime" -> v.setTimes((FileTime) value, null, null);
            case "lastAccessTime" -> v.setTimes(null, (FileTime) value, null);
            default -> throw new UnsupportedOperationException("'" + attribute + "' on " + cast(path).getFileSystem());
        }
    }

    /** Basic attributes of a Hadoop file status. */
    private record Attributes(FileStatus st) implements BasicFileAttributes {
        @Override
        public FileTime lastModifiedTime() {
            return FileTime.fromMillis(st.getModificationTime());
        }

        @Override
        public FileTime lastAccessTime() {
            return FileTime.fromMillis(st.getAccessTime());
        }

        @Override
        public FileTime creationTime() {
            return lastModifiedTime();
        }

        @Override
        public boolean isRegularFile() {
            return st.isFile();
        }

        @Override
        public boolean isDirectory() {
            return st.isDirectory();
        }

        @Override
        public boolean isSymbolicLink() {
            return st.isSymlink();
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public long size() {
            return st.getLen();
        }

        @Override
        public Object fileKey() {
            return null;
        }
    }

    // ---- helpers

    /** The status of a path, or null when nothing is there. */
    private static FileStatus status(HadoopPath p) throws IOException {
        try {
            return p.getFileSystem().hadoop().getFileStatus(p.hadoop());
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            IOException m = map(e, p, null);
            if (m instanceof NoSuchFileException) {
                return null;
            }
            throw m;
        }
    }

    private static boolean isDirectory(HadoopPath p) {
        try {
            FileStatus st = status(p);
            return st != null && st.isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    /** Hadoop's exception as the java.nio one (the same object when there is none). */
    static IOException map(IOException e, HadoopPath path, HadoopPath other) {
        IOException x = e;
        if (x instanceof RemoteException r) {
            x = r.unwrapRemoteException();
        }
        String file = path.toString();
        String other2 = other == null ? null : other.toString();
        IOException mapped;
        if (x instanceof FileSystemException) {
            return x;
        } else if (x instanceof FileNotFoundException) {
            mapped = new NoSuchFileException(file, other2, x.getMessage());
        } else if (x instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
            mapped = new FileAlreadyExistsException(other2 != null ? other2 : file, null, x.getMessage());
        } else if (x instanceof PathIsNotEmptyDirectoryException) {
            mapped = new DirectoryNotEmptyException(file);
        } else if (x instanceof AccessControlException) {
            mapped = new AccessDeniedException(file, other2, x.getMessage());
        } else if (x instanceof ParentNotDirectoryException) {
            mapped = new FileSystemException(file, other2, "a parent is a file, not a folder");
        } else {
            return x;
        }
        mapped.initCause(e);
        return mapped;
    }
}
