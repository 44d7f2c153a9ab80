package dev.ddbcdc.camel.stream;

/**
 * How a shard reader starts: its position, whether the shard was already closed when listed, and whether every
 * record from that position on must still be there (a checkpoint, a shard born after the first start, or a child of
 * a shard this consumer reads). When it need not, finding the start trimmed is no loss.
 */
record ShardStart(ShardPosition position, boolean closed, boolean mustBeComplete) {
}
