package dev.ddbcdc.camel.engine;

import java.util.Arrays;
import java.util.List;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A gap's start over the shards' positions: never later than any change a shard still owes. */
class GapBridgeTest {

    static long earliest(ShardPosition... positions) {
        return GapBridge.earliest(Arrays.asList(positions));
    }

    @Test
    void theEarliestAcknowledgedChangeOverTheShardsThatOweChanges() {
        assertEquals(1_000, earliest(ShardPosition.after("5", 3_000), ShardPosition.after("9", 1_000),
                ShardPosition.end()));
        assertEquals(120_000, earliest(ShardPosition.after("5", 300_000), ShardPosition.from(150_000)),
                "a shard that acknowledged nothing owes from its start, floored to the minute");
        assertEquals(2_000, earliest(ShardPosition.end(), ShardPosition.after("1", 2_000)),
                "a shard read to its end owes nothing");
    }

    @Test
    void aPositionWithoutATimeMakesTheStartUnknown() {
        assertEquals(GapBridge.UNKNOWN, earliest(ShardPosition.after("5", 3_000), ShardPosition.after("7")),
                "written before the time was kept");
        assertEquals(GapBridge.UNKNOWN, earliest(ShardPosition.after("5", 3_000), ShardPosition.from(0)),
                "owed from its oldest record");
        assertEquals(GapBridge.UNKNOWN, earliest(ShardPosition.after("5", 3_000), null), "no checkpoint");
        assertEquals(GapBridge.UNKNOWN, GapBridge.earliest(List.of()), "no shard");
        assertEquals(GapBridge.UNKNOWN, earliest(ShardPosition.end()), "nothing owed: nothing tells");
    }
}
