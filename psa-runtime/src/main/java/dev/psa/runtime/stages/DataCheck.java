package dev.psa.runtime.stages;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;
import java.util.LinkedHashMap;

/**
 * The bad items of a run's dataset, found once before the classifier trains ({@code cls/data-check.json}):
 * an image (or mask) that cannot be read, or an image without image-level labels, is left out of
 * every stage ({@link #excluded()}); an image without a ground-truth mask, in a split where others
 * have one, is used by every stage but not evaluated ({@link #unevaluated()}). The pipeline lists
 * both in {@code failures.json} (stage {@code data}) and so in the report.
 *
 * @param images      the items checked
 * @param excluded    items left out of the run, with the reason
 * @param unevaluated items without a ground-truth mask, with the reason
 */
public record DataCheck(int images, List<Item> excluded, List<Item> unevaluated) {
    /** Where the result is kept in a run folder (cleared with the classifier when the data changes). */
    public static final String FILE = "cls/data-check.json";
    /** The stage name of its entries in {@code failures.json}. */
    public static final String STAGE = "data";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One bad item. */
    public record Item(String id, String reason) {
    }

    public DataCheck {
        excluded = List.copyOf(excluded);
        unevaluated = List.copyOf(unevaluated);
    }

    /**
     * Reads every sample once (on up to 4 threads).
     *
     * @param samples     the run's split
     * @param otherSplits further samples the run reads (the classifier's validation split); their
     *                    missing masks are not reported
     */
    public static DataCheck run(Dataset dataset, List<Sample> samples, List<Sample> otherSplits) {
        requireNonNull(dataset, "dataset is null");
        Map<String, Sample> all = new LinkedHashMap<>();
        samples.forEach(s -> all.put(s.id(), s));
        otherSplits.forEach(s -> all.putIfAbsent(s.id(), s));
        List<Sample> list = List.copyOf(all.values());
        String[] problem = new String[list.size()];
        boolean[] hasMask = new boolean[list.size()];
        int threads = Math.max(1, Math.min(4, Math.min(Runtime.getRuntime().availableProcessors(), list.size())));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "psa-data-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                jobs.add(pool.submit(() -> {
                    for (int i = first; i < list.size(); i += threads) {
                        Sample s = list.get(i);
                        if (s.classes().length == 0) {
                            problem[i] = "no image-level labels: the dataset gives no class for this image, so it"
                                    + " cannot train the classifier nor get CAMs (add its classes to the label list)";
                            continue;
                        }
                        try {
                            ImageSample img = dataset.load(s);
                            hasMask[i] = img.mask().isPresent();
                        } catch (RuntimeException e) {
                            problem[i] = e.getMessage() == null ? e.toString() : e.getMessage();
                        }
                    }
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PsaException("data check interrupted", e);
        } catch (ExecutionException e) {
            throw new PsaException("data check failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Set<String> inSplit = new LinkedHashSet<>();
        samples.forEach(s -> inSplit.add(s.id()));
        boolean anyMask = false;
        for (int i = 0; i < list.size(); i++) {
            anyMask |= hasMask[i] && inSplit.contains(list.get(i).id());
        }
        List<Item> excluded = new ArrayList<>();
        List<Item> unevaluated = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Sample s = list.get(i);
            if (problem[i] != null) {
                excluded.add(new Item(s.id(), problem[i]));
            } else if (anyMask && !hasMask[i] && inSplit.contains(s.id())) {
                unevaluated.add(new Item(s.id(), "no ground-truth mask"
                        + (s.mask().map(m -> " (" + m + " not found)").orElse("")) + ": used by every stage but"
                        + " not evaluated"));
            }
        }
        return new DataCheck(list.size(), excluded, unevaluated);
    }

    /** The check recorded in a run folder, if any. */
    public static Optional<DataCheck> read(Path runRoot) {
        Path f = runRoot.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(f), DataCheck.class));
        } catch (IOException e) {
            throw new PsaException(f + ": unreadable data check (" + e.getMessage() + "); run psa run --from"
                    + " train-cls to check the data again", e);
        }
    }

    /** The dataset without the excluded items (every split). */
    public Dataset apply(Dataset dataset) {
        return without(dataset, ids(excluded));
    }

    /** The dataset without the excluded items and those without a mask: what the evaluation reads. */
    public Dataset forEvaluation(Dataset dataset) {
        Set<String> ids = ids(excluded);
        ids.addAll(ids(unevaluated));
        return without(dataset, ids);
    }

    private static Set<String> ids(List<Item> items) {
        Set<String> out = new LinkedHashSet<>();
        items.forEach(i -> out.add(i.id()));
        return out;
    }

    private static Dataset without(Dataset dataset, Set<String> ids) {
        if (ids.isEmpty()) {
            return dataset;
        }
        Map<String, List<Sample>> cache = new ConcurrentHashMap<>();
        return new Dataset() {
            @Override
            public ClassList classes() {
                return dataset.classes();
            }

            @Override
            public List<String> splits() {
                return dataset.splits();
            }

            @Override
            public List<Sample> samples(String split) {
                return cache.computeIfAbsent(split, sp -> dataset.samples(sp).stream()
                        .filter(s -> !ids.contains(s.id())).toList());
            }

            @Override
            public ImageSample load(Sample sample) {
                return dataset.load(sample);
            }
        };
    }
}
