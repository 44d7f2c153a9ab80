package dev.ddbcdc.camel.stream;

/**
 * Which shards of the stream this consumer reads. The stream coordinator reads only the shards it owns; a child whose
 * parent belongs to another owner waits until the parent's end sentinel is in the shared checkpoint store, so a
 * key's changes stay in order across owners. Today every consumer owns every shard ({@link #ALL}); scale-out assigns
 * shards by bucket.
 */
@FunctionalInterface
public interface ShardOwnership {

    /** Owns every shard. */
    ShardOwnership ALL = shardId -> true;

    boolean owns(String shardId);
}
