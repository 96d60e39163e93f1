package dev.psa.eval.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A variant of a sweep as the store knows it.
 *
 * @param sweep   the sweep's name
 * @param path    the sweep folder
 * @param variant the variant's name (its run folder's name)
 * @param runId   the variant's run in the store
 * @param grid    its grid values, key → value, in the sweep's key order
 */
public record StoredSweepVariant(String sweep, String path, String variant, long runId, Map<String, String> grid) {
    public StoredSweepVariant {
        grid = Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    }
}
