package dev.psa.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import dev.psa.api.stage.ImageFailure;
import dev.psa.api.stage.StageContext;
import dev.psa.api.stage.StageListener;
import dev.psa.runtime.config.Settings;

/**
 * The {@link StageContext} of the local pipeline runner, with what psa's own stages also need: the
 * validated settings (config records and components) and the run folder.
 *
 * @param spec      the running stage
 * @param settings  the validated configuration and components
 * @param run       the run folder
 * @param resumed   whether outputs of an interrupted attempt with the same fingerprint were kept
 * @param failures  the run's {@code failures.json}
 * @param listener  where events go
 */
public record RunContext(Stage spec, Settings settings, RunFolder run, boolean resumed, Failures failures,
                         StageListener listener) implements StageContext {
    public RunContext {
        requireNonNull(spec, "spec is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(run, "run is null");
        requireNonNull(failures, "failures is null");
        requireNonNull(listener, "listener is null");
    }

    @Override
    public String stage() {
        return spec.id();
    }

    @Override
    public Path runDir() {
        return run.root();
    }

    @Override
    public boolean failFast() {
        return failures.failFast();
    }

    @Override
    public void fail(String imageId, String reason) {
        fail(stage(), imageId, reason);
    }

    /** A failure recorded under another name than the stage's ({@code data}, {@code eval-rw}). */
    public void fail(String recordedStage, String imageId, String reason) {
        failures.record(recordedStage, imageId, reason);
        listener.failed(new ImageFailure(imageId, recordedStage, reason));
    }
}
