package dev.psa.api.stage;

import java.util.List;

/**
 * What the runner needs to know about a stage to order it, fingerprint it and clear its outputs:
 * the stage contract's static half (the other half is the work, run with a {@link StageContext}).
 * A stage is up to date when its fingerprint — the values of the config keys under
 * {@link #configPrefixes()}, the fingerprints of its {@link #upstream()} stages and the digests of
 * the model files it reads — equals the one recorded when it last finished.
 */
public interface StageSpec {
    /** The name used on the command line and in the run folder's state ({@code cams}, {@code walk}). */
    String id();

    /** Folders of the run folder this stage writes (cleared when its fingerprint changes). */
    List<String> folders();

    /** Config prefixes whose keys this stage depends on directly ({@code cam.}, {@code rw.}). */
    List<String> configPrefixes();

    /** Ids of the stages whose outputs this stage reads. */
    List<String> upstream();
}
