package dev.psa.eval.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on an embedded H2 file database (the default). */
class H2StoreTest extends StoreContract {
    @TempDir
    Path dir;
    private final AtomicInteger n = new AtomicInteger();

    @Override
    protected StoreConfig freshDatabase() {
        return StoreConfig.h2File(dir.resolve("store" + n.incrementAndGet()).resolve("results"));
    }

    @Test
    void theMigrationLockSitsBesideTheDatabaseFile() {
        assertThat(ResultsStore.h2File("jdbc:h2:file:/data/runs/results;AUTO_SERVER=TRUE"))
                .contains(Path.of("/data/runs/results"));
        assertThat(ResultsStore.h2File("jdbc:h2:./results")).contains(Path.of("./results"));
        assertThat(ResultsStore.h2File("jdbc:h2:~/psa/results")).contains(Path.of(System.getProperty("user.home")
                + "/psa/results"));
        assertThat(ResultsStore.h2File("jdbc:h2:mem:x")).isEmpty();
        assertThat(ResultsStore.h2File("jdbc:h2:tcp://host/x")).isEmpty();
        assertThat(ResultsStore.h2File("jdbc:postgresql://host/psa")).isEmpty();
    }

    /** Eight writers opening one fresh file at once: each migration sees either nothing or the finished schema. */
    @RepeatedTest(3)
    void concurrentFirstOpensAllSucceed() throws Exception {
        StoreConfig config = freshDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> {
                    try (ResultsStore s = ResultsStore.open(config)) {
                        return (long) s.runs().size();
                    }
                }));
            }
            for (Future<Long> f : runs) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
