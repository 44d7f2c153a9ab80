package dev.ddbcdc.camel.aws;

import java.time.Instant;

import dev.ddbcdc.camel.port.ExportPort;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;

/** {@link ExportPort} over the AWS SDK's DynamoDbClient. */
public final class SdkExportPort implements ExportPort {

    private final DynamoDbClient client;

    public SdkExportPort(DynamoDbClient client) {
        this.client = client;
    }

    @Override
    public PointInTimeRecoveryStatus pointInTimeRecovery(String tableName) {
        ContinuousBackupsDescription backups = client.describeContinuousBackups(b -> b.tableName(tableName))
                .continuousBackupsDescription();
        return backups.pointInTimeRecoveryDescription() == null ? null
                : backups.pointInTimeRecoveryDescription().pointInTimeRecoveryStatus();
    }

    @Override
    public Instant earliestRestorableTime(String tableName) {
        ContinuousBackupsDescription backups = client.describeContinuousBackups(b -> b.tableName(tableName))
                .continuousBackupsDescription();
        if (backups.pointInTimeRecoveryDescription() == null || backups.pointInTimeRecoveryDescription()
                .pointInTimeRecoveryStatus() != PointInTimeRecoveryStatus.ENABLED) {
            return null;
        }
        return backups.pointInTimeRecoveryDescription().earliestRestorableDateTime();
    }

    @Override
    public ExportDescription exportTableToPointInTime(ExportTableToPointInTimeRequest request) {
        return client.exportTableToPointInTime(request).exportDescription();
    }

    @Override
    public ExportDescription describeExport(String exportArn) {
        return client.describeExport(b -> b.exportArn(exportArn)).exportDescription();
    }
}
