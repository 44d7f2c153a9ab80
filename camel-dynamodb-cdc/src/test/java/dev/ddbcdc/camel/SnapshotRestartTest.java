package dev.ddbcdc.camel;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A route stopped in the middle of the snapshot resumes it from its durable checkpoint. */
class SnapshotRestartTest {

    static final int ITEMS = 2000;

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    @TempDir
    Path dir;

    static List<Exchange> reads(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> "READ".equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION)))
                .collect(Collectors.toList());
    }

    static Set<String> positions(List<Exchange> reads) {
        return reads.stream().map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE) + "#"
                                       + e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_LINE))
                .collect(Collectors.toSet());
    }

    @Test
    void resumesAtTheDataFileLineWithoutASecondExportOrARedelivery() throws Exception {
        LocalAws aws = local.get();
        aws.createBucket("resume");
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), "resumable", StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), "resumable");
        SnapshotItems.fill(aws.dynamoDb(), "resumable", ITEMS);
        File file = dir.resolve("checkpoints.dat").toFile();
        String uri = CdcHarness.snapshotUri(aws, "resumable", "resume",
                "checkpointRepository=#checkpoints&maxConcurrentDataFiles=2");
        int exportsBefore = aws.exports().exportRequestCount();

        List<Exchange> first;
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", new FileCheckpointRepository(file))) {
            cdc.behaviour(exchange -> Thread.sleep(1));
            cdc.start(uri);
            cdc.await(600, Duration.ofSeconds(60));
            cdc.context.stop();
            first = reads(cdc.received);
        }
        assertTrue(first.size() < ITEMS, "stopped in the middle of the load: " + first.size());
        assertEquals(exportsBefore + 1, aws.exports().exportRequestCount());

        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", new FileCheckpointRepository(file))) {
            cdc.start(uri);
            CdcHarness.awaitCondition(() -> reads(cdc.received).size() >= ITEMS - first.size(), Duration.ofSeconds(60),
                    () -> "second run delivered " + reads(cdc.received).size() + " of " + (ITEMS - first.size()));
            Thread.sleep(300);
            List<Exchange> second = reads(cdc.received);
            Set<String> overlap = new HashSet<>(positions(first));
            overlap.retainAll(positions(second));
            assertEquals(Set.of(), overlap, "acknowledged items delivered again");
            Set<String> keys = new HashSet<>();
            first.forEach(e -> keys.add(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)));
            second.forEach(e -> keys.add(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)));
            assertEquals(ITEMS, keys.size(), "every item delivered in one of the runs");
            assertEquals(ITEMS, first.size() + second.size());
            assertEquals(exportsBefore + 1, aws.exports().exportRequestCount(), "no second export requested");
        }
    }

    /** A state repository whose content the test can read and rewrite between runs. */
    static final class MapStateRepository extends org.apache.camel.support.service.ServiceSupport
            implements org.apache.camel.spi.StateRepository<String, String> {
        final java.util.Map<String, String> states = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void setState(String key, String value) {
            states.put(key, value);
        }

        @Override
        public String getState(String key) {
            return states.get(key);
        }
    }

    /**
     * Checkpoints lost after items were acknowledged (as a crash between completion and checkpoint can do): with an
     * idempotent repository the items are read again but not delivered again.
     */
    @Test
    void anIdempotentRepositoryFiltersItemsWhoseCheckpointWasLost() throws Exception {
        LocalAws aws = local.get();
        aws.createBucket("lost");
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), "forgetful", StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), "forgetful");
        SnapshotItems.fill(aws.dynamoDb(), "forgetful", 300);
        MapStateRepository checkpoints = new MapStateRepository();
        org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository delivered =
                new org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository();
        delivered.setCacheSize(10_000);
        String uri = CdcHarness.snapshotUri(aws, "forgetful", "lost", "consumerId=forgetful"
                + "&checkpointRepository=#checkpoints&idempotentRepository=#delivered");
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).bind("delivered", delivered)) {
            cdc.start(uri);
            cdc.awaitPhase(dev.ddbcdc.camel.checkpoint.Phase.STREAMING, Duration.ofSeconds(60));
            assertEquals(300, reads(cdc.received).size());
        }
        // forget every data file's progress and go back to LOADING
        checkpoints.states.replaceAll((key, value) -> key.endsWith("/snapshot") ? value.replace("DONE", "LOADING")
                : key.contains("/snapshot/") ? "line:0" : value);
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).bind("delivered", delivered)) {
            cdc.start(uri);
            cdc.awaitPhase(dev.ddbcdc.camel.checkpoint.Phase.STREAMING, Duration.ofSeconds(60));
            assertEquals(List.of(), reads(cdc.received), "no item delivered twice");
            assertTrue(cdc.consumer().getSnapshotMetrics().itemsAlreadyDelivered.get() >= 300, "the items were read again");
            assertEquals(0, cdc.consumer().getMetrics().recordsAlreadyDelivered.get(),
                    "snapshot duplicates are counted as the snapshot's, not the stream's");
        }
    }
}
