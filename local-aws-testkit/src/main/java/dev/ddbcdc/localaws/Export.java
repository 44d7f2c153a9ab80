package dev.ddbcdc.localaws;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One export the emulator runs: what was asked, where it goes, and its status, IN_PROGRESS until it turns COMPLETED
 * or FAILED exactly once. A full export has an export time; an incremental one has its window instead (as AWS's
 * DescribeExport, which gives no ExportTime for incremental exports).
 */
final class Export {

    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";

    private final String arn;
    private final String id;
    private final ExportRequest request;
    private final TableInfo table;
    private final Instant startTime;
    private final Instant exportTime;
    private final IncrementalExportSpec incremental;
    private final Instant dueAt;
    private final int dataFiles;
    private final ExportLayout layout;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private String status = IN_PROGRESS;
    private Instant endTime;
    private String failureCode;
    private String failureMessage;
    private Long itemCount;
    private Long billedSizeBytes;

    /** {@code exportTime} for a full export, or the resolved window {@code incremental} for an incremental one. */
    Export(String id, ExportRequest request, TableInfo table, Instant startTime, Instant exportTime,
            IncrementalExportSpec incremental, Instant dueAt, int dataFiles) {
        this.arn = table.arn() + "/export/" + id;
        this.id = id;
        this.request = request;
        this.table = table;
        this.startTime = startTime;
        this.exportTime = exportTime;
        this.incremental = incremental;
        this.dueAt = dueAt;
        this.dataFiles = dataFiles;
        this.layout = ExportLayout.of(request.s3Prefix(), id);
    }

    String arn() {
        return arn;
    }

    String id() {
        return id;
    }

    ExportRequest request() {
        return request;
    }

    TableInfo table() {
        return table;
    }

    Instant startTime() {
        return startTime;
    }

    /** The export time of a full export; null for an incremental one. */
    Instant exportTime() {
        return exportTime;
    }

    /** The window of an incremental export (ExportToTime resolved); null for a full one. */
    IncrementalExportSpec incremental() {
        return incremental;
    }

    /** When the export may finish at the earliest (request time plus the configured delay). */
    Instant dueAt() {
        return dueAt;
    }

    int dataFiles() {
        return dataFiles;
    }

    ExportLayout layout() {
        return layout;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    synchronized String status() {
        return status;
    }

    synchronized Instant endTime() {
        return endTime;
    }

    synchronized void complete(Instant end, long items, long billedBytes) {
        if (status.equals(IN_PROGRESS)) {
            status = COMPLETED;
            endTime = end;
            itemCount = items;
            billedSizeBytes = billedBytes;
        }
        done.complete(null);
    }

    synchronized void fail(Instant end, String code, String message) {
        if (status.equals(IN_PROGRESS)) {
            status = FAILED;
            endTime = end;
            failureCode = code;
            failureMessage = message;
        }
        done.complete(null);
    }

    /** The ExportDescription structure of the API. */
    synchronized ObjectNode describe() {
        ObjectNode d = AwsJson.object();
        d.put("ExportArn", arn);
        d.put("ExportStatus", status);
        AwsJson.putTimestamp(d, "StartTime", startTime);
        AwsJson.putTimestamp(d, "EndTime", endTime);
        if (status.equals(COMPLETED)) {
            d.put("ExportManifest", layout.manifestSummary());
        }
        d.put("TableArn", table.arn());
        d.put("TableId", table.id());
        AwsJson.putTimestamp(d, "ExportTime", exportTime);
        AwsJson.putIfNotNull(d, "ClientToken", request.clientToken());
        d.put("S3Bucket", request.s3Bucket());
        AwsJson.putIfNotNull(d, "S3BucketOwner", request.s3BucketOwner());
        AwsJson.putIfNotNull(d, "S3Prefix", request.s3Prefix());
        AwsJson.putIfNotNull(d, "S3SseAlgorithm", request.s3SseAlgorithm());
        AwsJson.putIfNotNull(d, "S3SseKmsKeyId", request.s3SseKmsKeyId());
        AwsJson.putIfNotNull(d, "FailureCode", failureCode);
        AwsJson.putIfNotNull(d, "FailureMessage", failureMessage);
        d.put("ExportFormat", request.exportFormat());
        if (billedSizeBytes != null) {
            d.put("BilledSizeBytes", billedSizeBytes);
        }
        if (itemCount != null) {
            d.put("ItemCount", itemCount);
        }
        d.put("ExportType", request.exportType());
        if (incremental != null) {
            d.set("IncrementalExportSpecification", incremental.describe());
        }
        return d;
    }

    /** The ExportSummary structure of ListExports. */
    synchronized ObjectNode summarize() {
        ObjectNode s = AwsJson.object();
        s.put("ExportArn", arn);
        s.put("ExportStatus", status);
        s.put("ExportType", request.exportType());
        return s;
    }

    @Override
    public synchronized String toString() {
        return arn + " " + status;
    }
}
