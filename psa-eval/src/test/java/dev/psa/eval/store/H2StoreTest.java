package dev.psa.eval.store;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
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
}
