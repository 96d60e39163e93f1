package dev.psa.eval.store;

import java.time.OffsetDateTime;

/**
 * A run as the store knows it.
 *
 * @param id      the store's run id (never reused)
 * @param key     the run's unique key (see {@link RunInfo#key()})
 * @param name    display name
 * @param path    run folder
 * @param created when the run started
 */
public record StoredRun(long id, String key, String name, String path, OffsetDateTime created) {
}
