package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.Map;

import dev.ddbcdc.camel.flow.StreamChangedException;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table or its stream changing under a running consumer is surfaced clearly, never skipped silently: a stream
 * disabled and enabled again (a new stream ARN) and a deleted table each reach the exception handler with a message
 * that says what happened and what to do, count in {@code errors{type=stream_changed}}, and turn readiness DOWN.
 */
class TableAndStreamChangesTest {

    LocalDynamoDb ddb;

    @BeforeEach
    void start() {
        ddb = LocalDynamoDb.start();
    }

    @AfterEach
    void stop() {
        ddb.close();
    }

    void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    @Test
    void aStreamDisabledAndEnabledAgainIsSurfacedWithBothArnsAndNotFollowedSilently() throws Exception {
        String oldArn = Tables.createWithStream(ddb.client(), "replaced", StreamViewType.NEW_IMAGE);
        try (CdcHarness cdc = new CdcHarness().start(CdcHarness.uri(ddb, "replaced", "startPosition=TRIM_HORIZON"))) {
            put("replaced", "before");
            cdc.await(1, Duration.ofSeconds(20));
            ddb.client().updateTable(b -> b.tableName("replaced").streamSpecification(s -> s.streamEnabled(false)));
            put("replaced", "gap");
            String newArn = ddb.client().updateTable(b -> b.tableName("replaced").streamSpecification(
                    s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))).tableDescription()
                    .latestStreamArn();
            assertFalse(oldArn.equals(newArn));
            put("replaced", "after");

            CdcHarness.awaitCondition(() -> cdc.handled.stream().anyMatch(t -> t.getMessage().contains(newArn)),
                    Duration.ofSeconds(20), () -> "the new stream reached the exception handler: " + cdc.handled);
            Throwable changed = cdc.handled.stream().filter(t -> t.getMessage().contains(newArn)).findFirst().get();
            assertInstanceOf(StreamChangedException.class, changed);
            assertTrue(changed.getMessage().contains(oldArn) && changed.getMessage().contains("replaced"),
                    changed.getMessage());
            assertTrue(cdc.consumer().getMetrics().streamChanges.get() >= 1);
            HealthCheck.Result readiness = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.DOWN, readiness.getState());
            assertTrue(readiness.getMessage().orElse("").contains(newArn), readiness.getMessage().toString());
            // not followed silently: nothing of the new stream is delivered as if nothing happened
            Thread.sleep(1000);
            assertTrue(cdc.received.stream().noneMatch(e -> "after".equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))), "the new stream was not read");
        }
    }

    /**
     * A disabled stream's shards end without children: that is checked at once, not at the next
     * shardDiscoveryInterval (a minute here, longer than the test waits).
     */
    @Test
    void aStreamDisabledWhileReadingIsToldWithinSecondsOfItsShardsEnding() throws Exception {
        Tables.createWithStream(ddb.client(), "disabled", StreamViewType.NEW_IMAGE);
        String uri = "dynamodb-cdc:disabled?region=us-east-1&uriEndpointOverride=" + ddb.endpoint() + "&accessKey="
                     + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + LocalDynamoDb.SECRET_KEY
                     + "&idlePollDelay=50&pollDelay=0&shardDiscoveryInterval=60000&startPosition=TRIM_HORIZON";
        try (CdcHarness cdc = new CdcHarness().start(uri)) {
            put("disabled", "before");
            cdc.await(1, Duration.ofSeconds(20));
            long disabledAt = System.nanoTime();
            ddb.client().updateTable(b -> b.tableName("disabled").streamSpecification(s -> s.streamEnabled(false)));
            CdcHarness.awaitCondition(() -> cdc.handled.stream().anyMatch(t -> t instanceof StreamChangedException),
                    Duration.ofSeconds(15), () -> "the disabled stream reached the exception handler: " + cdc.handled);
            long seconds = (System.nanoTime() - disabledAt) / 1_000_000_000L;
            assertTrue(seconds < 15, "told after " + seconds + " s");
            assertTrue(cdc.handled.get(0).getMessage().contains("was disabled"), cdc.handled.get(0).getMessage());
        }
    }

    @Test
    void aDeletedTableIsAClearFailureNotASilentRetryLoop() throws Exception {
        Tables.createWithStream(ddb.client(), "deleted", StreamViewType.NEW_IMAGE);
        try (CdcHarness cdc = new CdcHarness().start(CdcHarness.uri(ddb, "deleted", "startPosition=TRIM_HORIZON"))) {
            put("deleted", "before");
            cdc.await(1, Duration.ofSeconds(20));
            ddb.client().deleteTable(b -> b.tableName("deleted"));

            CdcHarness.awaitCondition(() -> cdc.handled.stream().anyMatch(t -> t instanceof StreamChangedException),
                    Duration.ofSeconds(20), () -> "the deletion reached the exception handler: " + cdc.handled);
            Throwable deleted = cdc.handled.stream().filter(t -> t instanceof StreamChangedException).findFirst()
                    .get();
            assertTrue(deleted.getMessage().contains("'deleted' was deleted"), deleted.getMessage());
            assertEquals(1, cdc.consumer().getMetrics().streamChanges.get());
            HealthCheck.Result readiness = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.DOWN, readiness.getState());
            assertTrue(readiness.getMessage().orElse("").contains("was deleted"), readiness.getMessage().toString());
            Thread.sleep(1500);
            assertEquals(1, cdc.consumer().getMetrics().streamChanges.get(), "said once, not on every check");
            System.out.println("DELETED handled=" + cdc.handled.size() + " apiErrors="
                               + cdc.consumer().getMetrics().apiErrors.get() + " trimmed="
                               + cdc.consumer().getMetrics().trimmedDataEvents.get());
        }
    }
}
