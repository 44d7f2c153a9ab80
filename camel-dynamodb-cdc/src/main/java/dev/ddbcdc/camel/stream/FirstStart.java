package dev.ddbcdc.camel.stream;

import java.time.Instant;

import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.flow.StreamRetention;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;

/**
 * Where the shards listed at this consumer's first start on a stream begin (shards found later are always read from
 * their oldest record):
 * <ul>
 * <li>{@code LATEST}: open shards at their latest record, closed shards are skipped;</li>
 * <li>{@code TRIM_HORIZON}: every shard from its oldest record;</li>
 * <li>{@code from(millis)}: every shard from its oldest record, delivering records created at or after that time (the
 * hand-over from a snapshot, at the export time minus the overlap; or {@code AT_TIMESTAMP}'s startTimestamp). Those
 * records must still be there.</li>
 * </ul>
 */
public final class FirstStart {

    private static final String FROM = "FROM:";

    private final StartPosition startPosition;
    private final long fromMillis;
    /** A bucket joining the stream's start made by another bucket: never refused as a start beyond the retention. */
    private final boolean joined;

    private FirstStart(StartPosition startPosition, long fromMillis, boolean joined) {
        this.startPosition = startPosition;
        this.fromMillis = fromMillis;
        this.joined = joined;
    }

    /** {@code LATEST} or {@code TRIM_HORIZON}; {@code AT_TIMESTAMP} needs its time ({@link #of(StreamOptions)}). */
    public static FirstStart at(StartPosition startPosition) {
        if (startPosition == StartPosition.AT_TIMESTAMP) {
            throw new IllegalArgumentException("AT_TIMESTAMP starts from a time: use FirstStart.from(millis)");
        }
        return new FirstStart(startPosition, -1, false);
    }

    /** The start the options ask for: their start position, or from their start timestamp. */
    public static FirstStart of(StreamOptions options) {
        return options.startPosition() == StartPosition.AT_TIMESTAMP ? from(options.startTimestamp())
                : at(options.startPosition());
    }

    public static FirstStart from(long millis) {
        return new FirstStart(null, millis, false);
    }

    /**
     * The start the options ask for, for a unit (a bucket of the shards, {@code ShardCheckpointStore#ofUnit}) that
     * starts on a stream whose first start another unit of the consumer made ({@code null}: none did): it joins that
     * start as it was made, so that no change made since is skipped because this bucket was led later. A start from
     * the latest record becomes the records created from that time; one from the oldest record (a stream replaced
     * while the consumer was stopped, or TRIM_HORIZON) stays so; one from a time stays from that time. A marker that
     * does not say how it began (written before it was recorded) is read as the options say.
     */
    public static FirstStart of(StreamOptions options, ShardCheckpointStore.StreamStart startedElsewhere) {
        FirstStart asked = of(options);
        if (startedElsewhere == null) {
            return asked;
        }
        String how = startedElsewhere.how();
        if (how == null) {
            return asked.startPosition == StartPosition.LATEST ? new FirstStart(null, startedElsewhere.millis(), true)
                    : asked;
        }
        if (how.equals(StartPosition.TRIM_HORIZON.name())) {
            return at(StartPosition.TRIM_HORIZON);
        }
        if (how.startsWith(FROM)) {
            return new FirstStart(null, Long.parseLong(how.substring(FROM.length())), true);
        }
        return new FirstStart(null, startedElsewhere.millis(), true); // LATEST: the records from then on
    }

    /** How this start began, for the stream's marker ({@link #of(StreamOptions, ShardCheckpointStore.StreamStart)}). */
    public String how() {
        return startPosition != null ? startPosition.name() : FROM + fromMillis;
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

    /**
     * Whether records this start must deliver may already be trimmed at {@code nowMillis}: a start from a time more
     * than the stream's retention ago. Never for {@code LATEST} and {@code TRIM_HORIZON}.
     */
    public boolean mayBeTrimmed(long nowMillis) {
        return startPosition == null && !joined
               && StreamRetention.mayBeTrimmed(ShardPosition.from(fromMillis).deliversFromMillis(), nowMillis);
    }

    /**
     * A first start from a time the stream no longer fully holds (AT_TIMESTAMP over 24 hours ago) reads nothing.
     *
     * @throws IllegalArgumentException naming the time and what to do instead
     */
    public void refuseIfTrimmed(String tableName, long nowMillis) {
        if (mayBeTrimmed(nowMillis)) {
            throw new IllegalArgumentException("Table " + tableName + ": startTimestamp "
                    + Instant.ofEpochMilli(fromMillis) + " is more than " + StreamRetention.RETENTION.toHours()
                    + " hours ago, the stream's retention: changes made since then may already be trimmed from it, so"
                    + " nothing was read. Start from a time within the retention, or use startPosition=TRIM_HORIZON"
                    + " for every change still in the stream, or take a snapshot of the whole table (snapshotMode=SCAN"
                    + " or EXPORT)");
        }
    }

    @Override
    public String toString() {
        return startPosition != null ? startPosition.name() : "records created from " + Instant.ofEpochMilli(fromMillis)
                                                              + (joined ? " (the stream's first start, LATEST)" : "");
    }
}
