package dev.psa.api.stage;

import java.util.Map;

/**
 * Events of a run, stage by stage, for whoever shows them (the command line prints lines and
 * progress bars; an embedding application may log them or drive a UI). Libraries emit events and
 * return results; they never print. All methods default to doing nothing.
 */
public interface StageListener {
    /** Ignores every event. */
    StageListener NONE = new StageListener() {
    };

    /** A stage starts running; {@code resumed} when outputs of an interrupted attempt are kept. */
    default void started(String stage, boolean resumed) {
    }

    /** Per-image (or per-step) progress of a running stage. */
    default void progress(String stage, int done, int total, String item) {
    }

    /** One image a stage could not process (recorded in {@code failures.json}, then skipped). */
    default void failed(ImageFailure failure) {
    }

    /** A stage finished: its wall time and summary (also recorded in its state and {@code run.json}). */
    default void finished(String stage, double seconds, Map<String, Object> summary) {
    }

    /**
     * A stage did not run: {@code reason} says why ({@code up to date}, or the trained file that
     * replaces a training stage).
     */
    default void notRun(String stage, String reason) {
    }
}
