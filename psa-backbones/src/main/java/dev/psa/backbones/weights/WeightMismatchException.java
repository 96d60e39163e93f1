package dev.psa.backbones.weights;

import java.util.List;
import dev.psa.api.PsaException;

/** Weights that do not fit a graph: every missing, unexpected and wrongly shaped key, together. */
public class WeightMismatchException extends PsaException {
    private static final int SHOWN = 25;

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> misshaped;

    public WeightMismatchException(String source, List<String> missing, List<String> unexpected, List<String> misshaped) {
        super(format(source, missing, unexpected, misshaped));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.misshaped = List.copyOf(misshaped);
    }

    /** Expected names the weights lack. */
    public List<String> missing() {
        return missing;
    }

    /** Names in the weights that nothing expects. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** One line per key whose shape does not fit: name, shape found, shape expected. */
    public List<String> misshaped() {
        return misshaped;
    }

    private static String format(String source, List<String> missing, List<String> unexpected, List<String> misshaped) {
        StringBuilder sb = new StringBuilder(source).append(": weights do not fit the network (")
                .append(missing.size()).append(" missing, ").append(unexpected.size()).append(" unexpected, ")
                .append(misshaped.size()).append(" wrongly shaped)");
        list(sb, "missing", missing);
        list(sb, "unexpected", unexpected);
        list(sb, "wrongly shaped", misshaped);
        sb.append("\n  Check that the file belongs to this backbone (psa weights inspect FILE lists its keys).");
        return sb.toString();
    }

    private static void list(StringBuilder sb, String what, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(what).append(":");
        for (int i = 0; i < Math.min(SHOWN, keys.size()); i++) {
            sb.append("\n    ").append(keys.get(i));
        }
        if (keys.size() > SHOWN) {
            sb.append("\n    … and ").append(keys.size() - SHOWN).append(" more");
        }
    }
}
