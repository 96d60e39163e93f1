package dev.psa.backbones.weights.internal;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;

/**
 * A PyTorch {@code torch.save} file of a state_dict, opened for reading: the pickle is read (and
 * every storage located and checked against the file's size) when it is opened; tensor data is
 * read on demand, one tensor at a time, straight from the file into the array's memory.
 *
 * <p>Zip format (PyTorch ≥ 1.6): {@code <prefix>/data.pkl} plus one {@code <prefix>/data/<key>}
 * entry of little-endian bytes per storage, found through the zip central directory
 * (commons-compress), so the STORED entries with data descriptors that {@code torch.save} writes
 * (general-purpose flag 0x0808) and the entries of Python's {@code zipfile} both read; a STORED
 * entry is read at its data offset, any other method through the library's decompressing stream.
 * Legacy format: pickles of the magic number, protocol version, sys info, the object and the
 * storage keys, then each storage as an int64 element count and its raw bytes.
 */
public final class TorchCheckpoint implements Closeable {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    /** A storage's bytes: at {@code position} in the file, or in {@code heap} (entries that are not STORED). */
    private record Region(long position, long length, ByteBuffer heap) {
    }

    private final Path file;
    private final boolean legacy;
    private final boolean wrapped;
    private final Map<String, Object> otherEntries;
    private final Map<String, TensorRef> tensors;
    private final Map<String, Region> regions;
    private final FileChannel channel;
    private final ZipFile zip;
    private final Map<String, ZipArchiveEntry> packed;

    private TorchCheckpoint(Path file, boolean legacy, Unwrapped content, Map<String, Region> regions,
                            FileChannel channel, ZipFile zip, Map<String, ZipArchiveEntry> packed) {
        this.file = file;
        this.legacy = legacy;
        this.wrapped = content.wrapped();
        this.otherEntries = content.other();
        this.tensors = content.tensors();
        this.regions = regions;
        this.channel = channel;
        this.zip = zip;
        this.packed = packed;
    }

    /** Opens a zip-format checkpoint. */
    public static TorchCheckpoint openZip(Path file) {
        requireNonNull(file, "file is null");
        ZipFile zip = null;
        FileChannel channel = null;
        try {
            zip = new ZipFile(file.toFile());
            channel = FileChannel.open(file, StandardOpenOption.READ);
            String pkl = null;
            for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (n.equals("data.pkl") || n.endsWith("/data.pkl")) {
                    if (pkl != null) {
                        throw new PsaException(file + ": more than one data.pkl (" + pkl + ", " + n + ")");
                    }
                    pkl = n;
                }
            }
            if (pkl == null) {
                throw new PsaException(file + ": a zip without data.pkl is not a PyTorch checkpoint "
                        + "(and not an .npz: numpy archives hold .npy entries)");
            }
            String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
            ZipArchiveEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String o;
                try (InputStream in = zip.getInputStream(order)) {
                    o = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
                }
                if (!o.equals("little")) {
                    throw new PsaException(file + ": storages are '" + o + "'-endian; only little-endian checkpoints "
                            + "are supported");
                }
            }
            SafeUnpickler unpickler = new SafeUnpickler(file + "!" + pkl);
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(pkl)), 1 << 16)) {
                root = unpickler.load(in);
            }
            Unwrapped content = unwrap(root, file);
            long size = channel.size();
            Map<String, Region> regions = new HashMap<>();
            Map<String, ZipArchiveEntry> packed = new HashMap<>();
            for (Map.Entry<String, TensorRef> e : content.tensors().entrySet()) {
                StorageRef s = e.getValue().storage();
                if (regions.containsKey(s.key()) || packed.containsKey(s.key())) {
                    continue;
                }
                String name = prefix + "data/" + s.key();
                ZipArchiveEntry z = zip.getEntry(name);
                if (z == null) {
                    throw new PsaException(file + ": tensor '" + e.getKey() + "' points to storage entry '" + name
                            + "', which is missing");
                }
                if (z.getMethod() == ZipArchiveEntry.STORED) {
                    if (z.getDataOffset() < 0 || z.getDataOffset() + z.getSize() > size) {
                        throw new PsaException(file + ": storage entry '" + name + "' of tensor '" + e.getKey()
                                + "' reaches past the end of the file (truncated or damaged)");
                    }
                    regions.put(s.key(), new Region(z.getDataOffset(), z.getSize(), null));
                } else {
                    packed.put(s.key(), z);
                }
            }
            TorchCheckpoint c = new TorchCheckpoint(file, false, content, regions, channel, zip, packed);
            c.checkViews();
            return c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(zip, channel, e);
            if (e instanceof PsaException p) {
                throw p;
            }
            throw new PsaException(file + ": cannot read PyTorch zip checkpoint (truncated or damaged?): "
                    + e.getMessage(), e);
        }
    }

    /** Opens a legacy (pre-1.6, non-zip) checkpoint. */
    public static TorchCheckpoint openLegacy(Path file) {
        requireNonNull(file, "file is null");
        FileChannel channel = null;
        Counting in = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            in = new Counting(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            Object magic = new SafeUnpickler(file + " (magic number)").load(in);
            if (!(magic instanceof Number) || !magic.toString().equals(LEGACY_MAGIC.toString())) {
                throw new PsaException(file + ": not a PyTorch checkpoint (first pickle is " + magic
                        + ", expected the torch.save magic number)");
            }
            Object version = new SafeUnpickler(file + " (protocol version)").load(in);
            if (!(version instanceof Number v) || v.intValue() != 1001) {
                throw new PsaException(file + ": unsupported legacy torch.save protocol version " + version);
            }
            Object sysInfo = new SafeUnpickler(file + " (sys info)").load(in);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new PsaException(file + ": big-endian checkpoints are not supported");
            }
            SafeUnpickler objects = new SafeUnpickler(file.toString());
            Unwrapped content = unwrap(objects.load(in), file);
            Object keys = new SafeUnpickler(file + " (storage keys)").load(in);
            if (!(keys instanceof List<?> keyList)) {
                throw new PsaException(file + ": legacy checkpoint lacks its storage key list");
            }
            long pos = in.count();
            long size = channel.size();
            Map<String, Region> regions = new HashMap<>();
            ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            for (Object k : keyList) {
                String key = String.valueOf(k);
                StorageRef s = objects.storages().get(key);
                if (s == null) {
                    throw new PsaException(file + ": storage '" + key + "' of the key list is not named by the pickle");
                }
                count.clear();
                readFully(channel, count, pos, file, key, content);
                long numel = count.getLong(0);
                long bytes = numel * s.type().itemSize();
                if (numel < 0 || bytes < 0) {
                    throw new PsaException(file + ": storage '" + key + "' has a negative size (damaged file)");
                }
                if (pos + 8 + bytes > size) {
                    throw truncated(file, key, content, pos + 8 + bytes, size);
                }
                regions.put(key, new Region(pos + 8, bytes, null));
                pos += 8 + bytes;
            }
            TorchCheckpoint c = new TorchCheckpoint(file, true, content, regions, channel, null, Map.of());
            for (Map.Entry<String, TensorRef> e : content.tensors().entrySet()) {
                if (!regions.containsKey(e.getValue().storage().key())) {
                    throw new PsaException(file + ": tensor '" + e.getKey() + "' points to storage '"
                            + e.getValue().storage().key() + "', which the file does not contain");
                }
            }
            c.checkViews();
            return c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(null, channel, e);
            if (e instanceof PsaException p) {
                throw p;
            }
            if (e instanceof EOFException || (in != null && in.ended())) {
                throw new PsaException(file + ": truncated PyTorch checkpoint (it ends inside its pickled header, at byte "
                        + in.count() + ")", e);
            }
            throw new PsaException(file + ": cannot read PyTorch checkpoint: " + e.getMessage(), e);
        }
    }

    /** Whether the file is in the legacy format. */
    public boolean legacy() {
        return legacy;
    }

    /** Whether the state_dict was saved inside a dict, under {@code "state_dict"}. */
    public boolean wrapped() {
        return wrapped;
    }

    /** The wrapping dict's other entries (e.g. {@code epoch → 3}), empty when not wrapped. */
    public Map<String, Object> otherEntries() {
        return otherEntries;
    }

    /** The state_dict's tensors, in file order, as the pickle describes them. */
    public Map<String, TensorRef> tensors() {
        return tensors;
    }

    /**
     * Reads one tensor as a C-order array of its shape. Float32, float64, int64 and int32 keep
     * their type (float32 and the rest of a contiguous tensor are copied from the file into the
     * array's memory in one read); float16 and bfloat16 become float32; int16, int8 and uint8 become
     * int32, bool stays bool.
     */
    public INDArray read(String name) {
        TensorRef t = tensors.get(name);
        if (t == null) {
            throw new PsaException(file + ": no tensor '" + name + "'");
        }
        StorageType type = t.storage().type();
        long count = count(t);
        DataType direct = switch (type.name()) {
            case "FloatStorage" -> DataType.FLOAT;
            case "DoubleStorage" -> DataType.DOUBLE;
            case "LongStorage" -> DataType.LONG;
            case "IntStorage" -> DataType.INT;
            default -> null;
        };
        try {
            Region r = regions.get(t.storage().key());
            if (direct != null && r != null && count > 0 && t.size().length > 0 && contiguous(t)
                    && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                INDArray out = Nd4j.createUninitialized(direct, t.size(), 'c');
                ByteBuffer dst = out.data().asNio();
                dst.clear().limit(Math.toIntExact(count * type.itemSize()));
                readFully(channel, dst, r.position() + t.offset() * type.itemSize(), file, t.storage().key(), null);
                return out;
            }
            return gather(name, t, storageBytes(t.storage()));
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(zip, channel, null);
    }

    /** Every tensor's view lies inside its storage; checked when the file is opened. */
    private void checkViews() throws IOException {
        for (Map.Entry<String, TensorRef> e : tensors.entrySet()) {
            TensorRef t = e.getValue();
            long count = count(t);
            long maxIndex = t.offset();
            for (int i = 0; i < t.size().length; i++) {
                if (t.size()[i] < 0 || t.stride()[i] < 0) {
                    throw new PsaException(file + ": tensor '" + e.getKey() + "' has a negative size or stride");
                }
                maxIndex += t.size()[i] == 0 ? 0 : (t.size()[i] - 1) * t.stride()[i];
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new PsaException(file + ": tensor '" + e.getKey() + "' has too many elements (" + count + ")");
            }
            Region r = regions.get(t.storage().key());
            long length = r != null ? r.length() : packed.get(t.storage().key()).getSize();
            long itemSize = t.storage().type().itemSize();
            if (count > 0 && (length < 0 || (maxIndex + 1) * itemSize > length)) {
                throw new PsaException(file + ": tensor '" + e.getKey() + "' (offset " + t.offset() + ", size "
                        + Arrays.toString(t.size()) + ", stride " + Arrays.toString(t.stride())
                        + ") reaches past the end of its storage '" + t.storage().key() + "' (" + length + " bytes)");
            }
        }
    }

    private ByteBuffer storageBytes(StorageRef s) throws IOException {
        Region r = regions.get(s.key());
        ByteBuffer b;
        if (r != null) {
            if (r.length() > Integer.MAX_VALUE - 8) {
                throw new PsaException(file + ": storage '" + s.key() + "' is too large to gather a strided view");
            }
            b = ByteBuffer.allocate((int) r.length());
            readFully(channel, b, r.position(), file, s.key(), null);
        } else {
            try (InputStream in = zip.getInputStream(packed.get(s.key()))) {
                b = ByteBuffer.wrap(in.readAllBytes());
            }
        }
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long count(TensorRef t) {
        long n = 1;
        for (long d : t.size()) {
            n = Math.multiplyExact(n, Math.max(d, 0));
        }
        return n;
    }

    /** torch's is_contiguous: C-order strides, dimensions of size 1 excepted. */
    static boolean contiguous(TensorRef t) {
        long expected = 1;
        for (int d = t.size().length - 1; d >= 0; d--) {
            if (t.size()[d] == 0) {
                return true;
            }
            if (t.size()[d] != 1) {
                if (t.stride()[d] != expected) {
                    return false;
                }
                expected *= t.size()[d];
            }
        }
        return true;
    }

    /** Gathers a (possibly strided) view of a little-endian storage into a C-order array. */
    private static INDArray gather(String name, TensorRef t, ByteBuffer data) {
        long[] size = t.size();
        long[] index = sourceIndices(size, t.stride(), t.offset(), (int) count(t));
        String type = t.storage().type().name();
        INDArray out;
        switch (type) {
            case "FloatStorage", "HalfStorage", "BFloat16Storage" -> {
                float[] v = new float[index.length];
                for (int i = 0; i < v.length; i++) {
                    int at = (int) index[i];
                    v[i] = switch (type) {
                        case "FloatStorage" -> data.getFloat(at * 4);
                        case "HalfStorage" -> halfToFloat(data.getShort(at * 2));
                        default -> Float.intBitsToFloat((data.getShort(at * 2) & 0xFFFF) << 16);
                    };
                }
                out = size.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, size, DataType.FLOAT);
            }
            case "DoubleStorage" -> {
                double[] v = new double[index.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.getDouble((int) index[i] * 8);
                }
                out = size.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, size, DataType.DOUBLE);
            }
            case "LongStorage" -> {
                long[] v = new long[index.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.getLong((int) index[i] * 8);
                }
                out = size.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape(size);
            }
            default -> {
                int[] v = new int[index.length];
                for (int i = 0; i < v.length; i++) {
                    int at = (int) index[i];
                    v[i] = switch (type) {
                        case "IntStorage" -> data.getInt(at * 4);
                        case "ShortStorage" -> data.getShort(at * 2);
                        case "CharStorage" -> data.get(at);
                        default -> data.get(at) & 0xFF; // Byte (uint8) and Bool, widened like Npy does
                    };
                }
                out = size.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape(size);
                if (type.equals("BoolStorage")) {
                    out = out.castTo(DataType.BOOL);
                }
            }
        }
        return out;
    }

    /** IEEE 754 binary16 → float32. */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? v : -v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Storage element index of each C-order position of the view. */
    private static long[] sourceIndices(long[] size, long[] stride, long offset, int count) {
        long[] out = new long[count];
        int rank = size.length;
        long[] pos = new long[rank];
        long at = offset;
        for (int i = 0; i < count; i++) {
            out[i] = at;
            for (int d = rank - 1; d >= 0; d--) {
                pos[d]++;
                at += stride[d];
                if (pos[d] < size[d]) {
                    break;
                }
                at -= pos[d] * stride[d];
                pos[d] = 0;
            }
        }
        return out;
    }

    /** The unpickled object's state_dict, and what else a wrapping dict held. */
    private record Unwrapped(Map<String, TensorRef> tensors, boolean wrapped, Map<String, Object> other) {
    }

    /** The name → tensor map of the unpickled object: a state_dict, or a dict holding one under "state_dict". */
    private static Unwrapped unwrap(Object root, Path file) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new PsaException(file + ": the pickled object is a "
                    + (root == null ? "None" : root.getClass().getSimpleName())
                    + ", not a state_dict (a dict of name → tensor)");
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof TensorRef t) {
                out.put(String.valueOf(e.getKey()), t);
            } else {
                other.add(String.valueOf(e.getKey()));
            }
        }
        if (other.isEmpty()) {
            return new Unwrapped(Collections.unmodifiableMap(out), false, Map.of());
        }
        if (out.isEmpty() && map.get("state_dict") instanceof Map<?, ?> inner) {
            Unwrapped sd = unwrap(inner, file);
            if (sd.wrapped()) {
                throw new PsaException(file + ": a state_dict wrapped twice ('state_dict' inside 'state_dict')");
            }
            Map<String, Object> rest = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!"state_dict".equals(k)) {
                    rest.put(String.valueOf(k), v);
                }
            });
            return new Unwrapped(sd.tensors(), true, Collections.unmodifiableMap(rest));
        }
        throw new PsaException(file + ": entries " + other + " are not tensors; expected a state_dict "
                + "(or a dict with one under 'state_dict')");
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position, Path file, String storage,
                                  Unwrapped content) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw truncated(file, storage, content, position + dst.limit(), channel.size());
            }
            at += n;
        }
    }

    private static PsaException truncated(Path file, String storage, Unwrapped content, long needed, long size) {
        List<String> users = new ArrayList<>();
        if (content != null) {
            content.tensors().forEach((k, t) -> {
                if (t.storage().key().equals(storage)) {
                    users.add(k);
                }
            });
        }
        return new PsaException(file + ": truncated PyTorch checkpoint: storage '" + storage + "'"
                + (users.isEmpty() ? "" : " (tensor " + String.join(", ", users) + ")") + " needs the file to be at least "
                + needed + " bytes long, it has " + size);
    }

    private static void closeQuietly(ZipFile zip, FileChannel channel, Throwable failure) {
        for (Closeable c : new Closeable[] {zip, channel}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** Counts the bytes handed to the reader above it (the unpickler), i.e. its exact position in the file. */
    private static final class Counting extends FilterInputStream {
        private long count;
        private boolean ended;

        Counting(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        /** Whether a read met the end of the file. */
        boolean ended() {
            return ended;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            } else {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            } else if (n < 0) {
                ended = true;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
