package dev.ddbcdc.camel.options;

/**
 * The options of the snapshot, read once from the endpoint's configuration when the consumer starts.
 *
 * @param consumerId                     the consumer's id (part of the export's idempotency token)
 * @param exportArn                      an existing export to adopt, or {@code null}
 * @param exportS3Bucket                 the bucket a new export writes to
 * @param exportS3Prefix                 its key prefix, or {@code null}
 * @param exportS3BucketOwner            the bucket owner's account, or {@code null}
 * @param exportS3SseKmsKeyId            the KMS key of the export's objects, or {@code null}
 * @param exportFormat                   DYNAMODB_JSON or ION
 * @param exportPollInterval             ms between DescribeExport calls
 * @param maxConcurrentDataFiles         data files loaded at once
 * @param s3DataFileAcknowledgmentTimeout ms a data file's items may stay unacknowledged
 * @param streamOverlap                  ms before the snapshot time T the stream is read from
 * @param snapshotOnly                   the snapshot only: no stream after it (phase DONE)
 * @param mode                           EXPORT or SCAN (without a snapshot there are no snapshot options)
 * @param scan                           the Scan's options with {@link SnapshotMode#SCAN}, else {@code null}
 */
public record SnapshotOptions(String consumerId, String exportArn, String exportS3Bucket, String exportS3Prefix,
                              String exportS3BucketOwner, String exportS3SseKmsKeyId, ExportFormat exportFormat,
                              long exportPollInterval, int maxConcurrentDataFiles,
                              long s3DataFileAcknowledgmentTimeout, long streamOverlap, boolean snapshotOnly,
                              SnapshotMode mode, ScanOptions scan) {

    public SnapshotOptions {
        if (mode == null || mode == SnapshotMode.NONE) {
            throw new IllegalArgumentException("snapshot options are of an EXPORT or a SCAN, not " + mode);
        }
        if ((mode == SnapshotMode.SCAN) != (scan != null)) {
            throw new IllegalArgumentException("a SCAN snapshot, and only one, has scan options");
        }
    }

    /** An export snapshot. */
    public SnapshotOptions(String consumerId, String exportArn, String exportS3Bucket, String exportS3Prefix,
                           String exportS3BucketOwner, String exportS3SseKmsKeyId, ExportFormat exportFormat,
                           long exportPollInterval, int maxConcurrentDataFiles, long s3DataFileAcknowledgmentTimeout,
                           long streamOverlap, boolean snapshotOnly) {
        this(consumerId, exportArn, exportS3Bucket, exportS3Prefix, exportS3BucketOwner, exportS3SseKmsKeyId,
                exportFormat, exportPollInterval, maxConcurrentDataFiles, s3DataFileAcknowledgmentTimeout,
                streamOverlap, snapshotOnly, SnapshotMode.EXPORT, null);
    }

    /** An export snapshot, then the stream. */
    public SnapshotOptions(String consumerId, String exportArn, String exportS3Bucket, String exportS3Prefix,
                           String exportS3BucketOwner, String exportS3SseKmsKeyId, ExportFormat exportFormat,
                           long exportPollInterval, int maxConcurrentDataFiles, long s3DataFileAcknowledgmentTimeout,
                           long streamOverlap) {
        this(consumerId, exportArn, exportS3Bucket, exportS3Prefix, exportS3BucketOwner, exportS3SseKmsKeyId,
                exportFormat, exportPollInterval, maxConcurrentDataFiles, s3DataFileAcknowledgmentTimeout,
                streamOverlap, false);
    }

    /**
     * These options for the unit that takes the snapshot while buckets of the shards stream elsewhere
     * ({@code clusterMode=BUCKETS}): the snapshot only, then DONE.
     */
    public SnapshotOptions forSnapshotUnit() {
        return new SnapshotOptions(consumerId, exportArn, exportS3Bucket, exportS3Prefix, exportS3BucketOwner,
                exportS3SseKmsKeyId, exportFormat, exportPollInterval, maxConcurrentDataFiles,
                s3DataFileAcknowledgmentTimeout, streamOverlap, true, mode, scan);
    }

    /** A Scan snapshot. */
    public static SnapshotOptions scan(String consumerId, ScanOptions scan, long streamOverlap, boolean snapshotOnly) {
        return new SnapshotOptions(consumerId, null, null, null, null, null, ExportFormat.DYNAMODB_JSON, 0, 1, 0,
                streamOverlap, snapshotOnly, SnapshotMode.SCAN, scan);
    }
}
