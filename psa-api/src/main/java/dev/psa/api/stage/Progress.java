package dev.psa.api.stage;

/** Per-image progress of a stage (for a progress bar or a log). */
@FunctionalInterface
public interface Progress {
    /** Reports nothing. */
    Progress NONE = (done, total, id) -> { };

    /**
     * @param done  images finished (written, skipped or failed) so far
     * @param total images in the split
     * @param id    the image just finished
     */
    void onImage(int done, int total, String id);
}
