package dev.psa.train;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.PsaException;

/** Copies parameter values into and out of a SameDiff graph by variable name. */
public final class Params {
    private Params() {
    }

    /**
     * Assigns each value to the graph variable of the same name, in place (the graph keeps using
     * its own arrays; values are cast to the variable's dtype). Every key must name a variable that
     * holds an array of the same shape; all problems are reported together.
     *
     * @param values variable name → value, any float dtype, the variable's shape
     * @throws PsaException listing unknown names and shape mismatches; nothing is assigned then
     */
    public static void load(SameDiff sd, Map<String, INDArray> values) {
        requireNonNull(sd, "sd is null");
        requireNonNull(values, "values is null");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : new TreeMap<>(values).entrySet()) {
            String name = e.getKey();
            INDArray target = arrayOf(sd, name);
            if (target == null) {
                problems.add("'" + name + "': no such variable with an array in the graph");
            } else if (e.getValue() == null) {
                problems.add("'" + name + "': value is null");
            } else if (!Arrays.equals(target.shape(), e.getValue().shape())) {
                problems.add("'" + name + "': graph has shape " + Arrays.toString(target.shape())
                        + ", value has " + Arrays.toString(e.getValue().shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new PsaException("cannot load " + values.size() + " parameters: " + String.join("; ", problems));
        }
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            INDArray target = arrayOf(sd, e.getKey());
            target.assign(e.getValue().castTo(target.dataType()));
        }
    }

    /**
     * Copies of the named variables' arrays.
     *
     * @return name → copy (same shape and dtype), sorted by name
     * @throws PsaException naming the variables that do not exist or hold no array
     */
    public static Map<String, INDArray> snapshot(SameDiff sd, Set<String> names) {
        requireNonNull(sd, "sd is null");
        requireNonNull(names, "names is null");
        Map<String, INDArray> out = new TreeMap<>();
        Set<String> missing = new TreeSet<>();
        for (String name : names) {
            INDArray a = arrayOf(sd, name);
            if (a == null) {
                missing.add(name);
            } else {
                out.put(name, a.dup());
            }
        }
        if (!missing.isEmpty()) {
            throw new PsaException("cannot snapshot parameters: no variable with an array named " + missing);
        }
        return out;
    }

    private static INDArray arrayOf(SameDiff sd, String name) {
        if (!sd.hasVariable(name)) {
            return null;
        }
        SDVariable v = sd.getVariable(name);
        return switch (v.getVariableType()) {
            case VARIABLE, CONSTANT -> v.getArr();
            default -> null;
        };
    }
}
