package dev.ddbcdc.localaws;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DynamoDB Local's event time dilation ages its tables' creation times too; the emulator must still see the same
 * table (as AWS would, however much time passed): PITR stays enabled and exports still work. Own test kit: dilation
 * affects every table of a DynamoDB Local.
 */
class AgedTablesTest {

    @Test
    void aTableAgedByDilationKeepsPointInTimeRecoveryAndCanBeExported() {
        try (LocalAws aws = LocalAws.start()) {
            aws.createBucket("aged");
            Tables.createWithStream(aws.dynamoDb(), "aged", StreamViewType.NEW_IMAGE);
            Tables.enablePointInTimeRecovery(aws.dynamoDb(), "aged");
            aws.dynamoDbLocal().dilateEventTimes(Duration.ofHours(25));
            assertEquals(Duration.ofHours(25), aws.dynamoDbLocal().dilated());

            assertEquals(PointInTimeRecoveryStatus.ENABLED, aws.dynamoDb().describeContinuousBackups(
                    b -> b.tableName("aged")).continuousBackupsDescription().pointInTimeRecoveryDescription()
                    .pointInTimeRecoveryStatus());
            String tableArn = aws.dynamoDb().describeTable(b -> b.tableName("aged")).table().tableArn();
            String exportArn = aws.dynamoDb().exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("aged")
                    .clientToken("aged-1")).exportDescription().exportArn();
            aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
            assertEquals(ExportStatus.COMPLETED, aws.dynamoDb().describeExport(b -> b.exportArn(exportArn))
                    .exportDescription().exportStatus());
        }
    }
}
