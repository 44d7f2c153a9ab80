package dev.ddbcdc.camel.port;

import java.time.Instant;

import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;

/**
 * DynamoDB's point-in-time recovery and export calls. Failures come as the SDK's exceptions (throttling and other
 * retryable errors are retried by the caller).
 */
public interface ExportPort {

    /** The table's point-in-time recovery status, or {@code null} when DynamoDB gives none. */
    PointInTimeRecoveryStatus pointInTimeRecovery(String tableName);

    /**
     * The earliest time point-in-time recovery can restore the table to (DescribeContinuousBackups'
     * EarliestRestorableDateTime): an incremental export may start no earlier. {@code null} when point-in-time
     * recovery is not enabled.
     */
    Instant earliestRestorableTime(String tableName);

    ExportDescription exportTableToPointInTime(ExportTableToPointInTimeRequest request);

    /** @throws ExportNotFoundException when there is no such export */
    ExportDescription describeExport(String exportArn);
}
