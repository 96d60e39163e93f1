package dev.psa.backbones.weights.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.PsaException;

/**
 * Reads PyTorch {@code torch.save} files of state_dicts: the zip format (PyTorch ≥ 1.6:
 * {@code <prefix>/data.pkl} + {@code <prefix>/data/<key>} little-endian storages) and the legacy
 * format (a sequence of pickles: magic number, protocol version, sys info, the object, the
 * storage keys; then each storage as an int64 element count and its raw bytes).
 */
public final class TorchReader {
    private static final java.math.BigInteger LEGACY_MAGIC = new java.math.BigInteger("1950a86a20f9469cfc6c", 16);

    private TorchReader() {
    }

    /** Reads a zip-format checkpoint. */
    public static Map<String, INDArray> readZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String pkl = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))) {
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
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(pkl)))) {
                root = new SafeUnpickler(file + "!" + pkl).load(in);
            }
            Map<String, TensorRef> refs = stateDict(root, file);
            Map<String, ByteBuffer> storages = new HashMap<>();
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                StorageRef s = e.getValue().storage();
                ByteBuffer data = storages.get(s.key());
                if (data == null) {
                    String entry = prefix + "data/" + s.key();
                    ZipEntry z = zip.getEntry(entry);
                    if (z == null) {
                        throw new PsaException(file + ": tensor '" + e.getKey() + "' points to storage entry '"
                                + entry + "', which is missing");
                    }
                    try (InputStream in = zip.getInputStream(z)) {
                        data = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
                    }
                    if (data.capacity() < s.numel() * s.type().itemSize()) {
                        throw new PsaException(file + ": storage '" + entry + "' has " + data.capacity()
                                + " bytes, expected " + s.numel() * s.type().itemSize());
                    }
                    storages.put(s.key(), data);
                }
                out.put(e.getKey(), tensor(e.getKey(), e.getValue(), data, file));
            }
            return out;
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read PyTorch checkpoint: " + e.getMessage(), e);
        }
    }

    /** Reads a legacy (pre-1.6, non-zip) checkpoint. */
    public static Map<String, INDArray> readLegacy(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            Object magic = new SafeUnpickler(file + " (magic number)").load(raw);
            if (!(magic instanceof Number) || !magic.toString().equals(LEGACY_MAGIC.toString())) {
                throw new PsaException(file + ": not a PyTorch checkpoint (first pickle is " + magic
                        + ", expected the torch.save magic number)");
            }
            Object version = new SafeUnpickler(file + " (protocol version)").load(raw);
            if (!(version instanceof Number v) || v.intValue() != 1001) {
                throw new PsaException(file + ": unsupported legacy torch.save protocol version " + version);
            }
            Object sysInfo = new SafeUnpickler(file + " (sys info)").load(raw);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new PsaException(file + ": big-endian checkpoints are not supported");
            }
            Object root = new SafeUnpickler(file.toString()).load(raw);
            Map<String, TensorRef> refs = stateDict(root, file);
            Object keys = new SafeUnpickler(file + " (storage keys)").load(raw);
            if (!(keys instanceof List<?> keyList)) {
                throw new PsaException(file + ": legacy checkpoint lacks its storage key list");
            }
            Map<String, StorageRef> byKey = new HashMap<>();
            for (TensorRef t : refs.values()) {
                byKey.put(t.storage().key(), t.storage());
            }
            DataInputStream in = new DataInputStream(raw);
            Map<String, ByteBuffer> storages = new HashMap<>();
            for (Object k : keyList) {
                String key = String.valueOf(k);
                long numel = Long.reverseBytes(in.readLong());
                StorageRef s = byKey.get(key);
                int itemSize = s == null ? 4 : s.type().itemSize();
                long bytes = numel * itemSize;
                if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                    throw new PsaException(file + ": storage '" + key + "' of " + numel + " elements is too large");
                }
                byte[] b = new byte[(int) bytes];
                in.readFully(b);
                storages.put(key, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
            }
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                ByteBuffer data = storages.get(e.getValue().storage().key());
                if (data == null) {
                    throw new PsaException(file + ": tensor '" + e.getKey() + "' points to storage '"
                            + e.getValue().storage().key() + "', which the file does not contain");
                }
                out.put(e.getKey(), tensor(e.getKey(), e.getValue(), data, file));
            }
            return out;
        } catch (EOFException e) {
            throw new PsaException(file + ": truncated PyTorch checkpoint", e);
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read PyTorch checkpoint: " + e.getMessage(), e);
        }
    }

    /** The name → tensor map of the unpickled object: a state_dict, or a dict holding one under "state_dict". */
    private static Map<String, TensorRef> stateDict(Object root, Path file) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new PsaException(file + ": the pickled object is a " + root.getClass().getSimpleName()
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
        if (!other.isEmpty()) {
            if (out.isEmpty() && map.get("state_dict") instanceof Map<?, ?> inner) {
                return stateDict(inner, file);
            }
            throw new PsaException(file + ": entries " + other + " are not tensors; expected a state_dict "
                    + "(or a dict with one under 'state_dict')");
        }
        return out;
    }

    /** Gathers a (possibly strided) view of a little-endian storage into a C-order array. */
    private static INDArray tensor(String name, TensorRef t, ByteBuffer data, Path file) {
        long[] size = t.size();
        long[] stride = t.stride();
        long count = 1;
        long maxIndex = t.offset();
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0) {
                throw new PsaException(file + ": tensor '" + name + "' has a negative size or stride");
            }
            count = Math.multiplyExact(count, size[i]);
            maxIndex += size[i] == 0 ? 0 : (size[i] - 1) * stride[i];
        }
        if (count > 0 && (maxIndex + 1) * t.storage().type().itemSize() > data.capacity()) {
            throw new PsaException(file + ": tensor '" + name + "' (offset " + t.offset() + ", size "
                    + java.util.Arrays.toString(size) + ") reaches past the end of its storage");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new PsaException(file + ": tensor '" + name + "' has too many elements (" + count + ")");
        }
        long[] index = sourceIndices(size, stride, t.offset(), (int) count);
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
}
