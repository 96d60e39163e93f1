package dev.psa.cli.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.psa.affinity.AffConfig;
import dev.psa.randomwalk.RwConfig;

/** The stage config sections known to the command line, in the order {@code config show} lists them. */
public final class Sections {
    private Sections() {
    }

    public static List<Section<?>> all() {
        return List.of(
                new Section<>("", PipelineConfig.class, PipelineConfig::from),
                new Section<>(dev.psa.data.DataConfig.PREFIX, dev.psa.data.DataConfig.class, dev.psa.data.DataConfig::from),
                new Section<>(dev.psa.cam.ClsConfig.PREFIX, dev.psa.cam.ClsConfig.class, dev.psa.cam.ClsConfig::from),
                new Section<>(dev.psa.cam.CamConfig.PREFIX, dev.psa.cam.CamConfig.class, dev.psa.cam.CamConfig::from),
                new Section<>(dev.psa.cam.SeedConfig.PREFIX, dev.psa.cam.SeedConfig.class, dev.psa.cam.SeedConfig::from),
                new Section<>(dev.psa.affinity.AffConfig.PREFIX, dev.psa.affinity.AffConfig.class,
                        dev.psa.affinity.AffConfig::from),
                new Section<>(dev.psa.crf.CrfConfig.PREFIX, dev.psa.crf.CrfConfig.class, dev.psa.crf.CrfConfig::from),
                new Section<>(dev.psa.randomwalk.RwConfig.PREFIX, dev.psa.randomwalk.RwConfig.class,
                        dev.psa.randomwalk.RwConfig::from),
                new Section<>(dev.psa.eval.EvalConfig.PREFIX, dev.psa.eval.EvalConfig.class, dev.psa.eval.EvalConfig::from),
                new Section<>(dev.psa.eval.store.StoreConfig.PREFIX, dev.psa.eval.store.StoreConfig.class,
                        dev.psa.eval.store.StoreConfig::from),
                new Section<>(dev.psa.eval.report.ReportConfig.PREFIX, dev.psa.eval.report.ReportConfig.class,
                        dev.psa.eval.report.ReportConfig::from));
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
