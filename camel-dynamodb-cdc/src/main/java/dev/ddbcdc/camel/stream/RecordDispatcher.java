package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.flow.Acknowledgement;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** Hands a stream record to the route and reports back when its exchange completed. */
public interface RecordDispatcher {

    void dispatch(String shardId, Record record, Acknowledgement acknowledgement);

    /**
     * As above, from one of the shard's lanes ({@link LaneDispatcher}): changes of one {@code lane} may be batched
     * together, in order. Without lanes or batches, the same as the method above.
     */
    default void dispatch(String shardId, String lane, Record record, Acknowledgement acknowledgement) {
        dispatch(shardId, record, acknowledgement);
    }

    /**
     * The last record of shard {@code shardId} was dispatched (it ended): its changes still being collected into a
     * batch are sent now rather than after the batch window. Without batches, nothing to do.
     */
    default void endOfShard(String shardId) {
    }

    /** As above, for one of the shard's lanes, after every record dispatched from it. */
    default void endOfShard(String shardId, String lane) {
        endOfShard(shardId);
    }
}
