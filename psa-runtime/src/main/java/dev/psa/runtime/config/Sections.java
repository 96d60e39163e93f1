package dev.psa.runtime.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.psa.affinity.AffConfig;
import dev.psa.randomwalk.RwConfig;
import dev.psa.cam.CamConfig;
import dev.psa.cam.ClsConfig;
import dev.psa.cam.SeedConfig;
import dev.psa.crf.CrfConfig;
import dev.psa.data.DataConfig;
import dev.psa.eval.EvalConfig;
import dev.psa.eval.report.ReportConfig;
import dev.psa.eval.store.StoreConfig;
import dev.psa.seg.SegConfig;

/** The stage config sections known to the command line, in the order {@code config show} lists them. */
public final class Sections {
    private Sections() {
    }

    public static List<Section<?>> all() {
        return List.of(
                new Section<>("", PipelineConfig.class, PipelineConfig::from),
                new Section<>(DataConfig.PREFIX, DataConfig.class, DataConfig::from),
                new Section<>(ClsConfig.PREFIX, ClsConfig.class, ClsConfig::from),
                new Section<>(CamConfig.PREFIX, CamConfig.class, CamConfig::from),
                new Section<>(SeedConfig.PREFIX, SeedConfig.class, SeedConfig::from),
                new Section<>(AffConfig.PREFIX, AffConfig.class,
                        AffConfig::from),
                new Section<>(CrfConfig.PREFIX, CrfConfig.class, CrfConfig::from),
                new Section<>(RwConfig.PREFIX, RwConfig.class,
                        RwConfig::from),
                new Section<>(SegConfig.PREFIX, SegConfig.class, SegConfig::from),
                new Section<>(EvalConfig.PREFIX, EvalConfig.class, EvalConfig::from),
                new Section<>(StoreConfig.PREFIX, StoreConfig.class,
                        StoreConfig::from),
                new Section<>(ReportConfig.PREFIX, ReportConfig.class,
                        ReportConfig::from),
                new Section<>(ThreadsConfig.PREFIX, ThreadsConfig.class, ThreadsConfig::from));
    }

    /**
     * Keys that {@link #crossCheck} requires to hold the same value, each with its partner: a sweep
     * over one of them ({@code psa sweep --grid rw.radius=2,3}) sets the partner to the same value
     * unless the grid names the partner too.
     */
    public static Map<String, String> tiedKeys() {
        return Map.of("rw.radius", "aff.radius", "aff.radius", "rw.radius");
    }

    /**
     * Rules across sections, checked once when the config is loaded and reported with every other
     * problem: the walk runs on the affinity graph AffinityNet computes, so {@code rw.radius} must
     * equal {@code aff.radius}.
     *
     * @param records the section records built so far, by type (sections that failed are absent)
     */
    static List<String> crossCheck(Map<Class<?>, Object> records) {
        List<String> problems = new ArrayList<>();
        if (records.get(RwConfig.class) instanceof RwConfig rw && records.get(AffConfig.class) instanceof AffConfig aff
                && rw.radius() != aff.radius()) {
            problems.add("rw.radius: must equal aff.radius (" + aff.radius() + "): the walk runs on the affinities"
                    + " AffinityNet computes with that radius, got " + rw.radius());
        }
        return problems;
    }
}
