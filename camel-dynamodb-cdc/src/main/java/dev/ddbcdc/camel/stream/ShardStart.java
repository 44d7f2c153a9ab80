package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.checkpoint.ShardPosition;

/**
 * How a shard reader starts: its position, whether the shard was already closed when listed, whether every record
 * from that position on must still be there (a checkpoint, a shard born after the first start, or a child of a shard
 * this consumer reads; when it need not, finding the start trimmed is no loss), and for {@code LATEST} the iterator
 * fetched when the start was fixed ({@code null} otherwise), so that the reader begins exactly there.
 */
record ShardStart(ShardPosition position, boolean closed, boolean mustBeComplete, String iterator) {

    ShardStart(ShardPosition position, boolean closed, boolean mustBeComplete) {
        this(position, closed, mustBeComplete, null);
    }
}
