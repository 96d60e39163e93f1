package dev.psa.api.stage;

import static java.util.Objects.requireNonNull;

import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a per-image stage does when one image fails, in one place: a failed write (a full disk) stops the stage,
 * with {@code failFast} the first failure stops it naming the image, otherwise the image becomes an
 * {@link ImageFailure} and the stage goes on.
 */
public final class ImageFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFailures.class);

    private final String stage;
    private final boolean failFast;
    private final List<ImageFailure> failures = new ArrayList<>();

    /**
     * @param stage    the stage name recorded with each failure ({@code cams}, {@code walk}, …)
     * @param failFast whether the first failure stops the stage
     */
    public ImageFailures(String stage, boolean failFast) {
        this.stage = requireNonNull(stage, "stage is null");
        this.failFast = failFast;
    }

    /** Records image {@code id} as failed with the exception's own message as the reason. */
    public void add(String id, RuntimeException e) {
        add(id, reason(e), e);
    }

    /**
     * Records image {@code id} as failed.
     *
     * @throws PsaException "cannot write FILE: …" when {@code e} is a failed write
     *                      ({@link AtomicFiles#rethrowWriteFailure}), "image ID: REASON" when the stage fails fast
     */
    public void add(String id, String reason, RuntimeException e) {
        AtomicFiles.rethrowWriteFailure(e); // a full disk is not a bad image: it stops the stage
        if (failFast) {
            throw new PsaException("image " + id + ": " + reason, e);
        }
        LOG.warn("{} failed for image {}: {}", stage, id, reason);
        LOG.debug("{} failed for image {}", stage, id, e);
        failures.add(new ImageFailure(id, stage, reason));
    }

    /** Adds a failure already recorded elsewhere (e.g. by a batch that ran without this collector). */
    public void add(ImageFailure failure) {
        failures.add(requireNonNull(failure, "failure is null"));
    }

    /** The failures so far, in the order they were added. */
    public List<ImageFailure> list() {
        return List.copyOf(failures);
    }

    /** An exception's message, or its class name when it has none. */
    public static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
