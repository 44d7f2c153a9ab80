package dev.ddbcdc.camel.stream;

import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.SerialLanes;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Per-key parallelism inside a shard (like Lambda's ParallelizationFactor): a shard's records go to one of
 * {@code lanes} lanes by the hash of their key attributes, so the changes of one item stay in order while different
 * items are delivered side by side. The shard's reader goes on while the lanes work (up to its in-flight limit), and
 * its acknowledgement window stores the highest position below which every record completed, whatever order they
 * complete in. A record whose lane gets to it after the run stopped is not delivered and not acknowledged: it is read
 * again.
 */
public final class LaneDispatcher implements RecordDispatcher {

    private final RecordDispatcher next;
    private final int lanes;
    private final SerialLanes serial;
    private final BooleanSupplier running;

    public LaneDispatcher(RecordDispatcher next, int lanes, SerialLanes serial, BooleanSupplier running) {
        if (lanes < 2) {
            throw new IllegalArgumentException("Lanes are for more than one lane per shard, was " + lanes);
        }
        this.next = next;
        this.lanes = lanes;
        this.serial = serial;
        this.running = running;
    }

    @Override
    public void dispatch(String shardId, Record record, Acknowledgement acknowledgement) {
        String lane = laneName(shardId, lane(record));
        serial.submit(lane, () -> {
            if (running.getAsBoolean()) {
                next.dispatch(shardId, lane, record, acknowledgement);
            }
        });
    }

    /** Each lane of the shard sends what it batched once the records before in the lane were dispatched. */
    @Override
    public void endOfShard(String shardId) {
        for (int i = 0; i < lanes; i++) {
            String lane = laneName(shardId, i);
            serial.submit(lane, () -> {
                if (running.getAsBoolean()) {
                    next.endOfShard(shardId, lane);
                }
            });
        }
    }

    private static String laneName(String shardId, int lane) {
        return shardId + "#" + lane;
    }

    /** The record's lane: the same for every change of one item. */
    int lane(Record record) {
        return Math.floorMod(record.dynamodb().keys().hashCode(), lanes);
    }
}
