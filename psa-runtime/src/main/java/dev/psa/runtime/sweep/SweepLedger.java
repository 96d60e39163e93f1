package dev.psa.runtime.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.psa.api.PsaException;
import dev.psa.api.io.AtomicFiles;

/**
 * {@code <sweep>/sweep.json}: the grid, and per variant its grid values, its status and, per stage, whether
 * the variant computed it ({@code ran}, with the seconds it took), took it from the sweep's stage cache
 * ({@code shared}, with the seconds the copy had cost: time saved) or found it done by an earlier
 * invocation ({@code earlier}). Rewritten atomically after every stage.
 */
public final class SweepLedger {
    /** The file under the sweep folder. */
    public static final String FILE = "sweep.json";
    /** A stage the variant computed. */
    public static final String RAN = "ran";
    /** A stage taken from the stage cache. */
    public static final String SHARED = "shared";
    /** A stage found up to date in the variant's folder. */
    public static final String EARLIER = "earlier";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** How a variant got one stage. */
    public static final class StageRecord {
        public String how;
        public double seconds;

        public StageRecord() {
        }

        StageRecord(String how, double seconds) {
            this.how = how;
            this.seconds = seconds;
        }
    }

    /** One variant. */
    public static final class VariantRecord {
        public String name;
        public Map<String, String> values = new LinkedHashMap<>();
        /** pending, done or failed. */
        public String status = "pending";
        public String error;
        public Map<String, StageRecord> stages = new LinkedHashMap<>();

        /** Seconds of the stages this variant computed. */
        public double secondsRun() {
            return stages.values().stream().filter(s -> RAN.equals(s.how)).mapToDouble(s -> s.seconds).sum();
        }

        /** Seconds the stages taken from the cache had cost where they were computed. */
        public double secondsSaved() {
            return stages.values().stream().filter(s -> SHARED.equals(s.how)).mapToDouble(s -> s.seconds).sum();
        }
    }

    public String name;
    public Map<String, List<String>> grid = new LinkedHashMap<>();
    public String created;
    public String updated;
    /** Wall time of every invocation of the sweep command, summed (a killed one up to its last stage). */
    public double wallSeconds;
    public List<VariantRecord> variants = new ArrayList<>();

    /** The ledger of a sweep folder, if it has one. */
    public static Optional<SweepLedger> read(Path sweepDir) {
        Path f = sweepDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(f), SweepLedger.class));
        } catch (IOException e) {
            throw new PsaException(f + ": unreadable sweep record: " + e.getMessage(), e);
        }
    }

    void write(Path sweepDir) {
        Path f = sweepDir.resolve(FILE);
        try {
            AtomicFiles.write(f, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new PsaException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    /** The record of a variant, if listed. */
    public Optional<VariantRecord> variant(String variantName) {
        return variants.stream().filter(v -> v.name.equals(variantName)).findFirst();
    }
}
