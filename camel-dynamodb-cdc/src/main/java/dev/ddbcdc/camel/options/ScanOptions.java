package dev.ddbcdc.camel.options;

/**
 * The options of a Scan snapshot ({@code snapshotMode=SCAN}), read once when the consumer starts.
 *
 * @param segments               {@code scanSegments}: segments scanned in parallel, one thread each
 * @param budget                 the read budget over all segments
 * @param consistentRead         {@code scanConsistentRead}: strongly consistent reads (twice the read units)
 * @param pageSize               {@code scanPageSize}: the most items per Scan call; {@value #DYNAMODB_PAGE} for
 *                               DynamoDB's own limit (1 MB of items a call)
 * @param acknowledgmentTimeout  ms a segment's items may stay uncompleted at its end before it is read again from its
 *                               last checkpointed key
 */
public record ScanOptions(int segments, ReadBudget budget, boolean consistentRead, int pageSize,
                          long acknowledgmentTimeout) {

    /** {@link #pageSize()} when each Scan call returns as many items as DynamoDB gives (up to 1 MB). */
    public static final int DYNAMODB_PAGE = 0;
    /** Four segments: see the user guide (enough to keep a route busy, few threads; raise it for large tables). */
    public static final int DEFAULT_SEGMENTS = 4;
    /** One thread per segment: beyond this the route, not the scan, is the bottleneck. */
    public static final int MAX_SEGMENTS = 100;
    public static final long DEFAULT_ACKNOWLEDGMENT_TIMEOUT = 300_000;

    public ScanOptions {
        if (segments < 1 || segments > MAX_SEGMENTS) {
            throw new IllegalArgumentException("scanSegments must be between 1 and " + MAX_SEGMENTS
                                               + " (one thread each), was " + segments);
        }
        if (pageSize < 0) {
            throw new IllegalArgumentException("scanPageSize must be positive, or 0 for DynamoDB's own page of up to"
                                               + " 1 MB, was " + pageSize);
        }
        if (acknowledgmentTimeout <= 0) {
            throw new IllegalArgumentException("scanAcknowledgmentTimeout must be positive, was "
                                               + acknowledgmentTimeout + " ms");
        }
    }

    /** The defaults: 4 segments, no budget, eventually consistent reads, DynamoDB's pages. */
    public static ScanOptions defaults() {
        return new ScanOptions(DEFAULT_SEGMENTS, ReadBudget.unlimited(), false, DYNAMODB_PAGE,
                DEFAULT_ACKNOWLEDGMENT_TIMEOUT);
    }
}
