package dev.psa.runtime.pipeline;

import java.util.Arrays;
import java.util.List;
import dev.psa.api.Names;
import dev.psa.api.config.ConfigException;
import dev.psa.api.stage.StageSpec;
import dev.psa.seg.SegConfig;

/**
 * The stages of a run, in order (DESIGN.md §A run). Each owns some folders of the run, depends on
 * upstream stages and on the config keys under its prefixes: a stage is up to date when its
 * fingerprint (those keys' values + the upstream fingerprints) matches the one recorded when it
 * finished.
 */
public enum Stage implements StageSpec {
    TRAIN_CLS("train-cls", List.of("cls"), List.of("data.", "backbone.", "cls.")),
    CAMS("cams", List.of("cam", "cam-pred"), List.of("cam.")),
    SEEDS("seeds", List.of("seeds"), List.of("seeds.", "crf.")),
    TRAIN_AFF("train-aff", List.of("aff"), List.of("aff.")),
    WALK("walk", List.of("rw"), List.of("rw.")),
    TRAIN_SEG("train-seg", List.of("seg"), SegConfig.TRAIN_KEYS),
    SEG("seg", List.of("seg/pred"), SegConfig.INFER_KEYS),
    EVAL("eval", List.of("eval"), List.of("eval.")),
    REPORT("report", List.of("report"), List.of("report."));

    private final String id;
    private final List<String> folders;
    private final List<String> prefixes;

    Stage(String id, List<String> folders, List<String> prefixes) {
        this.id = id;
        this.folders = folders;
        this.prefixes = prefixes;
    }

    /** The name used on the command line ({@code --from seeds}). */
    @Override
    public String id() {
        return id;
    }

    /** Folders of the run this stage writes (cleared when its inputs or config changed). */
    @Override
    public List<String> folders() {
        return folders;
    }

    /** Config prefixes whose keys this stage depends on directly. */
    @Override
    public List<String> configPrefixes() {
        return prefixes;
    }

    @Override
    public List<String> upstream() {
        return upstreamStages().stream().map(Stage::id).toList();
    }

    /** The stages whose outputs this stage reads. */
    public List<Stage> upstreamStages() {
        return switch (this) {
            case TRAIN_CLS -> List.of();
            case CAMS -> List.of(TRAIN_CLS);
            case SEEDS -> List.of(CAMS);
            case TRAIN_AFF -> List.of(SEEDS);
            case WALK -> List.of(TRAIN_AFF, CAMS);
            case TRAIN_SEG -> List.of(TRAIN_CLS, SEEDS, WALK);
            case SEG -> List.of(TRAIN_SEG);
            case EVAL -> List.of(CAMS, SEEDS, WALK, SEG);
            case REPORT -> List.of(EVAL);
        };
    }

    /** @throws ConfigException naming the allowed stage names */
    public static Stage of(String id) {
        for (Stage s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        List<String> ids = Arrays.stream(values()).map(Stage::id).toList();
        throw new ConfigException("unknown stage '" + id + "'. Stages: " + ids + "." + Names.didYouMean(id, ids));
    }
}
