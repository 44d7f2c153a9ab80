package dev.ddbcdc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.localaws.LocalAws;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.h2.jdbcx.JdbcConnectionPool;
import software.amazon.awssdk.services.dynamodb.model.OperationType;

/**
 * Scenario 7, a JDBC sink: the changes of one shard of a simulated stream written into an H2 table with the
 * document-version upsert of the routes example (MERGE, a row replaced only by a higher
 * {@code CamelDynamoDbCdcDocumentVersion}, a REMOVE leaving a tombstone), one statement per change
 * ({@code batchSize=1}, the route as routes.md shows it) against one JDBC batch of 500 per exchange
 * ({@code batchSize=500}: every change of the batch added to one prepared statement, executeBatch and commit in one
 * transaction). The database writes its file at each commit ({@code WRITE_DELAY=0}: a commit has a price, as in a
 * database that makes commits durable); H2's defaults (the file written in the background) for context. The same
 * changes each time; every run's table must end equal to the first run's, with one row per item and a tombstone
 * exactly where the item's last change was a REMOVE.
 */
final class JdbcSinkScenario implements Scenario {

    static final int BATCH = 500;
    static final String TABLE = "replica";
    static final String SCHEMA = "CREATE TABLE " + TABLE + " (pk VARCHAR PRIMARY KEY, item CLOB NOT NULL,"
                                 + " version BIGINT NOT NULL, deleted BOOLEAN NOT NULL)";
    /** The upsert of routes-example's ReplicaSinkRoute, its parameters by position. */
    static final String UPSERT = "MERGE INTO " + TABLE + " AS r"
                                 + " USING (VALUES (CAST(? AS VARCHAR), CAST(? AS CLOB), CAST(? AS BIGINT),"
                                 + " CAST(? AS VARCHAR))) AS c(pk, item, version, op)"
                                 + " ON r.pk = c.pk"
                                 + " WHEN MATCHED AND r.version < c.version THEN"
                                 + " UPDATE SET item = c.item, version = c.version, deleted = (c.op = 'REMOVE')"
                                 + " WHEN NOT MATCHED THEN"
                                 + " INSERT (pk, item, version, deleted)"
                                 + " VALUES (c.pk, c.item, c.version, c.op = 'REMOVE')";

    /** H2 URL settings: the database file written at each commit (H2's WRITE_DELAY, 500 ms by default). */
    static final String FLUSHED = ";WRITE_DELAY=0";
    /** H2's defaults: commits written to the file by a background thread. */
    static final String BACKGROUND = "";

    /** Sorted attribute names: one item always gives the same JSON, as the routes example marshals it. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** One row of the replica. */
    record Row(String item, long version, boolean deleted) {
    }

    @Override
    public String id() {
        return "jdbc";
    }

    @Override
    public boolean needsLocalAws() {
        return false;
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws Exception {
        int changes = scale.jdbcChanges();
        int keys = scale.jdbcKeys();
        Path dir = Files.createTempDirectory("jdbc-sink-bench");
        try {
            int warmUp = Math.min(changes, 20_000);
            FakeStream small = new FakeStream(1, 1, warmUp, warmUp / 10);
            int runs = 0;
            for (String settings : new String[] {FLUSHED, BACKGROUND}) {
                run(dir, "warm-" + (++runs), settings, 1, small, warmUp);
                run(dir, "warm-" + (++runs), settings, BATCH, small, warmUp);
            }
            // one stream for every measured run: the same changes, with the same creation time and versions
            FakeStream stream = new FakeStream(1, 1, changes, keys);
            Map<String, Samples> rates = new java.util.HashMap<>();
            Samples batchExchanges = new Samples();
            Map<String, Row> reference = null;
            for (int rep = 0; rep < scale.repetitions(); rep++) {
                for (String settings : new String[] {FLUSHED, BACKGROUND}) {
                    for (int batchSize : new int[] {1, BATCH}) {
                        Result result = run(dir, "run-" + (++runs), settings, batchSize, stream, changes);
                        if (reference == null) {
                            reference = result.rows;
                            checkFinalState(reference, changes, keys);
                        } else if (!reference.equals(result.rows)) {
                            throw new IllegalStateException("The replica table after run " + runs + " (batchSize="
                                    + batchSize + ", H2 '" + settings + "') differs from the first run's: "
                                    + firstDifference(reference, result.rows));
                        }
                        rates.computeIfAbsent(settings + batchSize, k -> new Samples()).add(result.recordsPerSecond);
                        if (batchSize > 1) {
                            batchExchanges.add(result.exchanges);
                        }
                    }
                }
                System.err.printf(Locale.ROOT, "  jdbc run %d: commits flushed: per change %.0f, batches of %d %.0f;"
                        + " background flush: per change %.0f, batches %.0f records/s%n", rep + 1,
                        last(rates.get(FLUSHED + 1)), BATCH, last(rates.get(FLUSHED + BATCH)),
                        last(rates.get(BACKGROUND + 1)), last(rates.get(BACKGROUND + BATCH)));
            }
            String name = "7. JDBC sink";
            ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                    "One shard of a simulated stream (the fake behind the SDK's DynamoDbStreamsClient) holding %,d"
                    + " changes of %,d items in turn (first an INSERT, then MODIFYs and, one change in five, a"
                    + " REMOVE), read from the oldest record and written into an H2 table (embedded, in this JVM, a"
                    + " database file of its own per run, through H2's connection pool) with the document-version"
                    + " upsert of routes-example's ReplicaSinkRoute (MERGE ... WHEN MATCHED AND r.version < c.version;"
                    + " the item as JSON with sorted attribute names). Per change: batchSize=1, one prepared statement"
                    + " executed per exchange with auto-commit. Batches: batchSize=%d, one JDBC batch per exchange"
                    + " (addBatch per change, executeBatch, commit: one transaction). Otherwise defaults (in-memory"
                    + " checkpoints, acknowledgments on). The database writes its file at each commit (%s),"
                    + " so that a commit has a price, as it has in a database that makes commits durable; for"
                    + " context also with H2's defaults (the file written by a background thread within 500 ms, so"
                    + " a commit costs next to nothing; embedded, a statement costs no network round trip either:"
                    + " the least a batch can gain). Runs alternate,"
                    + " after one unmeasured %,d-change run of each kind; each is timed from the route's start to its"
                    + " last change. Every run's table is compared with the first run's (every row: item, version,"
                    + " tombstone) and must hold one row per item, a tombstone where the item's last change was a"
                    + " REMOVE; all did.", changes, keys, BATCH, FLUSHED.substring(1), warmUp));
            result.figure(new Figure(name, "records/s, JDBC batches of " + BATCH, "records/s",
                    rates.get(FLUSHED + BATCH), "one upsert per change", rates.get(FLUSHED + 1),
                    Target.ratioAtLeast(5), "H2 writing its file at each commit"));
            result.figure(new Figure(name, "records/s, JDBC batches of " + BATCH + ", H2 defaults", "records/s",
                    rates.get(BACKGROUND + BATCH), "one upsert per change, H2 defaults", rates.get(BACKGROUND + 1),
                    Target.none(), "commits written in the background"));
            result.note(String.format(Locale.ROOT, "Exchanges per batched run: %s (%,d changes).",
                    Format.samples(batchExchanges), changes));
            return result;
        } finally {
            deleteRecursively(dir);
        }
    }

    private static double last(Samples samples) {
        return samples.values().get(samples.count() - 1);
    }

    /** One measured run. */
    record Result(double recordsPerSecond, long exchanges, Map<String, Row> rows) {
    }

    /**
     * Reads the {@code changes} of the stream's shard into a new database {@code name} (with H2 {@code settings}
     * appended to its URL), {@code batchSize} changes per exchange.
     */
    static Result run(Path dir, String name, String settings, int batchSize, FakeStream stream, int changes)
            throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath()
                                                            + settings, "sa", "");
        pool.setMaxConnections(8);
        try {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(SCHEMA);
            }
            String uri = "dynamodb-cdc:" + FakeTable.TABLE + "?region=us-east-1&dynamoDbClient=#table"
                         + "&dynamoDbStreamsClient=#streams&startPosition=TRIM_HORIZON"
                         + (batchSize > 1 ? "&batchSize=" + batchSize : "");
            try (CountingRoute route = new CountingRoute(uri, changes, exchange -> {
                try {
                    if (batchSize > 1) {
                        upsertBatch(pool, exchange);
                    } else {
                        upsertOne(pool, exchange.getMessage());
                    }
                } catch (SQLException | JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            })) {
                route.bind("table", new FakeTable()).bind("streams", stream).start();
                if (!route.await(10 * 60_000L)) {
                    throw new IllegalStateException("batchSize=" + batchSize + ": the consumer delivered "
                                                    + route.count() + " of " + changes);
                }
                double seconds = route.secondsToExpected();
                return new Result(changes / seconds, route.exchanges(), rows(pool));
            }
        } finally {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // already closed
            }
            pool.dispose();
        }
    }

    private static void upsertOne(JdbcConnectionPool pool, Message change) throws SQLException,
            JsonProcessingException {
        try (Connection connection = pool.getConnection();
             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            bind(upsert, change);
            upsert.executeUpdate();
        }
    }

    private static void upsertBatch(JdbcConnectionPool pool, Exchange batch) throws SQLException,
            JsonProcessingException {
        @SuppressWarnings("unchecked")
        List<Exchange> items = batch.getMessage().getBody(List.class);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                for (Exchange item : items) {
                    bind(upsert, item.getMessage());
                    upsert.addBatch();
                }
                upsert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void bind(PreparedStatement upsert, Message change) throws SQLException, JsonProcessingException {
        upsert.setString(1, change.getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class));
        upsert.setString(2, JSON.writeValueAsString(change.getBody()));
        upsert.setLong(3, change.getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class));
        upsert.setString(4, change.getHeader(DynamoDbCdcConstants.OPERATION, String.class));
    }

    private static Map<String, Row> rows(JdbcConnectionPool pool) throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pk, item, version, deleted FROM " + TABLE)) {
            while (result.next()) {
                rows.put(result.getString(1), new Row(result.getString(2), result.getLong(3), result.getBoolean(4)));
            }
        }
        return rows;
    }

    /** One row per item, a tombstone exactly where the item's last change was a REMOVE. */
    static void checkFinalState(Map<String, Row> rows, int changes, int keys) {
        if (rows.size() != keys) {
            throw new IllegalStateException("The replica holds " + rows.size() + " rows, the stream changed " + keys
                                            + " items");
        }
        for (int index = changes - keys; index < changes; index++) {
            String key = FakeStream.keyOf(index, keys);
            boolean removed = FakeStream.operationOf(index, keys) == OperationType.REMOVE;
            Row row = rows.get(key);
            if (row == null || row.deleted() != removed) {
                throw new IllegalStateException("The replica's row of " + key + " is " + row + ", its last change was "
                                                + FakeStream.operationOf(index, keys));
            }
        }
    }

    private static String firstDifference(Map<String, Row> expected, Map<String, Row> actual) {
        for (Map.Entry<String, Row> entry : expected.entrySet()) {
            Row other = actual.get(entry.getKey());
            if (!entry.getValue().equals(other)) {
                return entry.getKey() + ": " + entry.getValue() + " against " + other;
            }
        }
        return actual.size() + " rows against " + expected.size();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
