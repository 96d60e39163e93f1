package dev.psa.train;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.PsaException;
import dev.psa.api.io.Npy;
import dev.psa.api.spi.ParamRole;
import dev.psa.train.internal.CheckpointStore;
import dev.psa.train.internal.Optimizer;
import dev.psa.train.internal.Sgd;
import java.util.Locale;

/**
 * The shared training loop of the classifier (stage 1), AffinityNet (stage 3) and the segmentation
 * network (stage 5): SGD with momentum or Adam ({@link TrainConfig#optimizer()}), poly learning-rate
 * decay, per-role multipliers, weight decay on weights; atomic checkpoints that hold the optimizer's
 * state (momentum; Adam's moments and update counts); resume that reproduces an uninterrupted run.
 * <p>
 * Step {@code s} (0-based, epoch {@code e = s / ceil(n/batch)}) takes the samples
 * {@code order_e[(s mod spe)·batch ...]} where {@code order_e} is a shuffle of 0..n-1 by
 * {@code Random(seed + e)}; it calls {@code task.batch(indices, new Random(seed·1_000_003 + s))},
 * sets {@code Nd4j.getRandom().setSeed(seed + s)} (the dropout masks of {@link Layers#dropout}),
 * computes the loss and the gradients of every non-FROZEN parameter with
 * {@code SameDiff.calculateGradientsAndOutputs}, and updates the graph's parameter arrays in place
 * with
 * {@code lr_s = lr·(1 − s/maxStep)^polyPower}, {@code maxStep = epochs·ceil(n/batch)}.
 * <p>
 * Files under {@code dir}: {@code checkpoint/} (every checkpointEvery steps and at each epoch
 * end), {@code metrics.json} (per-epoch mean loss and validation metrics, rewritten each epoch)
 * and {@code model.npz} (all parameters by variable name, at the end).
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainConfig config;
    private final Path dir;
    private final TrainListener listener;

    /**
     * @param config   hyperparameters
     * @param dir      the stage folder, e.g. {@code run/cls} or {@code run/aff}
     * @param listener progress observer ({@link TrainListener#none()} for none)
     */
    public Trainer(TrainConfig config, Path dir, TrainListener listener) {
        this.config = requireNonNull(config, "config is null");
        this.dir = requireNonNull(dir, "dir is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /** {@code dir/checkpoint}. */
    public Path checkpointDir() {
        return dir.resolve("checkpoint");
    }

    /**
     * Trains the task to the end.
     *
     * @param resume continue from {@code dir/checkpoint} when it exists (it must have been written
     *               with the same settings, except checkpointEvery); otherwise start at step 0
     * @return losses of all steps, the step count and the trained parameters
     * @throws PsaException on an inconsistent task, an incompatible checkpoint or a non-finite loss
     */
    public TrainResult train(TrainTask task, boolean resume) {
        requireNonNull(task, "task is null");
        SameDiff sd = requireNonNull(task.graph(), "task.graph() is null");
        String lossName = requireNonNull(task.lossVariable(), "task.lossVariable() is null");
        Map<String, ParamRole> roles = new TreeMap<>(requireNonNull(task.roles(), "task.roles() is null"));
        int n = task.numSamples();
        if (n < 1) {
            throw new PsaException("training task has no samples (numSamples = " + n + ")");
        }
        List<String> trainable = checkGraph(sd, lossName, roles);
        if (!sd.getLossVariables().equals(List.of(lossName))) {
            sd.setLossVariables(lossName);
        }
        long spe = config.stepsPerEpoch(n);
        long maxSteps = config.maxSteps(n);

        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (String name : trainable) {
            weights.put(name, sd.getVariable(name).getArr());
        }
        Optimizer optimizer = Optimizer.create(config, weights);
        List<Double> losses = new ArrayList<>();
        List<Map<String, Double>> epochs = new ArrayList<>();
        long start = 0;
        CheckpointStore store = new CheckpointStore(checkpointDir());
        if (resume && store.exists()) {
            CheckpointStore.State s = store.read();
            checkCompatible(s, n, roles.keySet(), maxSteps, optimizer);
            Params.load(sd, s.params());
            losses.addAll(s.losses());
            epochs.addAll(s.epochs());
            start = s.step();
            LOG.info("resuming from {} at step {}/{} (epoch {})", store.dir(), start, maxSteps, start / spe + 1);
        } else if (resume) {
            LOG.info("no checkpoint in {}; starting at step 0", store.dir());
        } else if (store.exists()) {
            LOG.info("starting over; the checkpoint in {} will be replaced", store.dir());
        }
        LOG.info("training {} samples, {} epochs × {} steps (batch {}), {}, lr {} poly {}, wd {}, "
                        + "{} trainable / {} frozen parameters",
                n, config.epochs(), spe, config.batchSize(), config.adam()
                        ? "Adam (beta1 " + config.beta1() + ", beta2 " + config.beta2() + ", eps " + config.eps() + ")"
                        : "SGD (momentum " + config.momentum() + ")", config.lr(), config.polyPower(),
                config.weightDecay(), trainable.size(), roles.size() - trainable.size());

        int[] order = null;
        long orderEpoch = -1;
        Set<String> warnedNoGrad = new TreeSet<>();
        for (long step = start; step < maxSteps; step++) {
            long t0 = System.nanoTime();
            int epoch = (int) (step / spe);
            if (orderEpoch != epoch) {
                order = permutation(n, new Random(config.seed() + epoch));
                orderEpoch = epoch;
            }
            int from = (int) ((step % spe) * config.batchSize());
            int[] indices = Arrays.copyOfRange(order, from, Math.min(n, from + config.batchSize()));
            Random rng = new Random(config.seed() * 1_000_003L + step);
            Map<String, INDArray> placeholders = requireNonNull(task.batch(indices, rng), "task.batch() returned null");
            Nd4j.getRandom().setSeed(config.seed() + step);

            OutAndGrad og = sd.calculateGradientsAndOutputs(placeholders, List.of(lossName), trainable);
            INDArray lossArr = og.getOutputs().get(lossName);
            if (lossArr == null || lossArr.length() != 1) {
                throw new PsaException("loss variable '" + lossName + "' must be a scalar, got "
                        + (lossArr == null ? "no value" : Arrays.toString(lossArr.shape())));
            }
            double loss = lossArr.getDouble(0);
            if (!Double.isFinite(loss)) {
                throw new PsaException("training diverged: loss is " + loss + " at step " + step + " (epoch "
                        + (epoch + 1) + "); lower the learning rate (lr = " + config.lr()
                        + "); resume from the last checkpoint in " + store.dir());
            }
            double lr = Sgd.polyLr(config.lr(), step, maxSteps, config.polyPower());
            Map<String, INDArray> grads = og.getGradients();
            for (String name : trainable) {
                INDArray g = grads.get(name);
                if (g == null) {
                    // Like PyTorch, a parameter without a gradient is skipped (no decay, no momentum).
                    if (warnedNoGrad.add(name)) {
                        LOG.warn("parameter '{}' gets no gradient from loss '{}'; it is not updated", name, lossName);
                    }
                    continue;
                }
                optimizer.update(name, weights.get(name), g, roles.get(name), lr);
            }
            losses.add(loss);
            double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            listener.onStep(step + 1, maxSteps, loss, indices.length / seconds);

            boolean epochEnd = (step + 1) % spe == 0;
            if (epochEnd) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("loss", losses.subList((int) (epoch * spe), (int) (step + 1)).stream()
                        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
                Map<String, Double> val = task.validate(sd, epoch);
                if (val != null) {
                    new TreeMap<>(val).forEach(metrics::put);
                }
                epochs.add(metrics);
                checkpoint(store, step + 1, spe, roles.keySet(), sd, optimizer, losses, epochs, n);
                writeMetrics(epochs, step + 1, maxSteps, n);
                LOG.info("epoch {}/{}: {}", epoch + 1, config.epochs(), format(metrics));
                listener.onEpoch(epoch, Map.copyOf(metrics));
            } else if ((step + 1) % config.checkpointEvery() == 0) {
                checkpoint(store, step + 1, spe, roles.keySet(), sd, optimizer, losses, epochs, n);
            }
        }
        Map<String, INDArray> params = Params.snapshot(sd, roles.keySet());
        Npy.writeNpz(dir.resolve("model.npz"), params, false);
        writeMetrics(epochs, maxSteps, maxSteps, n);
        LOG.info("training done: {} steps, model written to {}", maxSteps, dir.resolve("model.npz"));
        return new TrainResult(losses, maxSteps, params);
    }

    /** Checks names and variable types; returns the sorted names of the non-FROZEN parameters. */
    private static List<String> checkGraph(SameDiff sd, String lossName, Map<String, ParamRole> roles) {
        List<String> problems = new ArrayList<>();
        if (!sd.hasVariable(lossName)) {
            problems.add("loss variable '" + lossName + "' is not in the graph");
        }
        List<String> trainable = new ArrayList<>();
        for (Map.Entry<String, ParamRole> e : roles.entrySet()) {
            String name = e.getKey();
            if (e.getValue() == null) {
                problems.add("parameter '" + name + "' has no role");
                continue;
            }
            if (!sd.hasVariable(name)) {
                problems.add("parameter '" + name + "' (" + e.getValue() + ") is not in the graph");
                continue;
            }
            SDVariable v = sd.getVariable(name);
            if (e.getValue() == ParamRole.FROZEN) {
                if (v.getVariableType() != VariableType.VARIABLE && v.getVariableType() != VariableType.CONSTANT) {
                    problems.add("frozen parameter '" + name + "' is a " + v.getVariableType()
                            + "; parameters are VARIABLE or CONSTANT");
                }
                continue;
            }
            if (v.getVariableType() != VariableType.VARIABLE) {
                problems.add("parameter '" + name + "' has role " + e.getValue() + " but is a "
                        + v.getVariableType() + " in the graph; create it with sd.var(...) or give it role FROZEN");
            } else if (!v.dataType().isFPType()) {
                problems.add("parameter '" + name + "' has role " + e.getValue() + " but dtype " + v.dataType());
            } else {
                trainable.add(name);
            }
        }
        Set<String> unlisted = new TreeSet<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !roles.containsKey(v.name())) {
                unlisted.add(v.name());
            }
        }
        if (!unlisted.isEmpty()) {
            problems.add("graph variables without a role (list them in roles(), FROZEN if they must not change): "
                    + unlisted);
        }
        if (!problems.isEmpty()) {
            throw new PsaException("training task is inconsistent: " + String.join("; ", problems));
        }
        return trainable;
    }

    private void checkCompatible(CheckpointStore.State s, int n, Set<String> names, long maxSteps,
                                 Optimizer optimizer) {
        Path state = checkpointDir().resolve(CheckpointStore.STATE);
        List<String> diffs = new ArrayList<>();
        Map<String, Object> now = config.toMap();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            if (e.getKey().equals("checkpointEvery")) {
                continue;
            }
            Object was = s.config().get(e.getKey());
            if (was == null && e.getKey().equals("optimizer")) {
                was = "sgd"; // a checkpoint written before Adam existed
            }
            boolean same = e.getValue() instanceof Number now1
                    ? was instanceof Number w && now1.doubleValue() == w.doubleValue()
                    : e.getValue().equals(was);
            if (!same) {
                diffs.add(e.getKey() + " was " + was + ", now " + e.getValue());
            }
        }
        if (s.numSamples() != n) {
            diffs.add("numSamples was " + s.numSamples() + ", now " + n);
        }
        if (!s.params().keySet().equals(names)) {
            Set<String> missing = new TreeSet<>(names);
            missing.removeAll(s.params().keySet());
            Set<String> extra = new TreeSet<>(s.params().keySet());
            extra.removeAll(names);
            diffs.add("parameters differ (missing in checkpoint: " + missing + ", not in the task: " + extra + ")");
        }
        if (diffs.isEmpty()) {
            diffs.addAll(optimizer.load(s.buffers(), s.updates()));
        }
        if (s.step() < 0 || s.step() > maxSteps || s.losses().size() != s.step()) {
            diffs.add("step " + s.step() + " with " + s.losses().size() + " losses does not fit " + maxSteps
                    + " steps");
        }
        if (!diffs.isEmpty()) {
            throw new PsaException(state + ": cannot resume: " + String.join("; ", diffs)
                    + ". Resume with the settings the checkpoint was written with, or start over without resume.");
        }
    }

    private void checkpoint(CheckpointStore store, long stepsDone, long spe, Set<String> names, SameDiff sd,
                            Optimizer optimizer, List<Double> losses, List<Map<String, Double>> epochs,
                            int n) {
        store.write(new CheckpointStore.State(stepsDone, stepsDone / spe, config.seed(), config.toMap(), n,
                List.copyOf(losses), List.copyOf(epochs), Params.snapshot(sd, names), optimizer.buffers(),
                optimizer.updates()));
        LOG.debug("checkpoint at step {} written to {}", stepsDone, store.dir());
    }

    private void writeMetrics(List<Map<String, Double>> epochs, long steps, long maxSteps, int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config.toMap());
        m.put("numSamples", n);
        m.put("steps", steps);
        m.put("maxSteps", maxSteps);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", i);
            e.putAll(epochs.get(i));
            list.add(e);
        }
        m.put("epochs", list);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new PsaException(dir + ": cannot create folder: " + e.getMessage(), e);
        }
        CheckpointStore.writeJson(dir.resolve("metrics.json"), m);
    }

    private static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static String format(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }
}
