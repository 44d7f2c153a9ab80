package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.flow.LossPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(StreamFollowing.class);

    /** What a start does about the stream it found. */
    public enum Decision {
        /** The followed stream: read it as the checkpoints say. */
        SAME,
        /** Replaced before this generation's snapshot began, which captures the gap: now followed. */
        COVERED,
        /** Replaced, gap reported, going on with the new stream from its oldest record (CONTINUE). */
        FROM_OLDEST,
        /** Replaced, gap reported, a new snapshot begins in the next generation (RESNAPSHOT). */
        RECOVERING,
        /** Replaced, gap reported, nothing is read ({@link #haltMessage()}; FAIL). */
        HALTED
    }

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
    private String haltMessage;

    public StreamFollowing(ShardCheckpointStore store, String tableName, String streamArn) {
        this.store = store;
        this.tableName = tableName;
        this.streamArn = streamArn;
        this.previous = store.followedStream();
    }

    public Verdict verdict() {
        return previous == null || previous.equals(streamArn) ? Verdict.SAME : Verdict.REPLACED;
    }

    /**
     * Decides, at a start, what to do about the stream: a replaced one is captured by a snapshot about to begin
     * ({@code snapshotCovers}), or else a gap for {@code losses}, which reports it.
     */
    public Decision atStart(LossPolicy losses, boolean snapshotCovers) {
        if (verdict() == Verdict.SAME) {
            return Decision.SAME;
        }
        if (snapshotCovers) {
            LOG.info("Table {}: the stream was replaced before the snapshot of this checkpoint generation began, which"
                     + " captures the gap; following stream {}", tableName, streamArn);
            follow();
            return Decision.COVERED;
        }
        LossPolicy.Outcome outcome = losses.report(LossPolicy.Kind.STREAM_REPLACED, gapMessage(),
                "Nothing is read. To go on with the new stream from its oldest record, accepting the gap, restart"
                + " with trimmedDataPolicy=CONTINUE; to capture the gap too, restart with"
                + " trimmedDataPolicy=RESNAPSHOT (a new snapshot), or take a new snapshot with a new consumerId",
                "Going on with the new stream from its oldest record", null);
        haltMessage = outcome.message();
        return switch (outcome.decision()) {
            case RECOVER -> Decision.RECOVERING;
            case HALT -> Decision.HALTED;
            case CONTINUE -> Decision.FROM_OLDEST;
        };
    }

    /** The reported gap, once {@link #atStart} decided {@link Decision#HALTED}. */
    public String haltMessage() {
        return haltMessage;
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
