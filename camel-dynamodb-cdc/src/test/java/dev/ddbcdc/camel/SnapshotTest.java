package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshot then stream against the local AWS test kit: the export is requested through the real SDK from the
 * export emulation, written into S3Mock in the real layout and format, and read back by the consumer.
 */
class SnapshotTest {

    static final int ITEMS = 3000;
    static final String TABLE = "catalog";
    static final String BUCKET = "snapshots";

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static LocalAws aws;
    static Map<String, Object> expected;

    @BeforeAll
    static void fill() {
        aws = local.get();
        aws.createBucket(BUCKET);
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), TABLE);
        SnapshotItems.fill(aws.dynamoDb(), TABLE, ITEMS);
        expected = SnapshotItems.table(aws.dynamoDb(), TABLE);
        assertEquals(ITEMS, expected.size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "DYNAMODB_JSON", "ION" })
    void everyItemArrivesOnceAsReadWithItsExactValueThenTheStreamTakesOver(String format) throws Exception {
        int exportsBefore = aws.exports().exportRequestCount();
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(CdcHarness.snapshotUri(aws, TABLE, BUCKET, "exportFormat=" + format + "&consumerId=" + format
                                                                  + "&exportS3Prefix=" + format.toLowerCase()));
            List<Exchange> reads = cdc.await(ITEMS, Duration.ofSeconds(60));
            Map<String, Object> got = new HashMap<>();
            Set<Long> versions = new HashSet<>();
            String exportArn = null;
            for (Exchange exchange : reads) {
                assertEquals("READ", exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
                Map<?, ?> body = exchange.getMessage().getBody(Map.class);
                String key = exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
                assertEquals(SnapshotItems.key((String) body.get("pk"), body.get("sk")), key);
                assertEquals(key, exchange.getMessage().getHeader(DynamoDbCdcConstants.PARTITION_KEY) + "|"
                                  + exchange.getMessage().getHeader(DynamoDbCdcConstants.SORT_KEY));
                Object previous = got.put(key, SnapshotItems.comparable(body));
                assertEquals(null, previous, "delivered twice: " + key);
                versions.add(exchange.getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class));
                exportArn = exchange.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_ARN, String.class);
                assertNotNull(exchange.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE));
            }
            assertEquals(expected, got, "every item, value for value");
            assertEquals(1, versions.size(), "one version for the whole snapshot");
            assertTrue(exportArn.contains(":table/" + TABLE + "/export/"), exportArn);
            assertEquals(exportsBefore + 1, aws.exports().exportRequestCount());

            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(10));
            aws.dynamoDb().putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("after-" + format),
                    "sk", AttributeValue.fromN("1"))));
            CdcHarness.awaitCondition(() -> cdc.received.stream().anyMatch(e -> ("after-" + format + "|1")
                    .equals(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))), Duration.ofSeconds(20),
                    () -> "the change made after the snapshot");
            Exchange insert = cdc.received.stream().filter(e -> ("after-" + format + "|1")
                    .equals(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))).findFirst().get();
            assertEquals("INSERT", insert.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
            assertTrue(insert.getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class)
                       > versions.iterator().next(), "a stream record outranks every snapshot item");
            assertFalse(cdc.received.stream().skip(ITEMS).anyMatch(
                    e -> "READ".equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))));
            assertEquals(ITEMS, cdc.consumer().getSnapshotMetrics().itemsAcknowledged.sum());
            aws.dynamoDb().deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("after-" + format),
                    "sk", AttributeValue.fromN("1"))));
        }
    }

    /**
     * A sink that keeps, per item, the change with the highest document version (a tombstone for REMOVE) ends equal
     * to the table, although the table kept changing while the export ran and while the snapshot loaded.
     */
    @Test
    void writesDuringTheExportConvergeInAVersionedSink() throws Exception {
        String table = "live";
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        SnapshotItems.fill(aws.dynamoDb(), table, 400);
        VersionedSink sink = new VersionedSink();
        aws.exports().exportDelay(Duration.ofSeconds(2));
        java.util.Random random = new java.util.Random(7);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.behaviour(sink);
            cdc.start(CdcHarness.snapshotUri(aws, table, BUCKET, "consumerId=live"));
            long until = System.currentTimeMillis() + 4000;
            int writes = 0;
            while (System.currentTimeMillis() < until) {
                SnapshotItems.writeRandomly(aws.dynamoDb(), table, random, 600, writes++);
            }
            sink.awaitEqualTo(SnapshotItems.table(aws.dynamoDb(), table), Duration.ofSeconds(60));
            assertTrue(cdc.received.stream().anyMatch(e -> "READ".equals(e.getMessage()
                    .getHeader(DynamoDbCdcConstants.OPERATION))));
        } finally {
            aws.exports().exportDelay(Duration.ZERO);
        }
    }

    /**
     * A failed exchange is not acknowledged: its data file is read again from the last acknowledged line, the item
     * is delivered again, and the snapshot completes only once it succeeded.
     */
    @Test
    void aFailedItemIsDeliveredAgainBeforeTheSnapshotCompletes() throws Exception {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        String poison = SnapshotItems.key("item-5", new java.math.BigDecimal(5));
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.behaviour(exchange -> {
                if (poison.equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))
                    && failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("sink unavailable");
                }
            });
            cdc.start(CdcHarness.snapshotUri(aws, TABLE, BUCKET, "consumerId=retry&exportS3Prefix=retry"));
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
            assertEquals(2, failures.get(), "delivered once more after the failure");
            Set<String> keys = new HashSet<>();
            cdc.received.stream().filter(e -> "READ".equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION)))
                    .forEach(e -> keys.add(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)));
            assertEquals(expected.keySet(), keys, "every item completed");
            assertEquals(1, cdc.consumer().getSnapshotMetrics().failedExchanges.get());
            assertTrue(cdc.consumer().getSnapshotMetrics().rewinds.get() >= 1);
        }
    }
}
