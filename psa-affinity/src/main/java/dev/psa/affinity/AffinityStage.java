package dev.psa.affinity;

import dev.psa.train.Initializer;
import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.Dataset;
import dev.psa.api.spi.PairSampler;
import dev.psa.api.spi.ParamRole;
import dev.psa.data.io.LabelPng;
import dev.psa.train.TrainConfig;
import dev.psa.train.TrainListener;
import dev.psa.train.TrainResult;
import dev.psa.train.Trainer;
import java.util.LinkedHashMap;

/**
 * Stage 3, {@code psa train-aff}: trains AffinityNet on a dataset split with labels from the run
 * folder's {@code seeds/<id>.png} ({@code aff.labels = seeds}) or from the true masks
 * ({@code aff.labels = gt}), writing {@code aff/model.npz}, {@code aff/metrics.json} and
 * checkpoints under {@code aff/checkpoint/} (psa-train's {@link Trainer}).
 */
public final class AffinityStage {
    private static final Logger LOG = LoggerFactory.getLogger(AffinityStage.class);

    /**
     * What a training run did.
     *
     * @param train   the trainer's result (losses, steps, parameters)
     * @param samples samples trained on
     * @param skipped ids skipped because their seed file is missing
     * @param model   the written {@code aff/model.npz}
     */
    public record Result(TrainResult train, int samples, List<String> skipped, Path model) {
        public Result {
            skipped = List.copyOf(skipped);
        }

        /**
         * The line {@code psa train-aff} prints:
         * {@code train-aff: N samples (S skipped without seeds), T steps, final loss L, model PATH}.
         */
        public String line() {
            List<Double> losses = train.stepLosses();
            double last = losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
            return String.format(Locale.ROOT, "train-aff: %d samples (%d skipped without seeds), %d steps, "
                    + "final loss %.4f, model %s", samples, skipped.size(), train.steps(), last, model);
        }
    }

    private AffinityStage() {
    }

    /** The trainer settings of an {@link AffConfig}. */
    public static TrainConfig trainConfig(AffConfig c) {
        return new TrainConfig(c.epochs(), c.batchSize(), c.lr(), c.weightDecay(), c.momentum(), c.polyPower(),
                c.checkpointEvery(), c.seed());
    }

    /**
     * Trains AffinityNet.
     *
     * @param dataset  the images (and masks, for {@code aff.labels = gt})
     * @param split    the split to train on (e.g. {@code train_aug}, {@code train})
     * @param backbone the feature extractor, built with purpose AFFINITY
     * @param config   stage settings
     * @param sampler  the pair weighting (the one named by {@code aff.sampler})
     * @param runDir   the run folder: reads {@code seeds/<id>.png}, writes {@code aff/}
     * @param resume   continue from {@code aff/checkpoint} when present
     * @param init     pretrained backbone weights
     * @param listener progress
     * @throws PsaException when no sample has labels, or a label file is unreadable / of another size
     */
    public static Result train(Dataset dataset, String split, Backbone backbone, AffConfig config, PairSampler sampler,
                               Path runDir, boolean resume, Initializer init, TrainListener listener) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(split, "split is null");
        requireNonNull(backbone, "backbone is null");
        requireNonNull(config, "config is null");
        requireNonNull(sampler, "sampler is null");
        requireNonNull(runDir, "runDir is null");
        requireNonNull(init, "init is null");
        requireNonNull(listener, "listener is null");
        int numClasses = dataset.classes().size();
        List<Sample> all = dataset.samples(split);
        List<Sample> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Function<ImageSample, LabelMap> labels;
        if (config.labels().equals("seeds")) {
            Path seeds = runDir.resolve("seeds");
            for (Sample s : all) {
                if (Files.isRegularFile(seeds.resolve(s.id() + ".png"))) {
                    usable.add(s);
                } else {
                    skipped.add(s.id());
                }
            }
            if (usable.isEmpty()) {
                throw new PsaException("no seed labels for split '" + split + "' in " + seeds + " (" + all.size()
                        + " samples, none has seeds/<id>.png): run the seeds stage first, or train on the true masks"
                        + " with aff.labels=gt");
            }
            if (!skipped.isEmpty()) {
                LOG.warn("{} of {} samples have no seeds/<id>.png in {} and are skipped (first: {})", skipped.size(),
                        all.size(), seeds, skipped.get(0));
            }
            labels = s -> LabelPng.read(seeds.resolve(s.sample().id() + ".png"))
                    .validate(numClasses, seeds.resolve(s.sample().id() + ".png").toString());
        } else {
            for (Sample s : all) {
                if (s.mask().isEmpty()) {
                    throw new PsaException("aff.labels = gt but sample " + s.id() + " of split '" + split
                            + "' has no ground-truth mask; use aff.labels=seeds or a split with masks");
                }
            }
            usable.addAll(all);
            labels = s -> s.mask().orElseThrow().validate(numClasses, "mask of " + s.sample().id());
        }
        if (usable.isEmpty()) {
            throw new PsaException("split '" + split + "' has no samples");
        }
        AffinityNet.Built net = AffinityNet.build(backbone, config.stencil(), config.headChannels(), config.eps(),
                true, config.seed());
        Map<String, ParamRole> backboneParams = new LinkedHashMap<>(net.roles());
        AffinityNet.HEAD_CONVS.forEach(h -> backboneParams.remove(h + ".weight"));
        backboneParams.keySet().removeIf(k -> k.startsWith("gn8_"));
        init.initialize(net.sd(), Map.copyOf(backboneParams));
        AffinityTrainTask task = new AffinityTrainTask(net, dataset, usable, labels, sampler, config,
                backbone.normalization());
        Path affDir = runDir.resolve("aff");
        LOG.info("train-aff: {} samples of split '{}' ({} labels), backbone {}, sampler {}, radius {}, crop {}",
                usable.size(), split, config.labels(), backbone.name(), sampler.getClass().getSimpleName(), config.radius(),
                config.crop());
        TrainResult r = new Trainer(trainConfig(config), affDir, listener).train(task, resume);
        return new Result(r, usable.size(), skipped, affDir.resolve("model.npz"));
    }
}
