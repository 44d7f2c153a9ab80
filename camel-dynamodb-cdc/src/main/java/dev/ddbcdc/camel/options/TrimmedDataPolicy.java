package dev.ddbcdc.camel.options;

/**
 * What the consumer does about a gap: stream records it had not read yet were trimmed away (older than the stream's 24
 * hour retention), the table's stream was replaced, or a snapshot outlived the retention before its hand-over. Whatever
 * the policy, the gap is logged at ERROR naming the table (and shard), counted, and passed to the consumer's exception
 * handler.
 */
public enum TrimmedDataPolicy {
    /** Stop reading the affected shard lineage until an operator decides (default). */
    FAIL,
    /** Continue from the oldest record still available. */
    CONTINUE,
    /**
     * Take a new snapshot of the table (by the configured snapshot mode), then read the stream from its hand-over,
     * under a new checkpoint generation. Needs a snapshot that can be taken again (not an adopted exportArn).
     */
    RESNAPSHOT,
    /**
     * Bridge the gap with DynamoDB incremental exports (point-in-time recovery) from the time of the last acknowledged
     * change to about now, each changed item delivered as INSERT, MODIFY or REMOVE, then read the stream from their
     * end minus {@code streamOverlap}, under a new checkpoint generation. Needs {@code exportS3Bucket} and
     * point-in-time recovery covering the gap; when it does not, {@link IncrementalExportFallback} decides.
     */
    INCREMENTAL_EXPORT
}
