package dev.psa.runtime.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * Finished stages shared between run folders (psa sweep): the {@link Pipeline} asks it before running
 * a stage that is not up to date in the run folder, and hands it every stage it finished. Generic over
 * {@link Stage}: a stage's outputs are its {@link Stage#folders()}, its record {@code state/<stage>.json}
 * and its entries in {@code failures.json}.
 */
public interface StageCache {
    /** Shares nothing (a plain {@code psa run}). */
    StageCache NONE = new StageCache() {
        @Override
        public Optional<RunFolder.StageState> restore(Stage stage, String fingerprint, RunFolder run,
                Failures failures) {
            return Optional.empty();
        }

        @Override
        public void store(Stage stage, String fingerprint, RunFolder run, List<Failures.Failure> failures) {
        }
    };

    /**
     * Fills {@code run} with the outputs of a finished copy of {@code stage} with this fingerprint
     * (its folders, failures and state, recorded as finished), if there is one.
     *
     * @return the record of the copy (its compute time and summary), empty when none
     */
    Optional<RunFolder.StageState> restore(Stage stage, String fingerprint, RunFolder run, Failures failures);

    /**
     * Keeps the outputs of a stage that just finished in {@code run}.
     *
     * @param failures the failures the stage recorded
     */
    void store(Stage stage, String fingerprint, RunFolder run, List<Failures.Failure> failures);
}
