package dev.ddbcdc.camel;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot by parallel Scan ({@code snapshotMode=SCAN}) against DynamoDB Local: every item of every attribute
 * type once with its exact value, writes during the scan converging in a versioned sink once the stream took over, a
 * restart in the middle of the scan resuming each segment where it was, the read budget, and snapshotOnly.
 */
class ScanSnapshotTest {

    static final int ITEMS = 3000;
    static final int SEGMENTS = 4;

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    /** A table with {@code pk} (S) and {@code sk} (N) and no stream (a snapshot only needs none). */
    static void createWithoutStream(String table) {
        ddb.client().createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType("N").build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
    }

    static String scanUri(String table, String options) {
        return CdcHarness.uri(ddb, table, "snapshotMode=SCAN&scanSegments=" + SEGMENTS + "&" + options);
    }

    static Set<String> readKeys(List<Exchange> exchanges) {
        Set<String> keys = new HashSet<>();
        for (Exchange exchange : exchanges) {
            if ("READ".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))) {
                keys.add(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class));
            }
        }
        return keys;
    }

    @Test
    void snapshotOnlyDeliversEveryItemOnceWithItsExactValueAndEndsDone() throws Exception {
        String table = "scan_only";
        createWithoutStream(table);
        SnapshotItems.fill(ddb.client(), table, ITEMS);
        Map<String, Object> expected = SnapshotItems.table(ddb.client(), table);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("only.dat").toFile());
        String uri = scanUri(table, "snapshotOnly=true&checkpointRepository=#checkpoints");
        long before = System.currentTimeMillis();
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            cdc.awaitPhase(Phase.DONE, Duration.ofSeconds(60));
            Map<String, Object> got = new TreeMap<>();
            Set<Long> versions = new HashSet<>();
            for (Exchange item : List.copyOf(cdc.received)) {
                org.apache.camel.Message message = item.getMessage();
                assertEquals("READ", message.getHeader(DynamoDbCdcConstants.OPERATION));
                Map<?, ?> body = message.getBody(Map.class);
                assertTrue(body.get("sk") instanceof BigDecimal, "numbers are exact: " + body.get("sk"));
                String key = message.getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
                assertEquals(SnapshotItems.key((String) body.get("pk"), body.get("sk")), key);
                assertNull(got.put(key, SnapshotItems.comparable(body)), "delivered twice: " + key);
                int segment = message.getHeader(DynamoDbCdcConstants.SCAN_SEGMENT, Integer.class);
                assertTrue(segment >= 0 && segment < SEGMENTS, "segment " + segment);
                assertNull(message.getHeader(DynamoDbCdcConstants.EXPORT_ARN));
                assertNull(message.getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE));
                long scanBegan = message.getHeader(DynamoDbCdcConstants.TIMESTAMP, Long.class);
                assertTrue(scanBegan >= before && scanBegan <= System.currentTimeMillis(), "the scan's start time");
                versions.add(message.getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class));
            }
            assertEquals(expected, got, "every item, value for value, once");
            assertEquals(1, versions.size(), "one version for the whole snapshot");
            SnapshotMetrics metrics = cdc.consumer().getSnapshotMetrics();
            assertEquals(SEGMENTS, metrics.segmentsDone.get());
            assertEquals(SEGMENTS, metrics.segmentsTotal.get());
            assertEquals(ITEMS, metrics.itemsAcknowledged.sum());
            assertEquals(ITEMS, metrics.itemsTotal.get(), "DescribeTable's item count");
            assertTrue(metrics.readUnits.sum() > 0, "the read units DynamoDB reported");
            HealthCheck.Result ready = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.UP, ready.getState(), "" + ready.getMessage());
            assertEquals("SCAN", ready.getDetails().get("snapshot.mode"));
            assertEquals((long) SEGMENTS, ready.getDetails().get("snapshot.segments.done"));
        }
        try (CdcHarness again = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            again.awaitPhase(Phase.DONE, Duration.ofSeconds(10));
            again.assertNoMoreThan(0, Duration.ofMillis(500));
        }
    }

    /**
     * Stopped in the middle of the scan, the consumer resumes each segment after its last acknowledged item: what
     * the first run delivered is not delivered again (beyond what was in flight, one item a segment with this
     * synchronous route), and the two runs together deliver every item. A restart with another segmentation is
     * refused while the scan is unfinished.
     */
    @Test
    void aRestartInTheMiddleOfTheScanResumesEachSegment() throws Exception {
        String table = "scan_restart";
        createWithoutStream(table);
        SnapshotItems.fill(ddb.client(), table, ITEMS);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("restart.dat").toFile());
        String options = "snapshotOnly=true&checkpointRepository=#checkpoints&scanPageSize=50&scanItemsPerSecond=1500";
        Set<String> first;
        long firstStarted = System.currentTimeMillis();
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).start(scanUri(table, options))) {
            cdc.await(ITEMS / 3, Duration.ofSeconds(30));
            double rate = cdc.received.size() * 1000.0 / (System.currentTimeMillis() - firstStarted);
            assertTrue(rate <= 1500 * 1.10, "the items budget holds: " + rate + " items/s");
            cdc.close();
            first = readKeys(List.copyOf(cdc.received));
            assertEquals(cdc.received.size(), first.size(), "nothing twice within the run");
        }
        assertTrue(first.size() < ITEMS, "stopped in the middle: " + first.size());
        String tableArn = ddb.client().describeTable(b -> b.tableName(table)).table().tableArn();
        SnapshotCheckpointStore store = new SnapshotCheckpointStore(checkpoints, new CheckpointKeys("default", tableArn));
        SnapshotState state = store.load();
        assertEquals(SnapshotMode.SCAN, state.mode());
        assertEquals(Phase.SCANNING, state.phase());
        assertEquals(SEGMENTS, state.segments());
        int resumable = 0;
        for (int segment = 0; segment < SEGMENTS; segment++) {
            resumable += store.segmentPosition(state, segment) != null ? 1 : 0;
        }
        assertEquals(SEGMENTS, resumable, "every segment checkpointed its last acknowledged key");

        String refused = StartupValidationTest.startFailure(new CdcHarness().bind("checkpoints", checkpoints),
                CdcHarness.uri(ddb, table, "snapshotMode=SCAN&scanSegments=2&" + options));
        assertTrue(refused.contains("scanSegments is 2, but the scan in progress") && refused.contains("begun with 4")
                   && refused.contains("Set scanSegments=4"), refused);

        try (CdcHarness again = new CdcHarness().bind("checkpoints", checkpoints).start(scanUri(table, options))) {
            again.awaitPhase(Phase.DONE, Duration.ofSeconds(60));
            Set<String> second = readKeys(List.copyOf(again.received));
            assertEquals(again.received.size(), second.size(), "nothing twice within the run");
            Set<String> both = new HashSet<>(first);
            both.retainAll(second);
            assertTrue(both.size() <= SEGMENTS, "delivered again: " + both.size() + " " + both);
            Set<String> all = new HashSet<>(first);
            all.addAll(second);
            assertEquals(SnapshotItems.table(ddb.client(), table).keySet(), all, "every item, across the restart");
            assertEquals(state.time(), store.load().time(), "the same scan, finished");
            assertTrue(store.load().isDone());
        }
    }

    /** The measured rate of read units stays within the budget (+10%), and not far below it. */
    @Test
    void theReadBudgetHolds() throws Exception {
        String table = "scan_budget";
        createWithoutStream(table);
        SnapshotItems.fill(ddb.client(), table, ITEMS);
        double budget = 30;
        long started = System.currentTimeMillis();
        try (CdcHarness cdc = new CdcHarness().start(scanUri(table, "snapshotOnly=true&scanPageSize=50"
                                                                       + "&scanReadUnitsPerSecond=" + budget))) {
            cdc.awaitPhase(Phase.DONE, Duration.ofSeconds(60));
            double seconds = (System.currentTimeMillis() - started) / 1000.0;
            double units = cdc.consumer().getSnapshotMetrics().readUnits.sum();
            double rate = units / seconds;
            assertTrue(units >= 2 * budget, "enough reading to measure: " + units + " units");
            assertTrue(rate <= budget * 1.10, rate + " read units/s for a budget of " + budget);
            assertTrue(rate >= budget * 0.6, rate + " read units/s for a budget of " + budget);
            assertEquals(ITEMS, readKeys(List.copyOf(cdc.received)).size());
        }
    }

    /**
     * A sink that keeps, per item, the change with the highest document version ends equal to the table, although
     * the table kept changing while it was scanned: every change from the scan's start minus the overlap comes from
     * the stream, with a version above the scan items'.
     */
    @Test
    void writesDuringTheScanConvergeInAVersionedSinkOnceTheStreamTakesOver() throws Exception {
        String table = "scan_live";
        Tables.createWithSortKeyAndStream(ddb.client(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        SnapshotItems.fill(ddb.client(), table, ITEMS);
        VersionedSink sink = new VersionedSink();
        Random random = new Random(11);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.behaviour(sink);
            cdc.start(scanUri(table, "scanPageSize=100&scanItemsPerSecond=1200&consumerId=live"));
            long until = System.currentTimeMillis() + 2000;
            int writes = 0;
            int duringTheScan = 0;
            while (System.currentTimeMillis() < until) {
                duringTheScan += cdc.consumer().getPhase() == Phase.SCANNING ? 1 : 0;
                SnapshotItems.writeRandomly(ddb.client(), table, random, ITEMS + 600, writes++);
            }
            assertTrue(duringTheScan > writes / 2, duringTheScan + " of " + writes + " writes while the table was scanned");
            sink.awaitEqualTo(SnapshotItems.table(ddb.client(), table), Duration.ofSeconds(60));
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(10));
            List<Exchange> reads = cdc.received.stream()
                    .filter(e -> "READ".equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))).toList();
            assertTrue(reads.size() >= ITEMS - writes, "the scan read the table: " + reads.size());
            long readVersion = reads.get(0).getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
            assertTrue(cdc.received.stream().filter(e -> !"READ".equals(e.getMessage()
                    .getHeader(DynamoDbCdcConstants.OPERATION))).allMatch(e -> e.getMessage()
                            .getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class) > readVersion),
                    "every stream record outranks the scan's items");
            assertNotNull(reads.get(0).getMessage().getHeader(DynamoDbCdcConstants.SCAN_SEGMENT));
        }
    }

    @Test
    void aFractionOfTheReadCapacityOfAnOnDemandTableIsRefusedAtStart() {
        String table = "scan_on_demand";
        createWithoutStream(table);
        String message = StartupValidationTest.startFailure(scanUri(table, "snapshotOnly=true"
                                                                           + "&scanReadCapacityFraction=0.5"));
        assertTrue(message.contains("is on-demand (PAY_PER_REQUEST)") && message.contains("scanReadUnitsPerSecond"),
                message);
    }

    @Test
    void badCombinationsOfSnapshotOptionsFailTheStartNamingTheFix() {
        String message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any",
                "snapshotMode=SCAN&exportS3Bucket=b"));
        assertTrue(message.contains("snapshotMode=SCAN reads the table with Scan calls and needs no export, but"
                                    + " exportS3Bucket is set"), message);
        message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any", "snapshotMode=EXPORT"));
        assertTrue(message.contains("snapshotMode=EXPORT needs exportS3Bucket"), message);
        message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any", "snapshotMode=NONE&exportS3Bucket=b"));
        assertTrue(message.contains("snapshotMode=NONE takes no snapshot, but exportS3Bucket is set"), message);
        message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any", "snapshotMode=NONE&snapshotOnly=true"));
        assertTrue(message.contains("snapshotOnly needs a snapshot"), message);
        message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any", "scanSegments=8"));
        assertTrue(message.contains("scanSegments is set, but the snapshot mode is NONE"), message);
        message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any",
                "snapshotMode=SCAN&scanReadUnitsPerSecond=10&scanItemsPerSecond=100"));
        assertTrue(message.contains("scanReadUnitsPerSecond and scanItemsPerSecond are set"), message);
        message = StartupValidationTest.startFailure(CdcHarness.uri(ddb, "any", "snapshotMode=SCAN&scanSegments=0"));
        assertTrue(message.contains("scanSegments must be between 1 and 100"), message);
    }

    /**
     * A failed exchange is not acknowledged: its segment is scanned again after the last acknowledged item, the item
     * is delivered again, nothing is skipped, and the snapshot completes only once it succeeded. With batches, a
     * batch holds items of one segment.
     */
    @Test
    void aFailedItemIsDeliveredAgainAndBatchesHoldOneSegment() throws Exception {
        String table = "scan_retry";
        createWithoutStream(table);
        SnapshotItems.fill(ddb.client(), table, 500);
        String poison = SnapshotItems.key("item-5", new BigDecimal(5));
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.behaviour(exchange -> {
                if (poison.equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))
                    && failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("sink unavailable");
                }
            });
            cdc.start(scanUri(table, "snapshotOnly=true&scanPageSize=40"));
            cdc.awaitPhase(Phase.DONE, Duration.ofSeconds(60));
            assertEquals(2, failures.get(), "delivered once more after the failure");
            assertEquals(SnapshotItems.table(ddb.client(), table).keySet(), readKeys(List.copyOf(cdc.received)));
            SnapshotMetrics metrics = cdc.consumer().getSnapshotMetrics();
            assertEquals(1, metrics.failedExchanges.get());
            assertTrue(metrics.rewinds.get() >= 1);
            assertTrue(cdc.received.size() - 500 < 40, "only what was in flight after the failure is delivered again: "
                                                       + (cdc.received.size() - 500));
        }
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(scanUri(table, "snapshotOnly=true&consumerId=batches&batchSize=50&batchWindow=200"));
            cdc.awaitPhase(Phase.DONE, Duration.ofSeconds(60));
            Set<String> keys = new HashSet<>();
            for (Exchange batch : List.copyOf(cdc.received)) {
                List<?> items = batch.getMessage().getBody(List.class);
                Set<Object> segments = new HashSet<>();
                for (Object item : items) {
                    org.apache.camel.Message message = ((Exchange) item).getMessage();
                    segments.add(message.getHeader(DynamoDbCdcConstants.SCAN_SEGMENT));
                    assertTrue(keys.add(message.getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)));
                }
                assertEquals(1, segments.size(), "a batch holds items of one segment: " + segments);
            }
            assertEquals(500, keys.size());
        }
    }
}
