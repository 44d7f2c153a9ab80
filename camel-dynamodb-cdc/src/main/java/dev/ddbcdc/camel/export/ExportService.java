package dev.ddbcdc.camel.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.ddbcdc.camel.options.SnapshotOptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.S3SseAlgorithm;

/** The DynamoDB calls of the snapshot: the point-in-time recovery check, the export request and its status. */
public final class ExportService {

    private final DynamoDbClient client;
    private final String tableName;
    private final String tableArn;

    public ExportService(DynamoDbClient client, String tableName, String tableArn) {
        this.client = client;
        this.tableName = tableName;
        this.tableArn = tableArn;
    }

    /** Fails with a message that says how to enable point-in-time recovery when it is not enabled. */
    public void requirePointInTimeRecovery() {
        ContinuousBackupsDescription backups = client.describeContinuousBackups(b -> b.tableName(tableName))
                .continuousBackupsDescription();
        PointInTimeRecoveryStatus status = backups.pointInTimeRecoveryDescription() == null ? null
                : backups.pointInTimeRecoveryDescription().pointInTimeRecoveryStatus();
        if (status != PointInTimeRecoveryStatus.ENABLED) {
            throw new IllegalStateException("The snapshot (exportS3Bucket) exports DynamoDB table '" + tableName
                                            + "' to S3, which needs point-in-time recovery, but it is " + status
                                            + ". Enable it with: aws dynamodb update-continuous-backups --table-name "
                                            + tableName + " --point-in-time-recovery-specification"
                                            + " PointInTimeRecoveryEnabled=true");
        }
    }

    /**
     * Requests a full export. The client token is derived from the consumer, table, destination and attempt, so a
     * request repeated after a crash (before its ARN was checkpointed) returns the same export.
     */
    public ExportDescription request(SnapshotOptions options, int attempt) {
        ExportTableToPointInTimeRequest.Builder request = ExportTableToPointInTimeRequest.builder()
                .tableArn(tableArn)
                .s3Bucket(options.exportS3Bucket())
                .s3Prefix(options.exportS3Prefix())
                .s3BucketOwner(options.exportS3BucketOwner())
                .exportFormat(options.exportFormat().name())
                .exportType(ExportType.FULL_EXPORT)
                .clientToken(clientToken(options, attempt));
        if (options.exportS3SseKmsKeyId() != null) {
            request.s3SseAlgorithm(S3SseAlgorithm.KMS).s3SseKmsKeyId(options.exportS3SseKmsKeyId());
        } else {
            request.s3SseAlgorithm(S3SseAlgorithm.AES256);
        }
        return client.exportTableToPointInTime(request.build()).exportDescription();
    }

    public ExportDescription describe(String exportArn) {
        return client.describeExport(b -> b.exportArn(exportArn)).exportDescription();
    }

    String clientToken(SnapshotOptions options, int attempt) {
        String identity = String.join("\n", "dynamodb-cdc", options.consumerId(), tableArn,
                options.exportS3Bucket(), String.valueOf(options.exportS3Prefix()),
                options.exportFormat().name(), Integer.toString(attempt));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
