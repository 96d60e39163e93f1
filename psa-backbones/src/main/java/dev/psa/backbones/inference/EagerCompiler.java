package dev.psa.backbones.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Turns the recorded layers that lead to one variable into an {@link EagerForward}: keeps only those
 * layers, folds each frozen batch norm that is the only reader of a convolution into that
 * convolution's weight and bias (w·s, b·s + t with s = γ/√(var+ε), t = β − mean·s), fuses a ReLU that
 * is the only reader of a convolution or batch norm, and plans when each value dies.
 */
final class EagerCompiler {
    private EagerCompiler() {
    }

    /** A kernel with the variable names it reads and writes. */
    private record Node(String name, EagerForward.Kernel kernel, List<String> inputs, String output) {
    }

    static EagerForward compile(List<Step> steps, SameDiff sd, String output, DataType type) {
        Map<String, Step> producer = new HashMap<>();
        for (Step s : steps) {
            producer.put(s.output(), s);
        }
        if (!producer.containsKey(output)) {
            throw new IllegalArgumentException("variable '" + output + "' is not the output of a recorded layer");
        }
        Set<Step> needed = new HashSet<>();
        Set<String> leaves = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            Step s = producer.get(v);
            if (s == null) {
                leaves.add(v);
            } else if (needed.add(s)) {
                todo.addAll(s.inputs());
            }
        }
        if (leaves.size() != 1) {
            throw new IllegalArgumentException("variable '" + output + "' depends on " + leaves
                    + "; an eager forward pass needs exactly one input placeholder");
        }
        String input = leaves.iterator().next();
        SDVariable inputVar = sd.getVariable(input);
        if (inputVar == null || !inputVar.isPlaceHolder()) {
            throw new IllegalArgumentException("variable '" + output + "' depends on '" + input
                    + "', which is not a placeholder of the graph");
        }
        List<Step> order = steps.stream().filter(needed::contains).toList();
        Map<String, List<Step>> readers = new HashMap<>();
        for (Step s : order) {
            for (String in : s.inputs()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(s);
            }
        }
        List<Node> nodes = fuse(order, readers, sd, output, type);
        return plan(nodes, input, output, type);
    }

    private static List<Node> fuse(List<Step> order, Map<String, List<Step>> readers, SameDiff sd, String output,
                                   DataType type) {
        Set<Step> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Step step : order) {
            if (absorbed.contains(step)) {
                continue;
            }
            if (step instanceof Step.Conv c) {
                nodes.add(conv(c, readers, sd, output, absorbed, type));
            } else if (step instanceof Step.BatchNorm bn) {
                INDArray[] st = scaleShift(sd, bn, type);
                String out = bn.output();
                boolean relu = false;
                if (soleReader(readers, out, output) instanceof Step.Relu r) {
                    relu = true;
                    absorbed.add(r);
                    out = r.output();
                }
                boolean fusedRelu = relu;
                nodes.add(new Node(bn.output(), (in, ow, pool) -> NhwcOps.scaleShift(in[0], st[0], st[1], fusedRelu,
                        ow[0], pool), List.of(bn.input()), out));
            } else if (step instanceof Step.Relu r) {
                nodes.add(new Node(r.output(), (in, ow, pool) -> {
                    INDArray y = ow[0] ? in[0] : pool.take(in[0].shape()).assign(in[0]);
                    NhwcOps.reluInPlace(y);
                    return y;
                }, List.of(r.input()), r.output()));
            } else if (step instanceof Step.Add a) {
                nodes.add(new Node(a.output(), (in, ow, pool) -> ow[0] ? in[0].addi(in[1])
                        : ow[1] ? in[1].addi(in[0]) : pool.take(in[0].shape()).assign(in[0]).addi(in[1]),
                        List.of(a.a(), a.b()), a.output()));
            } else if (step instanceof Step.MaxPool m) {
                nodes.add(new Node(m.output(), (in, ow, pool) -> NhwcOps.maxPool(in[0], m.k(), m.stride(), m.pad(), pool),
                        List.of(m.input()), m.output()));
            } else if (step instanceof Step.Dropout d) {
                throw new IllegalArgumentException("variable '" + output + "' depends on dropout " + d.output()
                        + " (a training graph); build the graph with training = false");
            }
        }
        return nodes;
    }

    /** A convolution, with the batch norm and ReLU that are its only readers folded in. */
    private static Node conv(Step.Conv c, Map<String, List<Step>> readers, SameDiff sd, String output,
                             Set<Step> absorbed, DataType type) {
        if (c.dilation() > 1 && (c.stride() != 1 || c.same())) {
            throw new IllegalArgumentException("convolution " + c.output() + ": dilation " + c.dilation()
                    + " with stride " + c.stride() + (c.same() ? " and SAME padding" : "") + " has no eager kernel");
        }
        INDArray w = value(sd, c.weight(), type);
        INDArray b = c.bias() == null ? null : value(sd, c.bias(), type);
        String out = c.output();
        if (soleReader(readers, out, output) instanceof Step.BatchNorm bn) {
            INDArray[] st = scaleShift(sd, bn, type);
            long k = w.size(0);
            long in = w.size(2);
            long o = w.size(3);
            w.reshape('c', k * k * in, o).muliRowVector(st[0]);
            b = b == null ? st[1] : b.muli(st[0]).addi(st[1]);
            absorbed.add(bn);
            out = bn.output();
        }
        boolean relu = false;
        if (soleReader(readers, out, output) instanceof Step.Relu r) {
            relu = true;
            absorbed.add(r);
            out = r.output();
        }
        INDArray weight = w;
        INDArray bias = b;
        boolean fusedRelu = relu;
        return new Node(c.output(), (in, ow, pool) -> {
            INDArray y = NhwcOps.conv(in[0], weight, bias, c.k(), c.stride(), c.dilation(), c.same(), pool);
            if (fusedRelu) {
                NhwcOps.reluInPlace(y);
            }
            return y;
        }, List.of(c.input()), out);
    }

    private static EagerForward plan(List<Node> nodes, String input, String output, DataType type) {
        Map<String, Integer> slot = new LinkedHashMap<>();
        slot.put(input, 0);
        for (Node n : nodes) {
            slot.putIfAbsent(n.output(), slot.size());
        }
        Map<String, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                lastRead.put(in, i);
            }
        }
        List<EagerForward.Instr> instrs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            int index = i;
            int[] in = n.inputs().stream().mapToInt(v -> {
                Integer s = slot.get(v);
                if (s == null) {
                    throw new IllegalStateException("variable '" + v + "' read before it is written");
                }
                return s;
            }).toArray();
            int[] free = n.inputs().stream().distinct().filter(v -> !v.equals(output) && lastRead.get(v) == index)
                    .mapToInt(slot::get).toArray();
            instrs.add(new EagerForward.Instr(n.name(), n.kernel(), in, slot.get(n.output()), free));
        }
        return new EagerForward(instrs, slot.size(), 0, slot.get(output), type);
    }

    /** The only reader of {@code var}, or null if it has several, none, or is the requested output. */
    private static Step soleReader(Map<String, List<Step>> readers, String var, String output) {
        List<Step> r = readers.get(var);
        return var.equals(output) || r == null || r.size() != 1 ? null : r.get(0);
    }

    /** {scale, shift} of a frozen batch norm, computed as the graph computes them. */
    private static INDArray[] scaleShift(SameDiff sd, Step.BatchNorm bn, DataType type) {
        INDArray gamma = value(sd, bn.gamma(), type);
        INDArray scale = gamma.div(Transforms.sqrt(value(sd, bn.var(), type).add(bn.eps()), false));
        INDArray shift = value(sd, bn.beta(), type).sub(value(sd, bn.mean(), type).mul(scale));
        return new INDArray[] {scale, shift};
    }

    /** A C-contiguous copy of a parameter's current value, as {@code type}. */
    private static INDArray value(SameDiff sd, String name, DataType type) {
        INDArray a = sd.getArrForVarName(name);
        if (a == null) {
            throw new IllegalArgumentException("parameter '" + name + "' has no value in the graph");
        }
        INDArray copy = Nd4j.createUninitialized(type, a.shape());
        copy.assign(a.castTo(type));
        return copy;
    }
}
