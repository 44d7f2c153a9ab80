package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.flow.TrimmedDataException;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot hands over to the stream at the export time minus the overlap; if the stream records from then may
 * already be trimmed (here: a snapshot whose checkpoint says its export time was 25 hours ago, as for a consumer
 * that stopped during the load and came back a day later), the gap is surfaced, never silent. Under
 * {@code trimmedDataPolicy=FAIL} (the default) the consumer stops in phase FAILED (readiness DOWN, the cause passed to
 * the exception handler) and delivers nothing written after the hand-over point. Own test kit: aging records affects
 * every table of a DynamoDB Local.
 */
class SnapshotTrimmedStreamTest {

    @Test
    void streamRecordsTrimmedBeforeTheHandOverAreSurfaced() throws Exception {
        try (LocalAws aws = LocalAws.start()) {
            aws.createBucket("aged");
            Tables.createWithStream(aws.dynamoDb(), "aged", StreamViewType.NEW_IMAGE);
            Tables.enablePointInTimeRecovery(aws.dynamoDb(), "aged");
            for (int i = 0; i < 20; i++) {
                String pk = "item-" + i;
                aws.dynamoDb().putItem(b -> b.tableName("aged").item(Map.of("pk", AttributeValue.fromS(pk))));
            }
            String tableArn = aws.dynamoDb().describeTable(b -> b.tableName("aged")).table().tableArn();
            String exportArn = aws.dynamoDb().exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("aged")
                    .clientToken(UUID.randomUUID().toString())).exportDescription().exportArn();
            aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
            // the load began a day ago: the checkpoint holds the export, loading, with its export time then
            MemoryStateRepository checkpoints = new MemoryStateRepository();
            long dayAgo = System.currentTimeMillis() - Duration.ofHours(25).toMillis();
            checkpoints.setState("dynamodb-cdc/aged/" + tableArn + "/snapshot",
                    "v1 LOADING 1 " + dayAgo + " " + exportArn);

            try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints)) {
                cdc.start(CdcHarness.snapshotUri(aws, "aged", null, "exportArn=" + exportArn
                        + "&consumerId=aged&checkpointRepository=#checkpoints"));
                cdc.await(20, Duration.ofSeconds(30));
                CdcHarness.awaitCondition(() -> cdc.handled.stream().anyMatch(t -> t instanceof TrimmedDataException),
                        Duration.ofSeconds(20), () -> "the trimmed stream records reached the exception handler: "
                                                      + cdc.handled);
                assertTrue(cdc.consumer().getMetrics().trimmedDataEvents.get() >= 1);
                cdc.assertNoMoreThan(20, Duration.ofMillis(500));
                assertEquals(20, cdc.received.stream().filter(e -> "READ".equals(
                        e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))).count());

                // the default policy is the one under test
                assertEquals("FAIL", String.valueOf(
                        cdc.consumer().getEndpoint().getConfiguration().getTrimmedDataPolicy()));
                // FAIL: the snapshot cannot go on without the user, so the consumer stops in FAILED
                cdc.awaitPhase(Phase.FAILED, Duration.ofSeconds(20));

                // the cause reached the exception handler, with a message naming it (table, 24 hour retention)
                TrimmedDataException loss = (TrimmedDataException) cdc.handled.stream()
                        .filter(t -> t instanceof TrimmedDataException).findFirst().orElseThrow();
                assertTrue(loss.getMessage().contains("Table aged") && loss.getMessage().contains("24 hour"),
                        loss.getMessage());
                assertTrue(cdc.handledMessages.contains(loss.getMessage()),
                        "the handler was given the message: " + cdc.handledMessages);

                // a change made after the hand-over point, once FAILED, is never delivered
                aws.dynamoDb().putItem(b -> b.tableName("aged").item(Map.of("pk",
                        AttributeValue.fromS("written-after-failure"))));
                cdc.assertNoMoreThan(20, Duration.ofMillis(1500));
                assertFalse(cdc.received.stream().anyMatch(e -> "written-after-failure".equals(
                        e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))),
                        "the change written after the failure was not delivered");
                assertTrue(cdc.received.stream().allMatch(e -> "READ".equals(
                        e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))), "no stream record was delivered");
                assertEquals(0, cdc.consumer().getMetrics().recordsDelivered.sum(), "no stream record was delivered");
                assertEquals(Phase.FAILED, cdc.consumer().getPhase(), "FAILED stays FAILED");

                // readiness DOWN, naming the cause
                HealthCheck.Result readiness = HealthChecks.readiness(cdc);
                assertEquals(HealthCheck.State.DOWN, readiness.getState());
                assertEquals("FAILED", readiness.getDetails().get("phase"));
                assertTrue(readiness.getMessage().isPresent() && readiness.getMessage().get().contains("24 hour"),
                        "readiness message: " + readiness.getMessage());
            }
        }
    }
}
