package dev.ddbcdc.camel.engine;

import java.util.HashMap;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.stream.ShardCheckpoints;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A gap's start over the shards' positions: never later than any change a shard still owes. */
class GapBridgeTest {

    /** Shards s0, s1, ... at these positions, without parents. */
    static long earliest(ShardPosition... positions) {
        Map<String, ShardPosition> shards = new HashMap<>();
        for (int i = 0; i < positions.length; i++) {
            shards.put("s" + i, positions[i]);
        }
        return GapBridge.earliest(new ShardCheckpoints(shards, Map.of()));
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
                "owed from its oldest record, no parent known");
        assertEquals(GapBridge.UNKNOWN, earliest(ShardPosition.after("5", 3_000), null), "no checkpoint");
        assertEquals(GapBridge.UNKNOWN, earliest(), "no shard");
        assertEquals(GapBridge.UNKNOWN, earliest(ShardPosition.end()), "nothing owed: nothing tells");
    }

    @Test
    void aChildOwedFromItsOldestRecordIsBoundedByItsParentsTime() {
        Map<String, ShardPosition> positions = new HashMap<>();
        positions.put("parent", ShardPosition.after("5", 7_000));
        positions.put("child", ShardPosition.from(0));
        positions.put("other", ShardPosition.after("9", 9_000));
        assertEquals(7_000, GapBridge.earliest(new ShardCheckpoints(positions, Map.of("child", "parent"))),
                "the child's records were all written after the parent's");
        positions.put("parent", ShardPosition.end());
        assertEquals(GapBridge.UNKNOWN, GapBridge.earliest(new ShardCheckpoints(positions, Map.of("child", "parent"))),
                "a parent read to its end no longer tells when");
        positions.put("parent", ShardPosition.after("5"));
        assertEquals(GapBridge.UNKNOWN, GapBridge.earliest(new ShardCheckpoints(positions, Map.of("child", "parent"))));
    }
}
