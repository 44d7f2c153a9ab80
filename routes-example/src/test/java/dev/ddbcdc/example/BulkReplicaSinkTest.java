package dev.ddbcdc.example;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.example.ReplicaDatabase.Row;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bulk upsert on its own: batches sent to direct:batches in any order, any number of times, converge like the
 * per-change upsert; a change whose statement fails is reported (its index, its item exchange's exception) while the
 * changes before it are committed and those after it are not.
 */
class BulkReplicaSinkTest {

    private static final long SNAPSHOT = 100;

    private static final List<Change> HISTORY = List.of(
            change("READ", "order-1", SNAPSHOT, item("order-1", 1, "OPEN")),
            change("MODIFY", "order-1", 205, item("order-1", 1, "SHIPPED")),
            change("REMOVE", "order-1", 310, keys("order-1")),
            change("READ", "order-2", SNAPSHOT, item("order-2", 2, "OPEN")),
            change("MODIFY", "order-2", 220, item("order-2", 3, "OPEN")),
            change("INSERT", "order-3", 150, item("order-3", 3, "NEW")),
            change("REMOVE", "order-3", 160, keys("order-3")),
            change("INSERT", "order-3", 400, item("order-3", 30, "NEW")),
            change("READ", "order-4", SNAPSHOT, item("order-4", 4, "OPEN")),
            change("INSERT", "order-5", 230, item("order-5", 5, "NEW")),
            change("REMOVE", "order-5", 240, keys("order-5")));

    private static final Map<String, Row> NEWEST = Map.of(
            "order-1", new Row("{\"pk\":\"order-1\"}", 310, true),
            "order-2", new Row("{\"pk\":\"order-2\",\"qty\":3,\"status\":\"OPEN\"}", 220, false),
            "order-3", new Row("{\"pk\":\"order-3\",\"qty\":30,\"status\":\"NEW\"}", 400, false),
            "order-4", new Row("{\"pk\":\"order-4\",\"qty\":4,\"status\":\"OPEN\"}", SNAPSHOT, false),
            "order-5", new Row("{\"pk\":\"order-5\"}", 240, true));

    private static ReplicaDatabase replica;
    private static CamelContext camel;
    private static ProducerTemplate producer;

    @BeforeAll
    static void startRoute() throws Exception {
        replica = ReplicaDatabase.inMemory("bulk-replica-sink-test");
        camel = new DefaultCamelContext();
        camel.getRegistry().bind(BulkReplicaSinkRoute.DATA_SOURCE, replica.dataSource());
        camel.addRoutes(new BulkReplicaSinkRoute());
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stopRoute() throws Exception {
        camel.close();
        replica.close();
    }

    @BeforeEach
    void emptyReplica() throws Exception {
        replica.clear();
    }

    @AfterEach
    void dropPoison() throws Exception {
        sql("ALTER TABLE " + ReplicaDatabase.TABLE + " DROP CONSTRAINT IF EXISTS no_poison");
    }

    @Test
    void theSameStatementAsThePerChangeRoute() {
        assertEquals(List.of(DynamoDbCdcConstants.PRIMARY_KEY, ReplicaSinkRoute.ITEM_HEADER,
                DynamoDbCdcConstants.DOCUMENT_VERSION, DynamoDbCdcConstants.OPERATION), BulkReplicaSink.PARAMETERS);
        assertTrue(BulkReplicaSink.UPSERT.contains("WHEN MATCHED AND r.version < c.version THEN")
                   && !BulkReplicaSink.UPSERT.contains(":?"), BulkReplicaSink.UPSERT);
    }

    @Test
    void inOrderBatchesHoldTheNewestChangeOfEachItem() throws Exception {
        for (int i = 0; i < HISTORY.size(); i += 3) {
            assertWrittenFully(sendBatch(HISTORY.subList(i, Math.min(HISTORY.size(), i + 3))));
        }
        assertEquals(NEWEST, replica.rows());
    }

    @ParameterizedTest(name = "shuffle seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shuffledAndDuplicatedBatchesGiveTheSameRows(long seed) throws Exception {
        Random random = new Random(seed);
        List<Change> deliveries = new ArrayList<>(HISTORY);
        for (Change change : HISTORY) {
            if (random.nextBoolean()) {
                deliveries.add(change);
            }
        }
        Collections.shuffle(deliveries, random);
        for (int i = 0; i < deliveries.size(); ) {
            int size = 1 + random.nextInt(5); // a duplicate may land in the same batch as its original
            assertWrittenFully(sendBatch(deliveries.subList(i, Math.min(deliveries.size(), i + size))));
            i += size;
        }
        assertEquals(NEWEST, replica.rows(), "deliveries " + deliveries);
    }

    @Test
    void staleRedeliveriesChangeNoRow() throws Exception {
        assertWrittenFully(sendBatch(HISTORY));
        // an older change after the REMOVE, the snapshot's READ after newer changes, a duplicate: all lose
        assertWrittenFully(sendBatch(List.of(
                change("MODIFY", "order-1", 250, item("order-1", 9, "SHIPPED")),
                change("READ", "order-2", SNAPSHOT, item("order-2", 2, "OPEN")),
                change("INSERT", "order-5", 230, item("order-5", 5, "NEW")),
                change("INSERT", "order-3", 400, item("order-3", 30, "NEW")),
                change("INSERT", "order-3", 150, item("order-3", 3, "NEW")))));
        assertEquals(NEWEST, replica.rows());
    }

    @Test
    void aFailedStatementIsReportedTheOnesBeforeItCommittedTheRestNotWritten() throws Exception {
        sql("ALTER TABLE " + ReplicaDatabase.TABLE + " ADD CONSTRAINT no_poison CHECK (item NOT LIKE '%POISON%')");
        Exchange batch = sendBatch(List.of(
                change("INSERT", "order-1", 200, item("order-1", 1, "NEW")),
                change("INSERT", "order-2", 200, item("order-2", 2, "NEW")),
                change("MODIFY", "order-1", 300, item("order-1", 1, "POISON")),
                change("INSERT", "order-3", 200, item("order-3", 3, "NEW"))));

        assertNull(batch.getException(), "the batch exchange itself completes: the failure is reported per item");
        assertEquals(List.of(2), batch.getProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES));
        assertEquals(2, batch.getMessage().getHeader(BulkReplicaSink.WRITTEN));
        Exception cause = items(batch).get(2).getException();
        assertNotNull(cause);
        assertTrue(cause.getMessage().contains("change 2") && cause.getMessage().contains("NO_POISON"),
                cause.getMessage());
        assertNull(items(batch).get(3).getException());
        assertEquals(Map.of(
                "order-1", new Row("{\"pk\":\"order-1\",\"qty\":1,\"status\":\"NEW\"}", 200, false),
                "order-2", new Row("{\"pk\":\"order-2\",\"qty\":2,\"status\":\"NEW\"}", 200, false)), replica.rows());

        // the component delivers the failed change and the rest again; once the database takes them, all is there
        dropPoison();
        assertWrittenFully(sendBatch(List.of(
                change("MODIFY", "order-1", 300, item("order-1", 1, "POISON")),
                change("INSERT", "order-3", 200, item("order-3", 3, "NEW")))));
        assertEquals(3, replica.rows().size());
        assertEquals(300, replica.rows().get("order-1").version());
    }

    @Test
    void aFailureOfTheFirstStatementWritesNothing() throws Exception {
        sql("ALTER TABLE " + ReplicaDatabase.TABLE + " ADD CONSTRAINT no_poison CHECK (item NOT LIKE '%POISON%')");
        Exchange batch = sendBatch(List.of(
                change("INSERT", "order-1", 200, item("order-1", 1, "POISON")),
                change("INSERT", "order-2", 200, item("order-2", 2, "NEW"))));
        assertEquals(List.of(0), batch.getProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES));
        assertEquals(Map.of(), replica.rows());
    }

    @Test
    void aChangeWithoutItsVersionIsReportedInsteadOfSkipped() throws Exception {
        Exchange batch = sendBatch(List.of(
                change("INSERT", "order-1", 200, item("order-1", 1, "NEW")),
                change("INSERT", "order-2", null, item("order-2", 2, "NEW")),
                change("INSERT", "order-3", 200, item("order-3", 3, "NEW"))));
        assertEquals(List.of(1), batch.getProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES));
        Exception cause = items(batch).get(1).getException();
        assertTrue(cause.getMessage().contains(DynamoDbCdcConstants.DOCUMENT_VERSION), cause.getMessage());
        assertEquals(List.of("order-1"), List.copyOf(replica.rows().keySet()));
    }

    @Test
    void aSingleChangeInsteadOfABatchFailsTheExchange() throws Exception {
        Exchange exchange = producer.send(BulkReplicaSinkRoute.BATCHES, e -> e.getMessage().setBody(
                item("order-1", 1, "NEW")));
        assertNotNull(exchange.getException());
        assertTrue(exchange.getException().getMessage().contains("batchSize"), exchange.getException().getMessage());
        assertEquals(Map.of(), replica.rows());
    }

    private static void assertWrittenFully(Exchange batch) {
        assertNull(batch.getException());
        assertNull(batch.getProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES));
        assertEquals(items(batch).size(), batch.getMessage().getHeader(BulkReplicaSink.WRITTEN));
    }

    @SuppressWarnings("unchecked")
    private static List<Exchange> items(Exchange batch) {
        return batch.getMessage().getBody(List.class);
    }

    /** A batch as the component sends it: a List of item exchanges, each with its own headers and body. */
    private static Exchange sendBatch(List<Change> changes) {
        List<Exchange> items = new ArrayList<>();
        for (Change change : changes) {
            Exchange item = new DefaultExchange(camel);
            item.getMessage().setHeader(DynamoDbCdcConstants.OPERATION, change.operation());
            item.getMessage().setHeader(DynamoDbCdcConstants.PRIMARY_KEY, change.primaryKey());
            if (change.version() != null) {
                item.getMessage().setHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, change.version());
            }
            item.getMessage().setBody(change.body());
            items.add(item);
        }
        return producer.send(BulkReplicaSinkRoute.BATCHES, e -> {
            e.getMessage().setBody(items);
            e.getMessage().setHeader(DynamoDbCdcConstants.BATCH_SIZE, items.size());
        });
    }

    private static void sql(String sql) throws SQLException {
        try (Connection connection = replica.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private record Change(String operation, String primaryKey, Long version, Map<String, Object> body) {
    }

    private static Change change(String operation, String primaryKey, Long version, Map<String, Object> body) {
        return new Change(operation, primaryKey, version, body);
    }

    private static Change change(String operation, String primaryKey, long version, Map<String, Object> body) {
        return new Change(operation, primaryKey, version, body);
    }

    private static Map<String, Object> item(String pk, int qty, String status) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("status", status);
        item.put("qty", new BigDecimal(qty));
        item.put("pk", pk);
        return item;
    }

    private static Map<String, Object> keys(String pk) {
        return Map.of("pk", pk);
    }
}
