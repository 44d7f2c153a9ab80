package dev.ddbcdc.example;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bulk route end to end, on the local AWS test kit: {@link BatchCaptureRoute} (a snapshot, then the stream, in
 * batches) and {@link BulkReplicaSinkRoute}. The bulk replica must equal the table after the snapshot and after stream
 * changes; stale redeliveries change no row; and a change the database rejects is reported, the changes before it
 * stay written, it and the ones after it are delivered again by the component until the database takes them.
 */
class BulkSinkTest {

    private static final String TABLE = "orders";
    private static final String BUCKET = "orders-exports";

    @RegisterExtension
    static LocalAwsExtension localAws = new LocalAwsExtension();

    @Test
    void theBulkReplicaEqualsTheTableAndFailedItemsAreDeliveredAgain() throws Exception {
        LocalAws aws = localAws.get();
        DynamoDbClient client = aws.dynamoDb();
        Tables.createWithStream(client, TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(client, TABLE);
        aws.createBucket(BUCKET);
        for (int i = 1; i <= 5; i++) {
            put(client, "existing-" + i, "OPEN", i);
        }

        List<Object> reportedFailures = new CopyOnWriteArrayList<>();
        try (ReplicaDatabase replica = ReplicaDatabase.inMemory("bulk-sink-test");
             CamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().addInitialProperty("cdc.table", TABLE);
            camel.getPropertiesComponent().addInitialProperty("cdc.region", "us-east-1");
            camel.getPropertiesComponent().addInitialProperty("cdc.bulkConsumerId", "bulk-test");
            camel.getPropertiesComponent().addInitialProperty("cdc.batchSize", "10");
            camel.getPropertiesComponent().addInitialProperty("cdc.batchWindow", "200");
            camel.getPropertiesComponent().addInitialProperty("cdc.options", "&exportS3Bucket=" + BUCKET
                    + "&uriEndpointOverride=" + aws.dynamoDbEndpoint() + "&s3UriEndpointOverride=" + aws.s3Endpoint()
                    + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + LocalDynamoDb.SECRET_KEY
                    + "&exportPollInterval=200&idlePollDelay=200&shardDiscoveryInterval=2000");
            camel.getRegistry().bind("checkpoints", new MemoryStateRepository());
            camel.getRegistry().bind(BulkReplicaSinkRoute.DATA_SOURCE, replica.dataSource());
            camel.addRoutes(new BatchCaptureRoute());
            camel.addRoutes(new BulkReplicaSinkRoute("direct:bulk-replica"));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(BulkReplicaSinkRoute.BATCHES)
                            .to("direct:bulk-replica")
                            .process(e -> {
                                Object failures = e.getProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES);
                                if (failures != null) {
                                    reportedFailures.add(failures);
                                }
                            });
                }
            });
            camel.start();

            ReplicaComparison afterSnapshot = awaitEqual(client, replica);
            assertTrue(afterSnapshot.equal(), afterSnapshot.describe());
            assertEquals(5, afterSnapshot.liveRows());

            put(client, "order-1", "NEW", 1);
            put(client, "order-2", "NEW", 2);
            client.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("existing-1")))
                    .updateExpression("SET #s = :s, qty = qty + :one")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("SHIPPED"),
                            ":one", AttributeValue.fromN("1"))));
            put(client, "order-2", "PAID", 20);
            client.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("existing-2"))));
            client.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("order-1"))));

            ReplicaComparison afterChanges = awaitEqual(client, replica);
            assertTrue(afterChanges.equal(), afterChanges.describe());
            assertEquals(5, afterChanges.liveRows());
            assertEquals(2, afterChanges.tombstones());
            assertEquals(List.of(), reportedFailures);

            // stale deliveries as one batch (as after a restart): older than the rows, or the same, so no change
            Map<String, ReplicaDatabase.Row> rows = replica.rows();
            ProducerTemplate producer = camel.createProducerTemplate();
            Exchange stale = producer.send(BulkReplicaSinkRoute.BATCHES, e -> e.getMessage().setBody(List.of(
                    change(camel, "MODIFY", "existing-1", rows.get("existing-1").version() - 1),
                    change(camel, "INSERT", "order-1", rows.get("order-1").version() - 1), // behind its tombstone
                    change(camel, "READ", "existing-3", rows.get("existing-3").version()), // a duplicate
                    change(camel, "MODIFY", "order-2", rows.get("order-2").version() - 1))));
            assertNull(stale.getException());
            assertEquals(4, stale.getMessage().getHeader(BulkReplicaSink.WRITTEN));
            assertEquals(rows, replica.rows());
            assertEquals(List.of(), reportedFailures);

            // the database rejects one change: it is reported, the one before it stays, it and the rest come again
            sql(replica, "ALTER TABLE " + ReplicaDatabase.TABLE
                         + " ADD CONSTRAINT no_poison CHECK (item NOT LIKE '%POISON%')");
            put(client, "order-7", "NEW", 7);
            put(client, "order-8", "POISON", 8);
            put(client, "order-9", "NEW", 9);
            await(() -> reportedFailures.size() >= 2, "the rejected change reported, and again when delivered again");
            Map<String, ReplicaDatabase.Row> whileRejected = replica.rows();
            assertTrue(whileRejected.containsKey("order-7"), whileRejected.keySet().toString());
            assertFalse(whileRejected.containsKey("order-8"), whileRejected.keySet().toString());
            assertFalse(whileRejected.containsKey("order-9"), "nothing after the rejected change of its shard: "
                                                              + whileRejected.keySet());
            assertFalse(ReplicaComparison.of(client, TABLE, replica).equal());

            sql(replica, "ALTER TABLE " + ReplicaDatabase.TABLE + " DROP CONSTRAINT no_poison");
            ReplicaComparison afterRejection = awaitEqual(client, replica);
            assertTrue(afterRejection.equal(), afterRejection.describe());
            assertEquals(8, afterRejection.liveRows());
            assertEquals(2, afterRejection.tombstones());
        }
    }

    private static Exchange change(CamelContext camel, String operation, String id, long version) {
        Exchange item = new DefaultExchange(camel);
        item.getMessage().setHeader(DynamoDbCdcConstants.OPERATION, operation);
        item.getMessage().setHeader(DynamoDbCdcConstants.PRIMARY_KEY, id);
        item.getMessage().setHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, version);
        item.getMessage().setBody(Map.of("pk", id, "status", "STALE"));
        return item;
    }

    /** An order with an attribute of every kind, so the bulk replica's JSON has to be stable for all of them. */
    private static void put(DynamoDbClient client, String id, String status, int qty) {
        client.putItem(b -> b.tableName(TABLE).item(Map.of(
                "pk", AttributeValue.fromS(id),
                "status", AttributeValue.fromS(status),
                "qty", AttributeValue.fromN(Integer.toString(qty)),
                "price", AttributeValue.fromN("12.50"),
                "paid", AttributeValue.fromBool(qty % 2 == 0),
                "note", AttributeValue.fromNul(true),
                "address", AttributeValue.fromM(Map.of("street", AttributeValue.fromS("Main St " + qty),
                        "city", AttributeValue.fromS("Springfield"))),
                "lines", AttributeValue.fromL(List.of(AttributeValue.fromS("apple"), AttributeValue.fromN("3"))),
                "tags", AttributeValue.fromSs(new ArrayList<>(List.of("urgent", "gift", "fragile"))),
                "signature", AttributeValue.fromB(SdkBytes.fromUtf8String("signed " + id)))));
    }

    private static void sql(ReplicaDatabase replica, String sql) throws SQLException {
        try (Connection connection = replica.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Polls until the replica equals the table (or 30 s passed); returns the last comparison. */
    private static ReplicaComparison awaitEqual(DynamoDbClient client, ReplicaDatabase replica) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ReplicaComparison comparison = ReplicaComparison.of(client, TABLE, replica);
        while (!comparison.equal() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            comparison = ReplicaComparison.of(client, TABLE, replica);
        }
        return comparison;
    }
}
