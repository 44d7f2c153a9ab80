package dev.ddbcdc.camel.checkpoint;

import java.time.Instant;

/**
 * A generation of one consumer's checkpoints on one table. The first generation is the consumer's first snapshot (or
 * first start) and the stream after it. A gap handled by {@code trimmedDataPolicy=RESNAPSHOT} begins the next
 * generation: a new snapshot and the stream from its hand-over, under keys of their own ({@link CheckpointKeys}), so
 * that nothing of the generation before (its snapshot state, shard positions, stream marker) is read again.
 * <p>
 * Stored under {@code dynamodb-cdc/<consumerId>/<tableArn>/generation} as {@code <number> <cause> <sinceMillis>};
 * no value means the first generation, so checkpoints written before generations existed keep their keys.
 *
 * @param number      1 for the first generation, then one more for each gap recovered from
 * @param cause       why this generation began ({@link Cause#FIRST} for the first)
 * @param sinceMillis when it began (0 for the first)
 */
public record Generation(int number, Cause cause, long sinceMillis) {

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
    }

    /** The generation that follows this one, beginning at {@code millis} because of {@code why}. */
    public Generation next(Cause why, long millis) {
        return new Generation(number + 1, why, millis);
    }

    public static Generation parse(String value) {
        if (value == null) {
            return FIRST;
        }
        String[] parts = value.split(" ");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a generation: '" + value + "'");
        }
        return new Generation(Integer.parseInt(parts[0]), Cause.valueOf(parts[1]), Long.parseLong(parts[2]));
    }

    public String serialize() {
        return number + " " + cause + " " + sinceMillis;
    }

    @Override
    public String toString() {
        return number == 1 ? "generation 1" : "generation " + number + " (" + cause + " at "
                                              + Instant.ofEpochMilli(sinceMillis) + ")";
    }
}
