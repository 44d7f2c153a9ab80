package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;

/**
 * The rule for a table whose stream was replaced (disabled and enabled again: a new ARN) while this consumer was
 * stopped. The checkpoint store records which stream the consumer follows; at start, a different stream means that
 * the changes made between the old stream's end and the new stream's start are in neither: a gap. It is never
 * treated as a first start (from {@code LATEST} that would silently skip everything the new stream already holds).
 * <p>
 * Checkpoints written before the followed stream was recorded say nothing about older streams: such a consumer
 * records its stream at this start and notices a replacement from its next start on.
 */
public final class StreamFollowing {

    /** What the start found. */
    public enum Verdict {
        /** The same stream as before, or the first start of this consumer on this table. */
        SAME,
        /** Another stream than the one this consumer followed: a gap. */
        REPLACED
    }

    private final ShardCheckpointStore store;
    private final String tableName;
    private final String streamArn;
    private final String previous;

    public StreamFollowing(ShardCheckpointStore store, String tableName, String streamArn) {
        this.store = store;
        this.tableName = tableName;
        this.streamArn = streamArn;
        this.previous = store.followedStream();
    }

    public Verdict verdict() {
        return previous == null || previous.equals(streamArn) ? Verdict.SAME : Verdict.REPLACED;
    }

    /** Records the current stream as the one this consumer follows (when going on with it). */
    public void follow() {
        if (!streamArn.equals(previous)) {
            store.followStream(streamArn);
        }
    }

    /** The gap, in words that name both streams and what the user can do. */
    public String gapMessage() {
        return "The stream of DynamoDB table '" + tableName + "' was replaced while this consumer was stopped: it"
               + " followed stream " + previous + ", the table's stream is now " + streamArn + " (disabled and"
               + " enabled again). Changes made between the end of the old stream and the start of the new one are"
               + " in neither: they are lost to this consumer (checkpoint key " + store.followedStreamKey() + ")";
    }
}
