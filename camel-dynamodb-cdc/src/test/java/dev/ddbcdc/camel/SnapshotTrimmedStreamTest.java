package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.ddbcdc.camel.stream.TrimmedDataException;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot hands over to the stream at the export time minus the overlap; if the stream records from then are
 * already trimmed (here: DynamoDB Local's clock moved 25 hours on), the gap is surfaced, never silent. Own test kit:
 * aging records affects every table of a DynamoDB Local.
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
            aws.dynamoDbLocal().dilateEventTimes(Duration.ofHours(25));

            try (CdcHarness cdc = new CdcHarness()) {
                cdc.start(CdcHarness.snapshotUri(aws, "aged", null, "exportArn=" + exportArn));
                cdc.await(20, Duration.ofSeconds(30));
                CdcHarness.awaitCondition(() -> cdc.handled.stream().anyMatch(t -> t instanceof TrimmedDataException),
                        Duration.ofSeconds(20), () -> "the trimmed stream records reached the exception handler: "
                                                      + cdc.handled);
                assertTrue(cdc.consumer().getMetrics().trimmedDataEvents.get() >= 1);
                cdc.assertNoMoreThan(20, Duration.ofMillis(500));
                assertEquals(20, cdc.received.stream().filter(e -> "READ".equals(
                        e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))).count());
            }
        }
    }
}
