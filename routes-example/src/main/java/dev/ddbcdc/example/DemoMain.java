package dev.ddbcdc.example;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The embedded-default demo of snapshot then stream: starts the local AWS test kit in this JVM (DynamoDB Local, S3Mock
 * and the export emulation), creates an {@code orders} table with a stream, point-in-time recovery and
 * {@value #EXISTING_ORDERS} orders, and runs {@link ChangeLogRoute} with a snapshot. Every existing order arrives as
 * READ; the stream then takes over at the export time minus the overlap (so the writes of the last minutes arrive
 * again as INSERT: nothing falls between snapshot and stream); then the demo makes inserts, updates and deletes (and a
 * shard rollover) and shows each arriving, and ends with a summary. Every change also goes through
 * {@link ReplicaSinkRoute} into an in-memory H2 replica, and the summary says whether the replica equals the table
 * item by item. No AWS account needed. {@code --once} (default)
 * ends after the summary; {@code --forever} keeps it running until Ctrl-C.
 */
public final class DemoMain {

    static final String TABLE = "orders";
    static final String BUCKET = "orders-exports";
    static final int EXISTING_ORDERS = 20;

    /**
     * What the demo saw: changes per operation, whether every change made arrived, and the replica's state; and the
     * same for the bulk replica (changes written by {@link BulkReplicaSinkRoute}, its state).
     */
    record Summary(Map<String, Integer> perOperation, int expected, int received, ReplicaComparison replica,
                   int bulkReceived, ReplicaComparison bulkReplica) {
        boolean complete() {
            return received == expected && bulkReceived == expected;
        }

        boolean succeeded() {
            return complete() && replica.equal() && bulkReplica.equal();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 || args.length == 1 && !List.of("--once", "--forever").contains(args[0])) {
            System.err.println("usage: DemoMain [--once | --forever]  (--once, the default, ends after the summary)");
            System.exit(2);
        }
        boolean forever = args.length == 1 && args[0].equals("--forever");
        Summary summary = run(forever);
        System.out.println();
        System.out.println("==== dynamodb-cdc demo summary ====");
        summary.perOperation().forEach((op, n) -> System.out.printf("  %-7s %d%n", op, n));
        System.out.println("  replica in H2: " + summary.replica().describe());
        System.out.println("  bulk replica in H2 (batches): " + summary.bulkReplica().describe() + "; "
                           + summary.bulkReceived() + " changes written");
        System.out.printf("  expected %d (%d orders as READ, the same %d again from the stream's overlap, %d changes"
                          + " made after the snapshot), received %d: %s%n", summary.expected(), EXISTING_ORDERS,
                EXISTING_ORDERS, summary.expected() - 2 * EXISTING_ORDERS, summary.received(),
                summary.complete() ? "nothing lost" : "INCOMPLETE");
        System.exit(summary.succeeded() ? 0 : 1);
    }

    static Summary run(boolean forever) throws Exception {
        File checkpoints = Files.createTempFile("dynamodb-cdc-demo", ".checkpoints").toFile();
        checkpoints.deleteOnExit();
        List<String> operations = new CopyOnWriteArrayList<>();
        AtomicInteger bulkWritten = new AtomicInteger();
        try (LocalAws aws = LocalAws.start(); ReplicaDatabase replica = ReplicaDatabase.inMemory("replica");
             ReplicaDatabase bulkReplica = ReplicaDatabase.inMemory("bulk-replica");
             CamelContext camel = new DefaultCamelContext()) {
            DynamoDbClient client = aws.dynamoDb();
            Tables.createWithStream(client, TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
            Tables.enablePointInTimeRecovery(client, TABLE);
            aws.createBucket(BUCKET);
            for (int i = 1; i <= EXISTING_ORDERS; i++) {
                String id = "existing-" + i;
                int qty = i;
                client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(id),
                        "status", AttributeValue.fromS("OPEN"), "qty", AttributeValue.fromN(Integer.toString(qty)))));
            }
            System.out.println("Local AWS is up: DynamoDB at " + aws.dynamoDbEndpoint() + ", S3 at " + aws.s3Endpoint()
                               + "; table '" + TABLE + "' has " + EXISTING_ORDERS + " orders, a stream and"
                               + " point-in-time recovery");

            camel.getPropertiesComponent().addInitialProperty("cdc.table", TABLE);
            camel.getPropertiesComponent().addInitialProperty("cdc.region", "us-east-1");
            camel.getPropertiesComponent().addInitialProperty("cdc.consumerId", "demo");
            camel.getPropertiesComponent().addInitialProperty("cdc.options", "&exportS3Bucket=" + BUCKET
                    + "&uriEndpointOverride=" + aws.dynamoDbEndpoint() + "&s3UriEndpointOverride=" + aws.s3Endpoint()
                    + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + LocalDynamoDb.SECRET_KEY
                    + "&exportPollInterval=200&idlePollDelay=200&shardDiscoveryInterval=2000");
            camel.getRegistry().bind("checkpoints", new FileCheckpointRepository(checkpoints));
            camel.getRegistry().bind("replica", replica.dataSource());
            // the same changes again, in batches, through the bulk route into a database of its own
            camel.getPropertiesComponent().addInitialProperty("cdc.bulkConsumerId", "demo-bulk");
            camel.getRegistry().bind(BulkReplicaSinkRoute.DATA_SOURCE, bulkReplica.dataSource());
            camel.addRoutes(new BatchCaptureRoute());
            camel.addRoutes(new BulkReplicaSinkRoute("direct:bulk-replica"));
            camel.addRoutes(new ChangeLogRoute());
            camel.addRoutes(new ReplicaSinkRoute("direct:replica"));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // counted once written to the replica: when the count is complete, so is the replica
                    from(ReplicaSinkRoute.CHANGES)
                            .to("direct:replica")
                            .process(e -> operations.add(
                                    e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION, String.class)));
                    from(BulkReplicaSinkRoute.BATCHES)
                            .to("direct:bulk-replica")
                            .process(e -> bulkWritten.addAndGet(
                                    e.getMessage().getHeader(BulkReplicaSink.WRITTEN, Integer.class)));
                }
            });
            camel.start();

            // the snapshot, then the stream's overlap: the existing orders again, as INSERTs
            int expected = 2 * EXISTING_ORDERS;
            awaitCount(operations, expected);
            awaitCount(bulkWritten::get, expected);
            expected += makeChanges(aws);
            awaitCount(operations, expected);
            awaitCount(bulkWritten::get, expected);
            if (forever) {
                System.out.println("Running until Ctrl-C: change table '" + TABLE + "' at " + aws.dynamoDbEndpoint());
                Thread.currentThread().join();
            }
            Map<String, Integer> perOperation = new TreeMap<>();
            operations.forEach(op -> perOperation.merge(op, 1, Integer::sum));
            return new Summary(perOperation, expected, operations.size(),
                    ReplicaComparison.of(aws.dynamoDb(), TABLE, replica), bulkWritten.get(),
                    ReplicaComparison.of(aws.dynamoDb(), TABLE, bulkReplica));
        }
    }

    private static void awaitCount(List<String> operations, int count) throws InterruptedException {
        awaitCount(() -> operations.size(), count);
    }

    private static void awaitCount(IntSupplier received, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.getAsInt() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Inserts, updates and deletes, with a shard rollover in the middle; returns how many changes were made. */
    static int makeChanges(LocalAws aws) {
        DynamoDbClient client = aws.dynamoDb();
        int changes = 0;
        for (int i = 1; i <= 5; i++) {
            String id = "order-" + i;
            int qty = i;
            // a binary attribute (B), shown in base64 by ChangeLogRoute and kept as such in the replica
            SdkBytes receipt = SdkBytes.fromByteArray(new byte[] { (byte) 0xca, (byte) 0xfe, 0, (byte) i });
            client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(id),
                    "status", AttributeValue.fromS("NEW"), "qty", AttributeValue.fromN(Integer.toString(qty)),
                    "receipt", AttributeValue.fromB(receipt))));
            changes++;
        }
        aws.dynamoDbLocal().triggerShardRollovers();
        for (int i = 1; i <= 3; i++) {
            String id = "order-" + i;
            client.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(id)))
                    .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("SHIPPED"))));
            changes++;
        }
        client.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("order-5"))));
        changes++;
        return changes;
    }

    private DemoMain() {
    }
}
