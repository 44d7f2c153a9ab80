package dev.ddbcdc.camel.stream;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.ShardPosition;

/**
 * The checkpointed positions of a stream's shards, with their parents: what the start of a gap is computed from.
 *
 * @param positions each shard's checkpoint ({@code null} for one without)
 * @param parents   each shard's parent, for those that have one
 */
public record ShardCheckpoints(Map<String, ShardPosition> positions, Map<String, String> parents) {

    public ShardCheckpoints {
        positions = Collections.unmodifiableMap(new HashMap<>(positions)); // null values: no checkpoint
        parents = Map.copyOf(parents);
    }
}
