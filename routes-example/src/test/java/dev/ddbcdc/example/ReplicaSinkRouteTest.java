package dev.ddbcdc.example;

import java.math.BigDecimal;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The versioned upsert on its own: changes sent to direct:changes in any order, any number of times. */
class ReplicaSinkRouteTest {

    private static final long SNAPSHOT = 100;

    /** Five items' histories: a snapshot at version 100, then stream records. */
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

    /** The newest change of each item, attribute names sorted; tombstones keep the REMOVE's body (the keys). */
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
        replica = ReplicaDatabase.inMemory("replica-sink-test");
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("replica", replica.dataSource());
        camel.addRoutes(new ReplicaSinkRoute());
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

    @Test
    void inOrderTheReplicaHoldsTheNewestChangeOfEachItem() throws Exception {
        HISTORY.forEach(this::send);
        assertEquals(NEWEST, replica.rows());
    }

    @ParameterizedTest(name = "shuffle seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shuffledAndDuplicatedDeliveriesGiveTheSameRows(long seed) throws Exception {
        Random random = new Random(seed);
        List<Change> deliveries = new ArrayList<>(HISTORY);
        for (Change change : HISTORY) {
            if (random.nextBoolean()) {
                deliveries.add(change); // delivered again, e.g. after a restart or from the snapshot's overlap
            }
        }
        Collections.shuffle(deliveries, random);
        deliveries.forEach(this::send);
        assertEquals(NEWEST, replica.rows(), "deliveries " + deliveries);
    }

    @Test
    void anOlderChangeAfterTheRemoveDoesNotResurrectTheItem() throws Exception {
        send(change("INSERT", "order-9", 200, item("order-9", 9, "NEW")));
        send(change("REMOVE", "order-9", 300, keys("order-9")));
        send(change("MODIFY", "order-9", 250, item("order-9", 9, "SHIPPED")));
        send(change("READ", "order-9", SNAPSHOT, item("order-9", 9, "OPEN")));
        // and a REMOVE that arrives before anything else of its item leaves a tombstone the older INSERT respects
        send(change("REMOVE", "order-8", 300, keys("order-8")));
        send(change("INSERT", "order-8", 200, item("order-8", 8, "NEW")));

        assertEquals(Map.of("order-9", new Row("{\"pk\":\"order-9\"}", 300, true),
                "order-8", new Row("{\"pk\":\"order-8\"}", 300, true)), replica.rows());
    }

    @Test
    void aChangeWithoutItsVersionFailsInsteadOfBeingSkipped() throws Exception {
        Exchange exchange = producer.send(ReplicaSinkRoute.CHANGES, e -> {
            e.getMessage().setHeader(DynamoDbCdcConstants.OPERATION, "INSERT");
            e.getMessage().setHeader(DynamoDbCdcConstants.PRIMARY_KEY, "order-7");
            e.getMessage().setBody(item("order-7", 7, "NEW"));
        });
        // a failed exchange is not acknowledged: the consumer delivers the change again
        assertNotNull(exchange.getException());
        assertTrue(exchange.getException().getMessage().contains(DynamoDbCdcConstants.DOCUMENT_VERSION),
                exchange.getException().getMessage());
        assertEquals(Map.of(), replica.rows());
    }

    private void send(Change change) {
        Exchange exchange = producer.send(ReplicaSinkRoute.CHANGES, e -> {
            e.getMessage().setHeader(DynamoDbCdcConstants.OPERATION, change.operation());
            e.getMessage().setHeader(DynamoDbCdcConstants.PRIMARY_KEY, change.primaryKey());
            e.getMessage().setHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, change.version());
            e.getMessage().setBody(change.body());
        });
        if (exchange.getException() != null) {
            throw new AssertionError("upsert of " + change + " failed", exchange.getException());
        }
    }

    private record Change(String operation, String primaryKey, long version, Map<String, Object> body) {
    }

    private static Change change(String operation, String primaryKey, long version, Map<String, Object> body) {
        return new Change(operation, primaryKey, version, body);
    }

    /** An item as the component delivers it: numbers as BigDecimal, attributes in no particular order. */
    private static Map<String, Object> item(String pk, int qty, String status) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("status", status);
        item.put("qty", new BigDecimal(qty));
        item.put("pk", pk);
        return item;
    }

    /** The body of a REMOVE with viewOnRemove=NEW_IMAGE (the default): the key attributes. */
    private static Map<String, Object> keys(String pk) {
        return Map.of("pk", pk);
    }
}
