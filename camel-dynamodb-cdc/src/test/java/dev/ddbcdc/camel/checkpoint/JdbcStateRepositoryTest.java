package dev.ddbcdc.camel.checkpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC checkpoint store against an embedded H2 database. */
class JdbcStateRepositoryTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private JdbcDataSource database;

    @BeforeEach
    void database() {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:checkpoints" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    }

    private JdbcStateRepository started(String table) {
        JdbcStateRepository repository = new JdbcStateRepository(database, table);
        repository.start();
        return repository;
    }

    @Test
    void writesThroughOverwritesAndRemoves() throws Exception {
        JdbcStateRepository repository = started(JdbcStateRepository.DEFAULT_TABLE);
        assertNull(repository.getState("dynamodb-cdc/c/arn/shard-1"));
        repository.setState("dynamodb-cdc/c/arn/shard-1", "seq:100");
        repository.setState("dynamodb-cdc/c/arn/shard-1", "seq:200");
        repository.setState("dynamodb-cdc/c/arn/shard-2", "END");
        assertEquals("seq:200", repository.getState("dynamodb-cdc/c/arn/shard-1"));
        // another instance on the same database sees it: nothing is cached
        assertEquals("END", started(JdbcStateRepository.DEFAULT_TABLE).getState("dynamodb-cdc/c/arn/shard-2"));
        repository.setState("dynamodb-cdc/c/arn/shard-2", null);
        assertNull(repository.getState("dynamodb-cdc/c/arn/shard-2"));
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT state_key, state_value FROM dynamodb_cdc_checkpoint")) {
            assertTrue(rows.next());
            assertEquals("dynamodb-cdc/c/arn/shard-1", rows.getString(1), "the key is readable in the table");
            assertEquals("seq:200", rows.getString(2));
            assertTrue(!rows.next(), "one row per key");
        }
    }

    @Test
    void keysLongerThanAnyPrimaryKeyLimitAreKept() {
        JdbcStateRepository repository = started("long_keys");
        String dataFileKey = "dynamodb-cdc/c/arn/snapshot/" + "exports/".repeat(200) + "data/abc.json.gz";
        repository.setState(dataFileKey, "line:1000");
        repository.setState(dataFileKey + "x", "END");
        assertEquals("line:1000", repository.getState(dataFileKey));
        assertEquals("END", repository.getState(dataFileKey + "x"));
        assertThrows(IllegalArgumentException.class, () -> repository.setState("k".repeat(4001), "v"));
    }

    @Test
    void concurrentWritersOfOneNewKeyLeaveOneRowWithTheLastValue() throws Exception {
        JdbcStateRepository repository = started("concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                writes.add(pool.submit(() -> repository.setState("shared/" + (n % 5), "seq:" + n)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int k = 0; k < 5; k++) {
            assertTrue(repository.getState("shared/" + k).startsWith("seq:"));
        }
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM concurrent")) {
            rows.next();
            assertEquals(5, rows.getInt(1));
        }
    }

    @Test
    void aMissingTableIsCreatedUnlessThatIsTurnedOffAndNamesAreChecked() {
        started("created_once");
        started("created_once").setState("k", "v");
        JdbcStateRepository strict = new JdbcStateRepository(database, "not_there");
        strict.setCreateTable(false);
        IllegalStateException missing = assertThrows(IllegalStateException.class, strict::start);
        assertTrue(missing.getMessage().contains("not_there"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JdbcStateRepository(database, "x; DROP TABLE y"));
    }
}
