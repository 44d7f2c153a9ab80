package dev.ddbcdc.camel.options;

/**
 * What {@code trimmedDataPolicy=INCREMENTAL_EXPORT} and {@code incrementalExportFallback} need, each refusal with a
 * message that names the cause and the fix.
 * <ul>
 * <li>An incremental export is written to S3, so the policy needs {@code exportS3Bucket} whatever the snapshot mode
 * is: with {@code snapshotMode=SCAN} or {@code NONE} the export options then only say where the bridge writes (an
 * adopted {@code exportArn} may go with it too).</li>
 * <li>{@code incrementalExportFallback=RESNAPSHOT} takes a new snapshot, so like {@code trimmedDataPolicy=RESNAPSHOT}
 * it needs one this consumer can take again: a snapshot mode other than NONE, and no adopted export.</li>
 * </ul>
 */
public final class BridgeRules {

    private BridgeRules() {
    }

    /**
     * @param bucketSet       whether {@code exportS3Bucket} is set
     * @param exportAdopted   whether {@code exportArn} is set
     * @param snapshotEnabled whether the consumer takes a snapshot (EXPORT or SCAN)
     */
    public static void check(TrimmedDataPolicy policy, IncrementalExportFallback fallback, boolean bucketSet,
                             boolean exportAdopted, boolean snapshotEnabled) {
        if (policy != TrimmedDataPolicy.INCREMENTAL_EXPORT) {
            return;
        }
        if (!bucketSet) {
            throw new IllegalArgumentException("trimmedDataPolicy=INCREMENTAL_EXPORT bridges a gap with DynamoDB"
                                               + " incremental exports, which are written to S3: set exportS3Bucket"
                                               + " (with any snapshotMode; with SCAN or NONE it is only where the"
                                               + " incremental exports go), or use trimmedDataPolicy=RESNAPSHOT, FAIL"
                                               + " or CONTINUE");
        }
        if (fallback == IncrementalExportFallback.RESNAPSHOT && (!snapshotEnabled || exportAdopted)) {
            throw new IllegalArgumentException("incrementalExportFallback=RESNAPSHOT takes a new snapshot when a gap"
                                               + " cannot be bridged, so it needs one this consumer can take again: "
                                               + (exportAdopted ? "exportArn adopts an existing export, which cannot"
                                                                  + " be taken again; remove it"
                                                       : "set snapshotMode=EXPORT or SCAN")
                                               + ", or use incrementalExportFallback=FAIL or CONTINUE");
        }
    }
}
