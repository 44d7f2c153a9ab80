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
 */
public record StreamOptions(StartPosition startPosition, int maxRecordsPerRequest, long pollDelay, long idlePollDelay,
                            long shardDiscoveryInterval, int maxConcurrentShards, TrimmedDataPolicy trimmedDataPolicy,
                            long shardAcknowledgmentTimeout) {

    /** The defaults of the endpoint options, for tests of the engine. */
    public static StreamOptions defaults() {
        return new StreamOptions(StartPosition.LATEST, 1000, 50, 1000, 60_000, 4, TrimmedDataPolicy.FAIL, 600_000);
    }

    public StreamOptions withTrimmedDataPolicy(TrimmedDataPolicy policy) {
        return new StreamOptions(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, policy, shardAcknowledgmentTimeout);
    }

    public StreamOptions withShardAcknowledgmentTimeout(long millis) {
        return new StreamOptions(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, millis);
    }

    public StreamOptions withStartPosition(StartPosition position) {
        return new StreamOptions(position, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout);
    }
}
