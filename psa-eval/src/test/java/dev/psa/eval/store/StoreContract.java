package dev.psa.eval.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psa.api.PsaException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The same checks against every database the store supports; subclasses give a fresh database. */
abstract class StoreContract {
    /** A JDBC URL of an empty database, with user and password. */
    protected abstract StoreConfig freshDatabase() throws Exception;

    static List<StoredResult.StoredClass> classes(double... iou) {
        List<StoredResult.StoredClass> out = new ArrayList<>();
        for (int i = 0; i < iou.length; i++) {
            out.add(new StoredResult.StoredClass(i, i == 0 ? "background" : "c" + i, iou[i], iou[i] / 2, Double.NaN));
        }
        return out;
    }

    static StoredResult recordOne(ResultsStore s, RunInfo run, String stage, double... iou) {
        double mean = 0;
        int n = 0;
        for (double v : iou) {
            if (!Double.isNaN(v)) {
                mean += v;
                n++;
            }
        }
        return s.record(run, stage, Map.of("rw.beta", "8", "eval.threads", "1"), Map.of("backbone", "tiny"),
                "shapes", "train", 10, mean / n, 0.9, stage.equals("cam") ? 0.16 : Double.NaN, 1.5,
                "{\"evalSeconds\":1.5}", classes(iou));
    }

    @Test
    void sweepVariantsAreRecordedWithTheirGridValuesAndANameStandsForItsNewestSweep() throws Exception {
        try (ResultsStore s = ResultsStore.open(freshDatabase())) {
            RunInfo a = RunInfo.of("g/rw.beta=4@t0", "rw.beta=4");
            RunInfo b = RunInfo.of("g/rw.beta=8@t0", "rw.beta=8");
            StoredResult ra = recordOne(s, a, "rw", 0.8, 0.6);
            recordOne(s, b, "rw", 0.7, 0.5);
            assertThat(s.recordSweepVariant("g", "/old/g", "rw.beta=4", a, Map.of("rw.beta", "4"))).isEqualTo(ra.runId());
            s.recordSweepVariant("g", "/runs/g", "rw.beta=4", a, Map.of("rw.beta", "4"));
            s.recordSweepVariant("g", "/runs/g", "rw.beta=8", b, Map.of("rw.beta", "8"));
            // recorded again (a resumed sweep): replaced, not doubled
            s.recordSweepVariant("g", "/runs/g", "rw.beta=8", b, Map.of("rw.beta", "8"));
            List<StoredSweepVariant> v = s.sweepVariants("g");
            assertThat(v).extracting(StoredSweepVariant::variant).containsExactly("rw.beta=4", "rw.beta=8");
            assertThat(v).extracting(StoredSweepVariant::path).containsOnly("/runs/g");
            assertThat(v.get(1).grid()).isEqualTo(Map.of("rw.beta", "8"));
            assertThat(v.get(0).runId()).isEqualTo(ra.runId());
            assertThat(s.sweepVariants("nope")).isEmpty();
            List<String> table = RunTables.compare(s, List.of("g"), Optional.of("rw"));
            assertThat(table.get(0)).isEqualTo("sweep g (/runs/g): 2 variants");
            assertThat(table).anySatisfy(l -> assertThat(l).startsWith("mIoU").contains("70.00", "60.00", "-10.00"));
        }
    }

    @Test
    void storesAndReadsBackAResultWithPerClassValues() throws Exception {
        try (ResultsStore s = ResultsStore.open(freshDatabase())) {
            RunInfo run = RunInfo.of("key-1", "first");
            StoredResult r = recordOne(s, run, "rw", 0.8, 0.5, Double.NaN);
            List<StoredResult> back = s.results(r.runId());
            assertThat(back).hasSize(1);
            StoredResult b = back.get(0);
            assertThat(b.stage()).isEqualTo("rw");
            assertThat(b.miou()).isEqualTo(0.65);
            assertThat(b.bestThreshold()).isNaN();
            assertThat(b.config()).containsEntry("rw.beta", "8");
            assertThat(b.components()).containsEntry("backbone", "tiny");
            assertThat(b.configHash()).isEqualTo(ResultsStore.configHash(Map.of("eval.threads", "1", "rw.beta", "8")))
                    .hasSize(64);
            assertThat(b.classes()).extracting(StoredResult.StoredClass::iou).containsExactly(0.8, 0.5, Double.NaN);
            assertThat(b.classes().get(1).precision()).isEqualTo(0.25);
            assertThat(b.classes().get(1).recall()).isNaN();
            assertThat(b.timings()).contains("evalSeconds");
        }
    }

    @Test
    void runIdsAreStablePerKeyAndNeverReused() throws Exception {
        StoreConfig db = freshDatabase();
        try (ResultsStore s = ResultsStore.open(db)) {
            long a = s.registerRun(RunInfo.of("a", "run-a"));
            assertThat(s.registerRun(RunInfo.of("a", "run-a"))).isEqualTo(a);
            long b = s.registerRun(RunInfo.of("b", "run-b"));
            assertThat(b).isGreaterThan(a);
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                 Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM psa_run WHERE id = " + b);
            }
            long c = s.registerRun(RunInfo.of("c", "run-c"));
            assertThat(c).isGreaterThan(b);
            // the same key after its row was deleted is a new run with a new id
            assertThat(s.registerRun(RunInfo.of("b", "run-b"))).isGreaterThan(c);
        }
    }

    /** 4 writers, each with its own store instance (so migrations race too), 50 runs each. */
    @Test
    void fourConcurrentWritersLoseNoRow() throws Exception {
        StoreConfig db = freshDatabase();
        int writers = 4;
        int runsEach = 50;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<StoredResult>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Callable<List<StoredResult>> task = () -> {
                start.await();
                List<StoredResult> mine = new ArrayList<>();
                try (ResultsStore s = ResultsStore.open(db)) {
                    for (int i = 0; i < runsEach; i++) {
                        mine.add(recordOne(s, RunInfo.of("w" + writer + "-r" + i, "w" + writer + "-r" + i), "rw",
                                0.5, 0.25 + writer * 0.01, i / 100.0));
                        // every writer also adds a result to one shared run
                        if (i % 10 == 0) {
                            mine.add(recordOne(s, RunInfo.of("shared", "shared"), "cam", 0.5, 0.5, 0.5));
                        }
                    }
                }
                return mine;
            };
            futures.add(pool.submit(task));
        }
        List<StoredResult> all = new ArrayList<>();
        for (Future<List<StoredResult>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        int sharedPerWriter = runsEach / 10;
        try (ResultsStore s = ResultsStore.open(db)) {
            long[] counts = s.counts();
            assertThat(counts[0]).isEqualTo(writers * runsEach + 1);
            assertThat(counts[1]).isEqualTo(writers * (runsEach + sharedPerWriter));
            assertThat(counts[2]).isEqualTo(3L * writers * (runsEach + sharedPerWriter));
            Set<Long> runIds = new HashSet<>();
            Set<Long> sharedIds = new HashSet<>();
            Set<Long> resultIds = new HashSet<>();
            for (StoredResult r : all) {
                resultIds.add(r.id());
                if (r.stage().equals("cam")) {
                    sharedIds.add(r.runId());
                } else {
                    runIds.add(r.runId());
                }
            }
            assertThat(runIds).hasSize(writers * runsEach);
            assertThat(sharedIds).hasSize(1).doesNotContainAnyElementsOf(runIds);
            assertThat(resultIds).hasSize(all.size());
            assertThat(s.results(sharedIds.iterator().next())).hasSize(writers * sharedPerWriter);
            StoredRun one = s.findRun("w3-r49");
            assertThat(s.results(one.id())).singleElement()
                    .satisfies(r -> assertThat(r.classes().get(2).iou()).isEqualTo(0.49));
        }
    }

    @Test
    void listShowAndCompareCommands() throws Exception {
        try (ResultsStore s = ResultsStore.open(freshDatabase())) {
            StoredResult a = recordOne(s, RunInfo.of("ka", "baseline"), "rw", 0.80, 0.50, 0.30);
            recordOne(s, RunInfo.of("ka", "baseline"), "cam", 0.70, 0.40, 0.20);
            StoredResult b = recordOne(s, RunInfo.of("kb", "beta32"), "rw", 0.82, 0.45, 0.30);

            String list = String.join("\n", RunTables.list(s));
            assertThat(list).contains("baseline").contains("beta32").contains("rw mIoU").contains("cam mIoU")
                    .contains("53.33").contains("52.33").contains("43.33 @0.16");

            String show = String.join("\n", RunTables.show(s, "baseline"));
            assertThat(show).contains("run " + a.runId() + ": baseline").contains("stage rw").contains("stage cam")
                    .contains("mIoU: 53.33").contains("best CAM background threshold 0.16");

            String cmp = String.join("\n", RunTables.compare(s, List.of(Long.toString(a.runId()), "beta32"),
                    Optional.empty()));
            assertThat(cmp).contains("stage rw").doesNotContain("stage cam");
            assertThat(cmp.lines().filter(l -> l.startsWith("background")).findFirst().orElseThrow())
                    .contains("80.00").contains("82.00").contains("+2.00");
            assertThat(cmp.lines().filter(l -> l.startsWith("c1 ")).findFirst().orElseThrow()).contains("-5.00");
            assertThat(cmp.lines().filter(l -> l.startsWith("c2 ")).findFirst().orElseThrow()).contains("+0.00");
            assertThat(cmp.lines().filter(l -> l.startsWith("mIoU")).findFirst().orElseThrow()).contains("-1.00");
            assertThat(b.runId()).isNotEqualTo(a.runId());

            assertThatThrownBy(() -> RunTables.compare(s, List.of("baseline", "nosuch"), Optional.empty()))
                    .isInstanceOf(PsaException.class).hasMessageContaining("no run 'nosuch'")
                    .hasMessageContaining("baseline");
            assertThatThrownBy(() -> RunTables.compare(s, List.of("baseline", "beta32"), Optional.of("cam")))
                    .isInstanceOf(PsaException.class).hasMessageContaining("stage 'cam'").hasMessageContaining("[rw]");
        }
    }
}
