package dev.ddbcdc.camel.options;

/** Where a consumer that has no checkpoint yet starts reading the stream. */
public enum StartPosition {
    /** Only changes made after the consumer started. */
    LATEST,
    /** Every change still in the stream (up to 24 hours back), oldest first. */
    TRIM_HORIZON,
    /**
     * The changes made at or after {@code startTimestamp} (from the start of its minute), oldest first: every shard is
     * read from its oldest record. The time must be within the stream's 24-hour retention.
     */
    AT_TIMESTAMP
}
