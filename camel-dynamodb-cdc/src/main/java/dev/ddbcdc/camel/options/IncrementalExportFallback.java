package dev.ddbcdc.camel.options;

/**
 * What {@code trimmedDataPolicy=INCREMENTAL_EXPORT} does about a gap it cannot bridge: point-in-time recovery is off,
 * or does not reach back to the gap's start, or that start is not known. The reason is logged at ERROR with both
 * times either way.
 */
public enum IncrementalExportFallback {
    /** Stop as {@code trimmedDataPolicy=FAIL} does (default). */
    FAIL,
    /** Take a new snapshot, as {@code trimmedDataPolicy=RESNAPSHOT} does (needs a snapshot that can be taken again). */
    RESNAPSHOT,
    /** Go on from the oldest record still available, as {@code trimmedDataPolicy=CONTINUE} does. */
    CONTINUE;

    /** The policy this fallback acts as. */
    public TrimmedDataPolicy policy() {
        return TrimmedDataPolicy.valueOf(name());
    }
}
