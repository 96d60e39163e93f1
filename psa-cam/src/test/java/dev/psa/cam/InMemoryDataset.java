package dev.psa.cam;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.spi.Dataset;

/** A dataset held in memory (one split, "train"); images whose id starts with "bad" fail to load. */
final class InMemoryDataset implements Dataset {
    private final ClassList classes;
    private final Map<String, ImageSample> images = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    int loads;

    InMemoryDataset(ClassList classes) {
        this.classes = classes;
    }

    InMemoryDataset add(String id, INDArray image, LabelMap mask, int... cls) {
        Sample s = new Sample(id, Path.of("/mem/" + id + ".png"), Optional.of(Path.of("/mem/" + id + "_mask.png")), cls);
        samples.add(s);
        images.put(id, new ImageSample(s, image, Optional.ofNullable(mask)));
        return this;
    }

    @Override
    public ClassList classes() {
        return classes;
    }

    @Override
    public List<String> splits() {
        return List.of("train");
    }

    @Override
    public List<Sample> samples(String split) {
        if (!split.equals("train")) {
            throw new PsaException("unknown split '" + split + "'; available: [train]");
        }
        return List.copyOf(samples);
    }

    @Override
    public ImageSample load(Sample sample) {
        loads++;
        if (sample.id().startsWith("bad")) {
            throw new PsaException(sample.image() + ": corrupt PNG (truncated IDAT)");
        }
        return images.get(sample.id());
    }
}
