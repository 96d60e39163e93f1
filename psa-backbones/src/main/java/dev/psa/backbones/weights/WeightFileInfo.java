package dev.psa.backbones.weights;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a weight file holds, read from its header alone ({@link WeightFiles#describe}).
 *
 * @param file         the file
 * @param format       its format, recognised from the content
 * @param wrapped      the state_dict was saved inside a dict, under {@code "state_dict"}
 * @param otherEntries the wrapping dict's other entries (e.g. {@code epoch → 3}); empty when not wrapped
 * @param tensors      every tensor by key, in file order
 */
public record WeightFileInfo(Path file, WeightFiles.Format format, boolean wrapped, Map<String, Object> otherEntries,
                             Map<String, TensorInfo> tensors) {
    public WeightFileInfo {
        requireNonNull(file, "file is null");
        requireNonNull(format, "format is null");
        otherEntries = Collections.unmodifiableMap(new LinkedHashMap<>(otherEntries));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** Key → stored shape, in file order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }
}
