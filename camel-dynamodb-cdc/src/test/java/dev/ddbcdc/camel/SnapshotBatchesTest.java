package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot items in batches: each batch holds items of one data file, in line order; every item once. */
class SnapshotBatchesTest {

    static final int ITEMS = 600;

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    @Test
    void snapshotItemsArriveInBatchesOfOneDataFileInLineOrder() throws Exception {
        LocalAws aws = local.get();
        aws.createBucket("batched");
        String table = "batched_snapshot";
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        SnapshotItems.fill(aws.dynamoDb(), table, ITEMS);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(CdcHarness.snapshotUri(aws, table, "batched", "batchSize=50&batchWindow=200"));
            // the stream's overlap brings the same items again as INSERTs, in batches of their shard
            CdcHarness.awaitCondition(() -> BatchDeliveryTest.keys(cdc.received).size() >= 2 * ITEMS,
                    Duration.ofSeconds(60), () -> "received " + BatchDeliveryTest.keys(cdc.received).size());
            Thread.sleep(300);
            Set<String> keys = new HashSet<>();
            Map<String, Long> lastLine = new java.util.HashMap<>();
            int full = 0;
            for (Exchange batch : new ArrayList<>(cdc.received)) {
                List<Exchange> items = BatchDeliveryTest.items(batch);
                if (items.get(0).getMessage().getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE) == null) {
                    assertTrue(items.stream().allMatch(i -> "INSERT".equals(
                            i.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))), "a stream batch");
                    continue;
                }
                assertTrue(items.size() <= 50, "batch of " + items.size());
                full += items.size() == 50 ? 1 : 0;
                String file = items.get(0).getMessage().getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE, String.class);
                for (Exchange item : items) {
                    assertEquals("READ", item.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
                    assertEquals(file, item.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE),
                            "one data file per batch");
                    long line = item.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_LINE, Long.class);
                    assertTrue(line > lastLine.getOrDefault(file, 0L), "line order within " + file);
                    lastLine.put(file, line);
                    assertTrue(keys.add(BatchDeliveryTest.key(item)), "delivered twice: " + BatchDeliveryTest.key(item));
                }
            }
            assertEquals(ITEMS, keys.size());
            assertTrue(full > 0, "full batches");
        }
    }

    /**
     * The last batch of each data file goes at the file's end, not after the batch window (a minute here, longer
     * than the test): every item arrives and the snapshot hands over to the stream.
     */
    @Test
    void theLastBatchOfADataFileGoesAtItsEndNotAfterTheWindow() throws Exception {
        LocalAws aws = local.get();
        aws.createBucket("lastbatch");
        String table = "last_batch_snapshot";
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        SnapshotItems.fill(aws.dynamoDb(), table, ITEMS);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(CdcHarness.snapshotUri(aws, table, "lastbatch", "batchSize=5000&batchWindow=60000"));
            CdcHarness.awaitCondition(() -> snapshotItems(cdc.received) >= ITEMS, Duration.ofSeconds(30),
                    () -> "received " + snapshotItems(cdc.received) + " snapshot items");
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(10));
            assertEquals(ITEMS, snapshotItems(cdc.received));
        }
    }

    private static long snapshotItems(List<Exchange> batches) {
        return new ArrayList<>(batches).stream().flatMap(b -> BatchDeliveryTest.items(b).stream())
                .filter(i -> i.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE) != null).count();
    }
}
