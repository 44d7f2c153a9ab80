package dev.ddbcdc.camel.options;

/**
 * What the consumer does when stream records it had not read yet were trimmed away (older than the stream's 24 hour
 * retention). Either way the loss is logged at ERROR naming the table and shard, counted, and passed to the
 * consumer's exception handler.
 */
public enum TrimmedDataPolicy {
    /** Stop reading the affected shard lineage until an operator decides (default). */
    FAIL,
    /** Continue from the oldest record still available. */
    CONTINUE
}
