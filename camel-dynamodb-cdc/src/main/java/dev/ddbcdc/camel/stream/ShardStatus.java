package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.checkpoint.ShardPosition;

/**
 * One shard as this instance sees it, for consoles: its lineage state, the position this instance last saved for it
 * ({@code null} when none yet, or once it ended), and its lag behind the stream head (0 caught up, -1 not read).
 */
public record ShardStatus(String shardId, ShardLineageTracker.State state, ShardPosition position, long lagMillis) {
}
