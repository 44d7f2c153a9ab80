package dev.ddbcdc.camel.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.port.ExportPort;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.S3SseAlgorithm;

/**
 * The snapshot's rules over DynamoDB's export calls ({@link ExportPort}): point-in-time recovery must be enabled, and
 * an export is requested with an idempotency token derived from the consumer, table, destination and attempt.
 */
public final class ExportService {

    private final ExportPort client;
    private final String tableName;
    private final String tableArn;
    private final int generation;

    /** @param generation the consumer's checkpoint generation: each takes its own snapshot */
    public ExportService(ExportPort client, String tableName, String tableArn, int generation) {
        this.client = client;
        this.tableName = tableName;
        this.tableArn = tableArn;
        this.generation = generation;
    }

    /** Fails with a message that says how to enable point-in-time recovery when it is not enabled. */
    public void requirePointInTimeRecovery() {
        PointInTimeRecoveryStatus status = client.pointInTimeRecovery(tableName);
        if (status != PointInTimeRecoveryStatus.ENABLED) {
            throw new IllegalStateException("The snapshot (exportS3Bucket) exports DynamoDB table '" + tableName
                                            + "' to S3, which needs point-in-time recovery, but it is " + status
                                            + ". Enable it with: aws dynamodb update-continuous-backups --table-name "
                                            + tableName + " --point-in-time-recovery-specification"
                                            + " PointInTimeRecoveryEnabled=true");
        }
    }

    /**
     * Requests a full export. The client token is derived from the consumer, table, destination, attempt and
     * checkpoint generation, so a
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
        return client.exportTableToPointInTime(request.build());
    }

    /**
     * Requests the incremental export of the changes made from {@code fromMillis} (inclusive) to {@code toMillis}
     * (exclusive), with old and new images, in DYNAMODB_JSON, into the options' bucket. The client token is derived
     * from the consumer, table, destination, window and checkpoint generation, so a request repeated after a crash
     * (before its ARN was checkpointed) returns the same export.
     */
    public ExportDescription requestIncremental(SnapshotOptions options, long fromMillis, long toMillis) {
        ExportTableToPointInTimeRequest.Builder request = ExportTableToPointInTimeRequest.builder()
                .tableArn(tableArn)
                .s3Bucket(options.exportS3Bucket())
                .s3Prefix(options.exportS3Prefix())
                .s3BucketOwner(options.exportS3BucketOwner())
                .exportFormat(ExportFormat.DYNAMODB_JSON)
                .exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(Instant.ofEpochMilli(fromMillis))
                        .exportToTime(Instant.ofEpochMilli(toMillis)).exportViewType(ExportViewType.NEW_AND_OLD_IMAGES))
                .clientToken(token(String.join("\n", "dynamodb-cdc", options.consumerId(), tableArn,
                        options.exportS3Bucket(), String.valueOf(options.exportS3Prefix()), "INCREMENTAL_EXPORT",
                        Long.toString(fromMillis), Long.toString(toMillis), "generation " + generation)));
        if (options.exportS3SseKmsKeyId() != null) {
            request.s3SseAlgorithm(S3SseAlgorithm.KMS).s3SseKmsKeyId(options.exportS3SseKmsKeyId());
        } else {
            request.s3SseAlgorithm(S3SseAlgorithm.AES256);
        }
        return client.exportTableToPointInTime(request.build());
    }

    /** Point-in-time recovery's earliest restorable time, or {@code null} when it is not enabled. */
    public Instant earliestRestorableTime() {
        return client.earliestRestorableTime(tableName);
    }

    public ExportDescription describe(String exportArn) {
        return client.describeExport(exportArn);
    }

    String clientToken(SnapshotOptions options, int attempt) {
        return token(String.join("\n", "dynamodb-cdc", options.consumerId(), tableArn,
                options.exportS3Bucket(), String.valueOf(options.exportS3Prefix()),
                options.exportFormat().name(), Integer.toString(attempt))
                     + (generation > 1 ? "\ngeneration " + generation : ""));
    }

    private static String token(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
