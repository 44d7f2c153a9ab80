package dev.ddbcdc.camel.checkpoint;

/**
 * Every key the consumer writes into the checkpoint repository, built in this one place:
 * <ul>
 * <li>{@code dynamodb-cdc/<consumerId>/<streamArn>/<shardId>}: the shard's position.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<streamArn>}: the stream marker, written once the first start has fixed its
 * positions. Shards found after that are read from their oldest record, whatever {@code startPosition} says.</li>
 * </ul>
 * The stream ARN contains the table ARN, so the namespace is the table plus the consumer id.
 */
public final class CheckpointKeys {

    private static final String PREFIX = "dynamodb-cdc/";

    private final String streamPrefix;

    public CheckpointKeys(String consumerId, String streamArn) {
        this.streamPrefix = PREFIX + consumerId + "/" + streamArn;
    }

    public String shard(String shardId) {
        return streamPrefix + "/" + shardId;
    }

    public String streamMarker() {
        return streamPrefix;
    }

    /** The id under which a delivered stream record is kept in the idempotent repository. */
    public static String deliveredRecord(String eventId) {
        return PREFIX + "event/" + eventId;
    }
}
