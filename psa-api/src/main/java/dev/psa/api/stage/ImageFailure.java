package dev.psa.api.stage;

import static java.util.Objects.requireNonNull;

/**
 * One image a stage could not process (recorded, reported, and skipped; CONTRACTS.md
 * {@code failures.json}).
 *
 * @param id     the image id
 * @param stage  {@code cams}, {@code seeds}, …
 * @param reason what went wrong, naming the file
 */
public record ImageFailure(String id, String stage, String reason) {
    public ImageFailure {
        requireNonNull(id, "id is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(reason, "reason is null");
    }
}
