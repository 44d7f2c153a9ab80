package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.flow.TrimmedDataException;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records trimmed before they were read are surfaced (exception handler, counter), never skipped silently. */
class TrimmedDataTest {

    LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        ddb = LocalDynamoDb.start();
    }

    @AfterEach
    void stop() {
        ddb.close();
    }

    void put(String pk) {
        ddb.client().putItem(b -> b.tableName("trimmed").item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    @Test
    void aCheckpointOlderThanTheRetentionIsSurfaced() throws Exception {
        Tables.createWithStream(ddb.client(), "trimmed", StreamViewType.NEW_IMAGE);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("cp.dat").toFile());
        String uri = CdcHarness.uri(ddb, "trimmed", "checkpointRepository=#checkpoints&startPosition=TRIM_HORIZON");
        put("read-1");
        put("read-2");
        try (CdcHarness first = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            first.await(2, Duration.ofSeconds(20));
        }
        put("lost-1");
        put("lost-2");
        ddb.dilateEventTimes(Duration.ofHours(25));
        put("after-trim");

        try (CdcHarness second = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            CdcHarness.awaitCondition(() -> !second.handled.isEmpty(), Duration.ofSeconds(20),
                    () -> "the loss reached the exception handler");
            Throwable loss = second.handled.get(0);
            assertTrue(loss instanceof TrimmedDataException, "was " + loss);
            assertTrue(loss.getMessage().contains("trimmed") && loss.getMessage().contains("Table trimmed"),
                    loss.getMessage());
            assertEquals(1, second.consumer().getMetrics().trimmedDataEvents.get());
            // FAIL (default) stops the lineage: nothing after the gap is delivered as if nothing happened
            second.assertNoMoreThan(0, Duration.ofMillis(800));
            org.apache.camel.health.HealthCheck.Result readiness = HealthChecks.readiness(second);
            assertEquals(org.apache.camel.health.HealthCheck.State.DOWN, readiness.getState());
            assertEquals(1L, readiness.getDetails().get("shards.halted"));
        }
    }

    @Test
    void continuePolicyGoesOnAfterSurfacingTheLoss() throws Exception {
        Tables.createWithStream(ddb.client(), "trimmed", StreamViewType.NEW_IMAGE);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("cp2.dat").toFile());
        String uri = CdcHarness.uri(ddb, "trimmed", "checkpointRepository=#checkpoints&startPosition=TRIM_HORIZON"
                                                    + "&trimmedDataPolicy=CONTINUE");
        put("read-1");
        try (CdcHarness first = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            first.await(1, Duration.ofSeconds(20));
        }
        put("lost-1");
        ddb.dilateEventTimes(Duration.ofHours(25));
        put("after-trim");
        try (CdcHarness second = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            second.await(1, Duration.ofSeconds(30));
            assertEquals("after-trim", second.received.get(0).getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
            assertTrue(second.handled.stream().anyMatch(t -> t instanceof TrimmedDataException));
            assertTrue(second.consumer().getMetrics().trimmedDataEvents.get() >= 1);
        }
    }
}
