package dev.ddbcdc.camel.options;

/** Where a consumer that has no checkpoint yet starts reading the stream. */
public enum StartPosition {
    /** Only changes made after the consumer started. */
    LATEST,
    /** Every change still in the stream (up to 24 hours back), oldest first. */
    TRIM_HORIZON
}
