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
    RESNAPSHOT
}
