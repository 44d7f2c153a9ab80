package dev.ddbcdc.camel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches of changes in one exchange: order, partial failures, bisection, across a rollover and a restart. */
class BatchDeliveryTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    static void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    @SuppressWarnings("unchecked")
    static List<Exchange> items(Exchange batch) {
        return (List<Exchange>) batch.getMessage().getBody(List.class);
    }

    static String key(Exchange item) {
        return item.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
    }

    /** The keys of every item of every batch received, in the order received. */
    static List<String> keys(List<Exchange> batches) {
        List<String> keys = new ArrayList<>();
        batches.forEach(batch -> items(batch).forEach(item -> keys.add(key(item))));
        return keys;
    }

    static List<String> expected(String prefix, int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    String uri(String table, String options) {
        return CdcHarness.uri(ddb, table, "startPosition=TRIM_HORIZON&checkpointRepository=#checkpoints&" + options);
    }

    CdcHarness harness(File checkpoints) {
        return new CdcHarness().bind("checkpoints", new FileCheckpointRepository(checkpoints));
    }

    @Test
    void changesOfAShardArriveInBatchesInOrderAcrossARollover() throws Exception {
        String table = "batches";
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        try (CdcHarness cdc = harness(dir.resolve("c.dat").toFile())) {
            cdc.start(uri(table, "batchSize=5&batchWindow=300"));
            for (int i = 0; i < 12; i++) {
                put(table, "k" + i);
            }
            ddb.triggerShardRollovers(); // the rest in the child shard, read once the parent ended
            for (int i = 12; i < 20; i++) {
                put(table, "k" + i);
            }
            CdcHarness.awaitCondition(() -> keys(cdc.received).size() >= 20, Duration.ofSeconds(20),
                    () -> "received " + keys(cdc.received));
            Thread.sleep(300);
            assertEquals(expected("k", 0, 20), keys(cdc.received));
            for (Exchange batch : cdc.received) {
                int size = items(batch).size();
                assertTrue(size >= 1 && size <= 5, "batch of " + size);
                assertEquals(size, batch.getMessage().getHeader(DynamoDbCdcConstants.BATCH_SIZE));
                String shard = items(batch).get(0).getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID, String.class);
                assertTrue(items(batch).stream().allMatch(item -> shard.equals(
                        item.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID))), "one shard per batch");
            }
            assertTrue(cdc.received.stream().anyMatch(batch -> items(batch).size() == 5), "full batches go at once");
        }
    }

    /**
     * A shard that ended sends its last, partial batch at once, also from each of its lanes; the child shard's batch,
     * which nothing ended, waits for its window (a minute here, longer than the test).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void theLastBatchOfAShardThatEndedGoesAtOnceNotAfterTheWindow(int lanes) throws Exception {
        String table = "ended" + lanes;
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        try (CdcHarness cdc = harness(dir.resolve("c.dat").toFile())) {
            cdc.start(uri(table, "batchSize=100&batchWindow=60000&lanesPerShard=" + lanes));
            for (int i = 0; i < 12; i++) {
                put(table, "k" + i);
            }
            ddb.triggerShardRollovers();
            for (int i = 12; i < 20; i++) {
                put(table, "k" + i);
            }
            CdcHarness.awaitCondition(() -> keys(cdc.received).size() >= 12, Duration.ofSeconds(20),
                    () -> "received " + keys(cdc.received));
            Thread.sleep(500);
            List<String> received = keys(cdc.received);
            assertEquals(Set.copyOf(expected("k", 0, 12)), Set.copyOf(received), "the ended shard's changes only");
            assertEquals(12, received.size());
            assertTrue(cdc.received.size() <= lanes, cdc.received.size() + " batches from " + lanes + " lanes");
        }
    }

    /**
     * The route reports the third item of a batch failed, once: the two before it are acknowledged, it and the rest
     * come again. After a restart nothing acknowledged comes again and nothing is skipped.
     */
    @Test
    void aPartialFailureAcknowledgesWhatCameBeforeAndDeliversTheRestAgainAlsoAfterARestart() throws Exception {
        String table = "partial";
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        File checkpoints = dir.resolve("p.dat").toFile();
        AtomicBoolean reported = new AtomicBoolean();
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        try (CdcHarness cdc = harness(checkpoints)) {
            cdc.behaviour(batch -> {
                List<Exchange> items = items(batch);
                if (items.size() >= 3 && reported.compareAndSet(false, true)) {
                    batch.setProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES, List.of(2));
                    items.subList(0, 2).forEach(item -> acknowledged.add(key(item)));
                }
            });
            for (int i = 0; i < 6; i++) {
                put(table, "p" + i);
            }
            cdc.start(uri(table, "batchSize=6&batchWindow=200"));
            CdcHarness.awaitCondition(() -> keys(cdc.received).size() >= 10, Duration.ofSeconds(20),
                    () -> "received " + keys(cdc.received));
            Thread.sleep(300);
            List<String> keys = keys(cdc.received);
            assertEquals(expected("p", 0, 6), keys.subList(0, 6), "the first batch");
            assertEquals(expected("p", 2, 6), keys.subList(6, 10), "delivered again from the first failed item");
            assertEquals(List.of("p0", "p1"), acknowledged);
        }
        for (int i = 6; i < 8; i++) {
            put(table, "p" + i);
        }
        try (CdcHarness restarted = harness(checkpoints)) {
            restarted.start(uri(table, "batchSize=6&batchWindow=200"));
            CdcHarness.awaitCondition(() -> keys(restarted.received).size() >= 2, Duration.ofSeconds(20),
                    () -> "after the restart: " + keys(restarted.received));
            Thread.sleep(500);
            assertEquals(List.of("p6", "p7"), keys(restarted.received), "nothing acknowledged again, nothing skipped");
        }
    }

    /**
     * A batch holding a poison change fails whole; bisection sends it again in halves until the poison is alone, so
     * the changes before it are acknowledged and stored; the poison and what follows it are not.
     */
    @Test
    void bisectionIsolatesAPoisonChangeAndAcknowledgesTheChangesBeforeIt() throws Exception {
        String table = "poison";
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        File checkpoints = dir.resolve("x.dat").toFile();
        List<List<String>> attempts = new CopyOnWriteArrayList<>();
        try (CdcHarness cdc = harness(checkpoints)) {
            cdc.behaviour(batch -> {
                List<String> keys = items(batch).stream().map(BatchDeliveryTest::key).toList();
                attempts.add(keys);
                if (keys.contains("x5")) {
                    throw new IllegalStateException("poison");
                }
            });
            for (int i = 0; i < 8; i++) {
                put(table, "x" + i);
            }
            cdc.start(uri(table, "batchSize=8&batchWindow=200&bisectBatchOnError=true"));
            CdcHarness.awaitCondition(() -> attempts.stream().anyMatch(a -> a.equals(List.of("x5"))),
                    Duration.ofSeconds(20), () -> "attempts " + attempts);
            assertEquals(List.of("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"), attempts.get(0));
            assertEquals(List.of("x0", "x1", "x2", "x3"), attempts.get(1), "the first half");
            assertEquals(List.of("x4", "x5", "x6", "x7"), attempts.get(2), "then the second");
            assertEquals(List.of("x4", "x5"), attempts.get(3));
            assertEquals(List.of("x4"), attempts.get(4));
            assertEquals(List.of("x5"), attempts.get(5), "the poison, alone; x6 and x7 wait behind it");
            assertTrue(attempts.subList(0, 6).stream().noneMatch(a -> a.equals(List.of("x6", "x7"))));
            CdcHarness.awaitCondition(() -> String.valueOf(positionOf(checkpoints)).contains("seq:"),
                    Duration.ofSeconds(10), () -> "no position stored");
        }
        // stored: the position of x4, the last change before the poison
        try (CdcHarness again = harness(checkpoints)) {
            again.behaviour(batch -> {
            });
            again.start(uri(table, "batchSize=8&batchWindow=200"));
            CdcHarness.awaitCondition(() -> keys(again.received).size() >= 3, Duration.ofSeconds(20),
                    () -> "after the restart " + keys(again.received));
            Thread.sleep(300);
            assertEquals(List.of("x5", "x6", "x7"), keys(again.received), "resumed at the poison");
        }
    }

    private static String positionOf(File checkpoints) {
        try {
            return Files.exists(checkpoints.toPath()) ? Files.readString(checkpoints.toPath()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
