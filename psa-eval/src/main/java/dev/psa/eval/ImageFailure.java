package dev.psa.eval;

import static java.util.Objects.requireNonNull;

/**
 * An image that could not be evaluated (missing or unreadable prediction / mask, size mismatch).
 *
 * @param id     image id
 * @param stage  the stage evaluated (e.g. {@code rw})
 * @param reason what went wrong, naming the file
 */
public record ImageFailure(String id, String stage, String reason) {
    public ImageFailure {
        requireNonNull(id, "id is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(reason, "reason is null");
    }
}
