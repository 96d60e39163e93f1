package dev.psa.backbones.weights.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import dev.psa.backbones.weights.UnsafePickleException;

/**
 * An unpickler that only builds what a PyTorch state_dict needs: {@code collections.OrderedDict},
 * tensors through {@code torch._utils._rebuild_tensor_v2}, the {@code torch.*Storage} types and
 * {@code ('storage', type, key, location, numel[, view])} persistent ids. Every other global,
 * and the opcodes that instantiate arbitrary classes (INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT*,
 * PERSID), are refused with {@link UnsafePickleException} naming the file and the global before
 * anything is built. (Java never runs Python code, but a refused pickle is one that is not a
 * plain state_dict, and saying so is clearer than returning opaque objects.)
 */
public final class SafeUnpickler extends Unpickler {
    /** Globals this unpickler resolves. */
    public static final List<String> ALLOWED = List.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch.<Type>Storage (" + String.join(", ", StorageType.NAMES) + ")");

    private final String source;
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();

    /** @param source the file (and entry) named in errors */
    public SafeUnpickler(String source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** An ordered dict (the state_dict itself, or a tensor's empty backward-hooks dict). */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
    }

    /** A callable the pickle may REDUCE. */
    private interface Callable {
        Object call(Object[] args);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.REDUCE -> {
                Object args = stack.pop();
                Object callable = stack.pop();
                if (!(callable instanceof Callable c) || !(args instanceof Object[] a)) {
                    throw refused("REDUCE on " + describe(callable) + " is not allowed");
                }
                stack.add(c.call(a));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                Object target = stack.peek();
                if (!(target instanceof OrderedDict) || !(state instanceof Map<?, ?>)) {
                    throw refused("BUILD (setting state) on " + describe(target) + " is not allowed");
                }
                // state_dict._metadata (per-module versions) carries no weights.
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS -> {
                // in file order (the base class goes through a HashMap, losing the state_dict's order)
                List<Object> items = stack.pop_all_since_marker();
                Object target = stack.peek();
                if (!(target instanceof Map<?, ?>) || items.size() % 2 != 0) {
                    throw refused("SETITEMS on " + describe(target));
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> map = (Map<Object, Object>) target;
                for (int i = 0; i < items.size(); i += 2) {
                    map.put(items.get(i), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST, Opcodes.OBJ, Opcodes.NEWOBJ, Opcodes.NEWOBJ_EX, Opcodes.EXT1, Opcodes.EXT2,
                    Opcodes.EXT4, Opcodes.PERSID -> throw refused(String.format(
                            "opcode 0x%02x (%s) is not allowed in a state_dict", key, opcodeName(key)));
            default -> {
                return super.dispatch(key);
            }
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || !(t[4] instanceof Number numel)) {
            throw refused("persistent id " + describe(pid) + " is not a ('storage', torch.<Type>Storage, key, "
                    + "location, numel) tuple");
        }
        Object view = t.length > 5 ? t[5] : null;
        if (view != null) {
            throw refused("storage views (legacy view_metadata " + describe(view) + ") are not supported; "
                    + "re-save the checkpoint with a current PyTorch");
        }
        StorageRef ref = new StorageRef(type, String.valueOf(t[2]), numel.longValue());
        StorageRef before = storages.putIfAbsent(ref.key(), ref);
        if (before != null && !before.type().equals(ref.type())) {
            throw refused("storage '" + ref.key() + "' is named as both " + before.type().name() + " and "
                    + ref.type().name());
        }
        return ref;
    }

    /** Every storage the pickles read so far named, by key, in the order first named. */
    public Map<String, StorageRef> storages() {
        return Collections.unmodifiableMap(storages);
    }

    private Object resolve(String module, String name) {
        String global = module + "." + name;
        if (global.equals("collections.OrderedDict")) {
            return (Callable) args -> {
                OrderedDict d = new OrderedDict();
                if (args.length == 1 && args[0] instanceof List<?> items) {
                    for (Object item : items) {
                        if (!(item instanceof Object[] pair) || pair.length != 2) {
                            throw refused("OrderedDict item " + describe(item) + " is not a (key, value) pair");
                        }
                        d.put(pair[0], pair[1]);
                    }
                } else if (args.length != 0) {
                    throw refused("OrderedDict called with " + args.length + " arguments");
                }
                return d;
            };
        }
        if (global.equals("torch._utils._rebuild_tensor_v2")) {
            return (Callable) this::rebuildTensor;
        }
        if (module.equals("torch") && StorageType.NAMES.contains(name)) {
            return StorageType.of(name);
        }
        throw refused("global '" + global + "' is not allowed (allowed: " + String.join(", ", ALLOWED) + ")");
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private Object rebuildTensor(Object[] a) {
        if (a.length < 4 || !(a[0] instanceof StorageRef storage) || !(a[1] instanceof Number offset)
                || !(a[2] instanceof Object[] size) || !(a[3] instanceof Object[] stride) || size.length != stride.length) {
            throw refused("_rebuild_tensor_v2 called with unexpected arguments " + describe(a));
        }
        return new TensorRef(storage, offset.longValue(), longs(size), longs(stride));
    }

    private long[] longs(Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] instanceof Number n)) {
                throw refused("tensor size/stride entry " + describe(values[i]) + " is not an integer");
            }
            out[i] = n.longValue();
        }
        return out;
    }

    private UnsafePickleException refused(String why) {
        return new UnsafePickleException(source + ": refused to unpickle: " + why
                + ". Only PyTorch state_dicts (tensors, storages, ordered dicts) are read.");
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] arr) {
            List<String> parts = new ArrayList<>();
            for (Object x : arr) {
                parts.add(describe(x));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        }
        if (o instanceof Callable) {
            return "an allowed callable";
        }
        String s = String.valueOf(o);
        return o.getClass().getSimpleName() + " " + (s.length() > 60 ? s.substring(0, 60) + "…" : s);
    }

    private static String opcodeName(short key) {
        return switch (key) {
            case Opcodes.INST -> "INST";
            case Opcodes.OBJ -> "OBJ";
            case Opcodes.NEWOBJ -> "NEWOBJ";
            case Opcodes.NEWOBJ_EX -> "NEWOBJ_EX";
            case Opcodes.EXT1 -> "EXT1";
            case Opcodes.EXT2 -> "EXT2";
            case Opcodes.EXT4 -> "EXT4";
            default -> "PERSID";
        };
    }
}
