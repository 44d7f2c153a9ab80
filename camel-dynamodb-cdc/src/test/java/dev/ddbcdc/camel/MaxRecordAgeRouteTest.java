package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.flow.RecordAgeExceededException;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxRecordAge} through a real route against DynamoDB Local: records made to look two hours old are skipped
 * (counted, logged once, handed to the exception handler with their shard and range), the younger ones are delivered,
 * and the checkpoint passes the skipped ones so a restart neither delivers nor reports them again.
 */
class MaxRecordAgeRouteTest {

    static final String TABLE = "aged";

    LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        ddb = LocalDynamoDb.start();
        Tables.createWithStream(ddb.client(), TABLE, StreamViewType.NEW_IMAGE);
    }

    @AfterEach
    void stop() {
        ddb.close();
    }

    void put(String pk) {
        ddb.client().putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    @Test
    void recordsOlderThanTheLimitAreSkippedSurfacedAndCheckpointed() throws Exception {
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("cp.dat").toFile());
        String uri = CdcHarness.uri(ddb, TABLE, "checkpointRepository=#checkpoints&startPosition=TRIM_HORIZON"
                                               + "&maxRecordAge=1h");
        put("old-1");
        put("old-2");
        put("old-3");
        ddb.dilateEventTimes(Duration.ofHours(2));
        put("young-1");
        put("young-2");

        MeterRegistry registry = new SimpleMeterRegistry();
        try (LogCapture logs = new LogCapture();
             CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints)
                     .bind(MetricsRegistration.REGISTRY_NAME, registry).start(uri)) {
            List<Exchange> received = cdc.await(2, Duration.ofSeconds(20));
            cdc.assertNoMoreThan(2, Duration.ofMillis(500));
            assertEquals(List.of("young-1", "young-2"), received.stream()
                    .map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)).toList());

            assertEquals(3, cdc.consumer().getMetrics().recordsTooOld.get());
            assertEquals(3.0, registry.get("camel.dynamodb.cdc.change.events.skipped").tag("reason", "too_old")
                    .functionCounter().count());
            assertEquals(1, cdc.handled.size(), "one report for the one GetRecords call: " + cdc.handled);
            RecordAgeExceededException skip = assertInstanceOf(RecordAgeExceededException.class, cdc.handled.get(0));
            assertEquals(3, skip.count());
            String shardId = received.get(0).getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID, String.class);
            assertEquals(shardId, skip.shardId());
            assertTrue(new java.math.BigInteger(skip.firstSequenceNumber())
                    .compareTo(new java.math.BigInteger(skip.lastSequenceNumber())) < 0, skip.getMessage());
            assertTrue(skip.getMessage().contains("Table " + TABLE + " shard " + shardId + ": skipped 3 stream"
                                                  + " records older than maxRecordAge (PT1H)"), skip.getMessage());
            assertEquals(skip.getMessage(), cdc.handledMessages.get(0));
            assertEquals(1, logs.count("LossPolicy", "older than maxRecordAge"),
                    "one WARN line for the batch: " + logs.lines);
            assertTrue(logs.lines.stream().anyMatch(l -> l.startsWith("WARN ") && l.contains("skipped 3 stream records")
                                                         && l.contains(skip.lastSequenceNumber())), "" + logs.lines);
        }

        // the skipped records were checkpointed: a restart neither delivers nor reports them again
        put("young-3");
        try (CdcHarness again = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            List<Exchange> received = again.await(1, Duration.ofSeconds(20));
            again.assertNoMoreThan(1, Duration.ofMillis(500));
            assertEquals("young-3", received.get(0).getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
            assertEquals(List.of(), again.handled);
            assertEquals(0, again.consumer().getMetrics().recordsTooOld.get());
        }
    }
}
