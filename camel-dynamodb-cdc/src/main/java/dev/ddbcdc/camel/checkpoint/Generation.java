package dev.ddbcdc.camel.checkpoint;

import java.time.Instant;

/**
 * A generation of one consumer's checkpoints on one table. The first generation is the consumer's first snapshot (or
 * first start) and the stream after it. A gap handled by {@code trimmedDataPolicy=RESNAPSHOT} begins the next
 * generation: a new snapshot and the stream from its hand-over, under keys of their own ({@link CheckpointKeys}), so
 * that nothing of the generation before (its snapshot state, shard positions, stream marker) is read again.
 * <p>
 * A gap handled by {@code trimmedDataPolicy=INCREMENTAL_EXPORT} begins a generation too, whose "snapshot" is the
 * chain of incremental exports from the gap's start on ({@code bridgeFromMillis}, the time of the last acknowledged
 * change before the gap), then the stream from their end.
 * <p>
 * Stored under {@code dynamodb-cdc/<consumerId>/<tableArn>/generation} as {@code <number> <cause> <sinceMillis>},
 * followed by {@code <bridgeFromMillis>} for a bridged generation; no value means the first generation, so
 * checkpoints written before generations existed keep their keys.
 *
 * @param number           1 for the first generation, then one more for each gap recovered from
 * @param cause            why this generation began ({@link Cause#FIRST} for the first)
 * @param sinceMillis      when it began (0 for the first)
 * @param bridgeFromMillis for a generation that bridges its gap by incremental exports, the gap's start T0; else
 *                         {@value #NOT_BRIDGED}
 */
public record Generation(int number, Cause cause, long sinceMillis, long bridgeFromMillis) {

    /** {@link #bridgeFromMillis()} of a generation that takes a snapshot (or none), not a bridge. */
    public static final long NOT_BRIDGED = -1;

    /** Why a generation began. */
    public enum Cause {
        /** The consumer's first snapshot or start. */
        FIRST,
        /** Stream records were trimmed, or a parent shard was gone, before they were read. */
        TRIMMED_DATA,
        /** The table's stream was replaced (disabled and enabled again). */
        STREAM_REPLACED,
        /** The snapshot took longer than the stream's retention allows for its hand-over. */
        SNAPSHOT_OUTLIVED_RETENTION
    }

    public static final Generation FIRST = new Generation(1, Cause.FIRST, 0);

    public Generation {
        if (number < 1) {
            throw new IllegalArgumentException("a generation number is at least 1, was " + number);
        }
        if (bridgeFromMillis < NOT_BRIDGED || bridgeFromMillis != NOT_BRIDGED && number == 1) {
            throw new IllegalArgumentException("only a generation after the first bridges a gap from a time, not "
                                               + number + " from " + bridgeFromMillis);
        }
    }

    /** A generation that takes a snapshot (or none). */
    public Generation(int number, Cause cause, long sinceMillis) {
        this(number, cause, sinceMillis, NOT_BRIDGED);
    }

    /** The generation that follows this one, beginning at {@code millis} because of {@code why}: a new snapshot. */
    public Generation next(Cause why, long millis) {
        return new Generation(number + 1, why, millis);
    }

    /**
     * The generation that follows this one, beginning at {@code millis} because of {@code why}, bridging the gap by
     * incremental exports from {@code gapStartMillis} on.
     */
    public Generation nextBridged(Cause why, long millis, long gapStartMillis) {
        return new Generation(number + 1, why, millis, Math.max(0, gapStartMillis));
    }

    /** Whether this generation bridges its gap by incremental exports (from {@link #bridgeFromMillis()}). */
    public boolean bridged() {
        return bridgeFromMillis != NOT_BRIDGED;
    }

    public static Generation parse(String value) {
        if (value == null) {
            return FIRST;
        }
        String[] parts = value.split(" ");
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException("not a generation: '" + value + "'");
        }
        return new Generation(Integer.parseInt(parts[0]), Cause.valueOf(parts[1]), Long.parseLong(parts[2]),
                parts.length == 4 ? Long.parseLong(parts[3]) : NOT_BRIDGED);
    }

    public String serialize() {
        return number + " " + cause + " " + sinceMillis + (bridged() ? " " + bridgeFromMillis : "");
    }

    @Override
    public String toString() {
        return number == 1 ? "generation 1" : "generation " + number + " (" + cause + " at "
                                              + Instant.ofEpochMilli(sinceMillis)
                                              + (bridged() ? ", bridged by incremental exports from "
                                                             + Instant.ofEpochMilli(bridgeFromMillis) : "")
                                              + ")";
    }
}
