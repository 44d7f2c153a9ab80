package dev.ddbcdc.camel.options;

/**
 * The options of the stream engine, read once from the endpoint's configuration when the consumer starts. Immutable:
 * a change of the endpoint's options takes effect at the next start.
 *
 * @param startPosition              where the shards listed at the first start begin
 * @param maxRecordsPerRequest       GetRecords limit
 * @param pollDelay                  ms between GetRecords calls of a shard with records
 * @param idlePollDelay              ms after an empty answer
 * @param shardDiscoveryInterval     ms between listings of the stream (and table checks)
 * @param maxConcurrentShards        threads reading shards
 * @param trimmedDataPolicy          what a loss of unread records does
 * @param shardAcknowledgmentTimeout ms a record may stay in flight before its shard is read again
 * @param maxRecordAge               ms: stream records older than this when read are skipped; {@value #NO_MAX_RECORD_AGE}
 *                                   (the default) skips none
 * @param startTimestamp             with {@link StartPosition#AT_TIMESTAMP}: the epoch millis changes are delivered from;
 *                                   {@value #NO_START_TIMESTAMP} otherwise
 */
public record StreamOptions(StartPosition startPosition, int maxRecordsPerRequest, long pollDelay, long idlePollDelay,
                            long shardDiscoveryInterval, int maxConcurrentShards, TrimmedDataPolicy trimmedDataPolicy,
                            long shardAcknowledgmentTimeout, long maxRecordAge, long startTimestamp) {

    /** {@link #startTimestamp()} unless the start position is {@link StartPosition#AT_TIMESTAMP}. */
    public static final long NO_START_TIMESTAMP = -1;

    /** {@link #maxRecordAge()} when no maximum is set: every record is delivered, however old. */
    public static final long NO_MAX_RECORD_AGE = 0;

    /** Options without a maximum record age. */
    public StreamOptions(StartPosition startPosition, int maxRecordsPerRequest, long pollDelay, long idlePollDelay,
                         long shardDiscoveryInterval, int maxConcurrentShards, TrimmedDataPolicy trimmedDataPolicy,
                         long shardAcknowledgmentTimeout) {
        this(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout, NO_MAX_RECORD_AGE);
    }

    /** Options without a start timestamp. */
    public StreamOptions(StartPosition startPosition, int maxRecordsPerRequest, long pollDelay, long idlePollDelay,
                         long shardDiscoveryInterval, int maxConcurrentShards, TrimmedDataPolicy trimmedDataPolicy,
                         long shardAcknowledgmentTimeout, long maxRecordAge) {
        this(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout, maxRecordAge, NO_START_TIMESTAMP);
    }

    public StreamOptions {
        if (maxRecordAge < 0) {
            throw new IllegalArgumentException("maxRecordAge must not be negative, was " + maxRecordAge + " ms");
        }
        if ((startPosition == StartPosition.AT_TIMESTAMP) != (startTimestamp != NO_START_TIMESTAMP)) {
            throw new IllegalArgumentException("startTimestamp goes with startPosition=AT_TIMESTAMP, and only with it");
        }
    }

    /** The defaults of the endpoint options, for tests of the engine. */
    public static StreamOptions defaults() {
        return new StreamOptions(StartPosition.LATEST, 1000, 50, 1000, 60_000, 4, TrimmedDataPolicy.FAIL, 600_000);
    }

    public StreamOptions withTrimmedDataPolicy(TrimmedDataPolicy policy) {
        return new StreamOptions(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, policy, shardAcknowledgmentTimeout, maxRecordAge, startTimestamp);
    }

    public StreamOptions withShardAcknowledgmentTimeout(long millis) {
        return new StreamOptions(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, millis, maxRecordAge, startTimestamp);
    }

    public StreamOptions withStartPosition(StartPosition position) {
        return new StreamOptions(position, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout, maxRecordAge, NO_START_TIMESTAMP);
    }

    /** These options starting at the changes made at or after {@code epochMillis} ({@link StartPosition#AT_TIMESTAMP}). */
    public StreamOptions withStartTimestamp(long epochMillis) {
        return new StreamOptions(StartPosition.AT_TIMESTAMP, maxRecordsPerRequest, pollDelay, idlePollDelay,
                shardDiscoveryInterval, maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout,
                maxRecordAge, epochMillis);
    }

    /** These options with stream records older than {@code millis} skipped ({@value #NO_MAX_RECORD_AGE}: none). */
    public StreamOptions withMaxRecordAge(long millis) {
        return new StreamOptions(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout, millis, startTimestamp);
    }

    /** Whether stream records older than {@link #maxRecordAge()} are skipped. */
    public boolean hasMaxRecordAge() {
        return maxRecordAge != NO_MAX_RECORD_AGE;
    }
}
