package dev.ddbcdc.example;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML routes as camel-main runs them ({@link CdcApplication}, application.properties), pointed at the local
 * AWS test kit by overriding properties only: a snapshot of the table, then inserts, updates and deletes from the
 * stream, and the H2 replica must end equal to the table; health and metrics are served as the properties say. So
 * the YAML and the properties cannot rot.
 */
class YamlRoutesTest {

    private static final String TABLE = "orders";
    private static final String BUCKET = "orders-exports";

    @RegisterExtension
    static LocalAwsExtension localAws = new LocalAwsExtension();

    @TempDir
    Path workDir;

    @Test
    void theYamlRoutesKeepTheReplicaEqualToTheTable() throws Exception {
        LocalAws aws = localAws.get();
        DynamoDbClient client = aws.dynamoDb();
        Tables.createWithStream(client, TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(client, TABLE);
        aws.createBucket(BUCKET);
        for (int i = 1; i <= 5; i++) {
            put(client, "existing-" + i, "OPEN", i);
        }

        Main main = CdcApplication.create();
        main.addOverrideProperty("cdc.workDir", workDir.toString());
        main.addOverrideProperty("camel.component.dynamodb-cdc.uri-endpoint-override", aws.dynamoDbEndpoint().toString());
        main.addOverrideProperty("camel.component.dynamodb-cdc.s3-uri-endpoint-override", aws.s3Endpoint().toString());
        main.addOverrideProperty("camel.component.dynamodb-cdc.access-key", LocalDynamoDb.ACCESS_KEY);
        main.addOverrideProperty("camel.component.dynamodb-cdc.secret-key", LocalDynamoDb.SECRET_KEY);
        main.addOverrideProperty("camel.component.dynamodb-cdc.export-s3-bucket", BUCKET);
        main.addOverrideProperty("camel.component.dynamodb-cdc.export-poll-interval", "200");
        main.addOverrideProperty("camel.component.dynamodb-cdc.idle-poll-delay", "200");
        main.addOverrideProperty("camel.component.dynamodb-cdc.shard-discovery-interval", "2000");
        int managementPort = freePort();
        main.addOverrideProperty("camel.management.port", Integer.toString(managementPort));
        // the dev consoles (not for production: they authenticate nobody), to read the component's own
        main.addOverrideProperty("camel.main.devConsoleEnabled", "true");
        main.addOverrideProperty("camel.management.devConsoleEnabled", "true");
        main.start();
        ReplicaDatabase replica = ReplicaDatabase.of(main.getCamelContext().getRegistry()
                .lookupByNameAndType("replica", DataSource.class));
        try {
            ReplicaComparison afterSnapshot = awaitEqual(client, replica);
            assertTrue(afterSnapshot.equal(), afterSnapshot.describe());
            assertEquals(5, afterSnapshot.liveRows());
            assertObservable(managementPort);

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

            // stale deliveries straight into the YAML upsert (as after a restart): older than the rows, so no change
            Map<String, ReplicaDatabase.Row> rows = replica.rows();
            ProducerTemplate producer = main.getCamelContext().createProducerTemplate();
            sendStale(producer, "MODIFY", "existing-1", rows.get("existing-1").version() - 1);
            sendStale(producer, "INSERT", "order-1", rows.get("order-1").version() - 1); // behind its tombstone
            sendStale(producer, "READ", "existing-3", rows.get("existing-3").version()); // a duplicate
            assertEquals(rows, replica.rows());
        } finally {
            main.stop();
            replica.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The properties' observability settings at work: the component's meters in the Prometheus text of
     * /observe/metrics, the consumer's readiness check with its details in /observe/health, and the component's dev
     * console in /q/dev/dynamodb-cdc.
     */
    private static void assertObservable(int port) throws Exception {
        String tags = "{consumerId=\"orders-replica\",routeId=\"orders-changes\",table=\"orders\"}";
        String metrics = get(port, "/observe/metrics");
        assertTrue(metrics.contains("camel_dynamodb_cdc_snapshot_items_acknowledged_total" + tags + " 5.0"), metrics);
        assertTrue(metrics.contains("camel_dynamodb_cdc_snapshot_items" + tags + " 5.0"), metrics);
        String health = get(port, "/observe/health?data=true");
        assertTrue(health.contains("\"consumer:orders-changes\""), health);
        assertTrue(health.contains("\"phase\": \"STREAMING\"") || health.contains("\"phase\":\"STREAMING\""), health);
        String ready = get(port, "/observe/health/ready"); // what a Kubernetes readiness probe calls
        assertTrue(ready.contains("UP"), ready);
        String console = get(port, "/q/dev/dynamodb-cdc");
        assertTrue(console.contains("Route orders-changes: table orders, consumerId orders-replica, phase STREAMING")
                   && console.contains("Snapshot: data files") && console.contains("Shard shardId-"), console);
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** An order with an attribute of every kind, so the replica's JSON has to be stable for all of them. */
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
                "tags", AttributeValue.fromSs(List.of("urgent", "gift", "fragile")),
                "signature", AttributeValue.fromB(SdkBytes.fromUtf8String("signed " + id)))));
    }

    private static void sendStale(ProducerTemplate producer, String operation, String id, long version) {
        Exchange exchange = producer.send("direct:changes", e -> {
            e.getMessage().setHeader(DynamoDbCdcConstants.OPERATION, operation);
            e.getMessage().setHeader(DynamoDbCdcConstants.PRIMARY_KEY, id);
            e.getMessage().setHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, version);
            e.getMessage().setBody(Map.of("pk", id, "status", "STALE"));
        });
        assertNull(exchange.getException());
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
