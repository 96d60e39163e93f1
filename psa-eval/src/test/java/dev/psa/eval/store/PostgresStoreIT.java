package dev.psa.eval.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The store on a real PostgreSQL started through Testcontainers (image: see {@link PostgresImage}).
 * Each test gets a fresh database in the one container.
 */
class PostgresStoreIT extends StoreContract {
    private static PostgreSQLContainer<?> postgres;
    private final AtomicInteger n = new AtomicInteger();

    @BeforeAll
    static void start() {
        postgres = PostgresImage.startContainer();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Override
    protected StoreConfig freshDatabase() throws Exception {
        String db = "store_" + System.nanoTime() + "_" + n.incrementAndGet();
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword()); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE DATABASE " + db);
        }
        String url = postgres.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
        return new StoreConfig(url, postgres.getUsername(), postgres.getPassword(), true);
    }
}
