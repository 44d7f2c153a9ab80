package dev.ddbcdc.camel.stream;

import java.time.Instant;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.options.StartPosition;

/**
 * Where the shards listed at this consumer's first start on a stream begin (shards found later are always read from
 * their oldest record):
 * <ul>
 * <li>{@code LATEST}: open shards at their latest record, closed shards are skipped;</li>
 * <li>{@code TRIM_HORIZON}: every shard from its oldest record;</li>
 * <li>{@code from(millis)}: every shard from its oldest record, delivering records created at or after that time (the
 * hand-over from a snapshot, at the export time minus the overlap). Those records must still be there.</li>
 * </ul>
 */
public final class FirstStart {

    private final StartPosition startPosition;
    private final long fromMillis;

    private FirstStart(StartPosition startPosition, long fromMillis) {
        this.startPosition = startPosition;
        this.fromMillis = fromMillis;
    }

    public static FirstStart at(StartPosition startPosition) {
        return new FirstStart(startPosition, -1);
    }

    public static FirstStart from(long millis) {
        return new FirstStart(null, millis);
    }

    /** The start position of a shard listed at the first start. */
    ShardPosition positionFor(boolean closed, long nowMillis) {
        if (startPosition == null) {
            return ShardPosition.from(fromMillis);
        }
        if (startPosition == StartPosition.TRIM_HORIZON) {
            return ShardPosition.trimHorizon();
        }
        return closed ? ShardPosition.end() : ShardPosition.latest(nowMillis);
    }

    @Override
    public String toString() {
        return startPosition != null ? startPosition.name() : "records created from " + Instant.ofEpochMilli(fromMillis);
    }
}
