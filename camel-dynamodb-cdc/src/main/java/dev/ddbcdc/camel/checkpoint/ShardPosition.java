package dev.ddbcdc.camel.checkpoint;

import java.util.Objects;

import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * Where reading of one shard starts or resumes. Immutable; made only through the named factories, and written to
 * and read from the checkpoint store through {@link #serialize()} / {@link #parse(String)}.
 * <ul>
 * <li>{@code trimHorizon()}: the oldest record still in the shard.</li>
 * <li>{@code latest(millis)}: records written from now on (first start with {@code startPosition=LATEST}). It is
 * persisted as {@code from(millis)}, so a restart before the first record re-reads the shard from its oldest record,
 * delivering those created at or after the start (at-least-once: nothing written after the start is lost).</li>
 * <li>{@code from(millis)}: the oldest record, delivering only records whose approximate creation time is at or
 * after {@code millis} floored to the minute (DynamoDB rounds creation times down; flooring can only add records).</li>
 * <li>{@code after(sequenceNumber, createdMillis)}: resume after the last acknowledged record, whose approximate
 * creation time it keeps (stored as {@code seq:<n>@<millis>}), so that a gap after it can be bridged from that time
 * ({@code trimmedDataPolicy=INCREMENTAL_EXPORT}). Values written before the time was kept ({@code seq:<n>}) still
 * parse, with the time unknown. The time annotates the sequence number (it is the creation time of the record the
 * number names), so it takes no part in equality.</li>
 * <li>{@code end()}: the shard was read to its end and everything in it acknowledged; never read again.</li>
 * </ul>
 */
public final class ShardPosition {

    private enum Kind {
        TRIM_HORIZON, LATEST, FROM, AFTER, END
    }

    private static final String END_SENTINEL = "END";
    private static final String AFTER_PREFIX = "seq:";
    private static final String FROM_PREFIX = "from:";
    private static final String TIME_SEPARATOR = "@";
    private static final long MINUTE_MILLIS = 60_000L;
    /** {@link #createdMillis()} when the time is unknown. */
    public static final long UNKNOWN_TIME = -1;

    private final Kind kind;
    private final String sequenceNumber;
    private final long fromMillis;
    /** For {@code after}: the approximate creation time of the record, or {@link #UNKNOWN_TIME}. */
    private final long createdMillis;

    private ShardPosition(Kind kind, String sequenceNumber, long fromMillis) {
        this(kind, sequenceNumber, fromMillis, UNKNOWN_TIME);
    }

    private ShardPosition(Kind kind, String sequenceNumber, long fromMillis, long createdMillis) {
        this.kind = kind;
        this.sequenceNumber = sequenceNumber;
        this.fromMillis = fromMillis;
        this.createdMillis = createdMillis;
    }

    public static ShardPosition trimHorizon() {
        return new ShardPosition(Kind.TRIM_HORIZON, null, 0);
    }

    public static ShardPosition latest(long startMillis) {
        return new ShardPosition(Kind.LATEST, null, startMillis);
    }

    public static ShardPosition from(long millis) {
        return new ShardPosition(Kind.FROM, null, millis);
    }

    /** After the record {@code sequenceNumber}, its creation time unknown. */
    public static ShardPosition after(String sequenceNumber) {
        return after(sequenceNumber, UNKNOWN_TIME);
    }

    /** After the record {@code sequenceNumber}, created at {@code createdMillis} ({@link #UNKNOWN_TIME}: unknown). */
    public static ShardPosition after(String sequenceNumber, long createdMillis) {
        if (sequenceNumber == null || sequenceNumber.isBlank() || sequenceNumber.contains(TIME_SEPARATOR)) {
            throw new IllegalArgumentException("sequence number must not be blank, was '" + sequenceNumber + "'");
        }
        return new ShardPosition(Kind.AFTER, sequenceNumber, 0, createdMillis < 0 ? UNKNOWN_TIME : createdMillis);
    }

    public static ShardPosition end() {
        return new ShardPosition(Kind.END, null, 0);
    }

    /** Parses a checkpoint value written by {@link #serialize()}; {@code null} stays {@code null} (no checkpoint). */
    public static ShardPosition parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (END_SENTINEL.equals(value)) {
            return end();
        }
        if (value.startsWith(AFTER_PREFIX)) {
            String after = value.substring(AFTER_PREFIX.length());
            int at = after.indexOf(TIME_SEPARATOR);
            return at < 0 ? after(after) : after(after.substring(0, at), Long.parseLong(after.substring(at + 1)));
        }
        if (value.startsWith(FROM_PREFIX)) {
            return from(Long.parseLong(value.substring(FROM_PREFIX.length())));
        }
        throw new IllegalArgumentException("Unreadable shard checkpoint value '" + value + "'");
    }

    /** The checkpoint form. {@code latest} is stored as {@code from} (see the class comment); trim horizon is never stored. */
    public String serialize() {
        switch (kind) {
            case END:
                return END_SENTINEL;
            case AFTER:
                return AFTER_PREFIX + sequenceNumber + (createdMillis == UNKNOWN_TIME ? ""
                        : TIME_SEPARATOR + createdMillis);
            case FROM:
            case LATEST:
                return FROM_PREFIX + fromMillis;
            default:
                throw new IllegalStateException("trim horizon is a start position, not a checkpoint");
        }
    }

    /**
     * This position as it may be used again later: {@code latest} becomes {@code from} its start time, because a
     * second LATEST iterator would skip what was written in between. Every other position is returned as it is.
     */
    public ShardPosition resumable() {
        return kind == Kind.LATEST ? from(fromMillis) : this;
    }

    /**
     * Whether records right after this position must still be there: true for a checkpoint ({@code after},
     * {@code from}), false for the start positions {@code trimHorizon} and {@code latest}.
     */
    public boolean requiresContinuity() {
        return kind == Kind.AFTER || kind == Kind.FROM;
    }

    /** Whether this is {@code from(millis)} from a time (not from the oldest record, {@code from(0)}). */
    public boolean isFromTime() {
        return kind == Kind.FROM && fromMillis > 0;
    }

    /** Whether this position can be written as a checkpoint (all but trim horizon). */
    public boolean isStorable() {
        return kind != Kind.TRIM_HORIZON;
    }

    public boolean isEnd() {
        return kind == Kind.END;
    }

    public ShardIteratorType iteratorType() {
        switch (kind) {
            case AFTER:
                return ShardIteratorType.AFTER_SEQUENCE_NUMBER;
            case LATEST:
                return ShardIteratorType.LATEST;
            case TRIM_HORIZON:
            case FROM:
                return ShardIteratorType.TRIM_HORIZON;
            default:
                throw new IllegalStateException("an ended shard has no iterator");
        }
    }

    /**
     * For {@code after}: the approximate creation time of the record resumed after (the last acknowledged change of
     * the shard), or {@link #UNKNOWN_TIME} (a checkpoint written before the time was kept, or another kind).
     */
    public long createdMillis() {
        return createdMillis;
    }

    /** Whether this is {@code after} a record. */
    public boolean isAfter() {
        return kind == Kind.AFTER;
    }

    /** The sequence number to resume after, or {@code null}. */
    public String sequenceNumber() {
        return sequenceNumber;
    }

    /**
     * Whether a record created at {@code creationMillis} is delivered from this position: always, except for
     * {@code from(millis)}, which delivers records created at or after {@code millis} floored to the minute.
     */
    public boolean accepts(long creationMillis) {
        if (kind != Kind.FROM) {
            return true;
        }
        return creationMillis >= deliversFromMillis();
    }

    /** For {@code from(millis)}: the earliest creation time delivered, {@code millis} floored to the minute. */
    public long deliversFromMillis() {
        if (kind != Kind.FROM) {
            throw new IllegalStateException(this + " delivers every record");
        }
        return Math.floorDiv(fromMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
    }

    /** The records from this position on, in words for messages ("created from T on", "after sequence number N"). */
    public String describe() {
        switch (kind) {
            case TRIM_HORIZON:
                return "from the oldest record on";
            case LATEST:
                return "from the latest record on";
            case FROM:
                return fromMillis == 0 ? "from the oldest record on"
                        : "created from " + java.time.Instant.ofEpochMilli(deliversFromMillis()) + " on";
            case AFTER:
                return "after sequence number " + sequenceNumber;
            default:
                return "after the shard's end";
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ShardPosition)) {
            return false;
        }
        ShardPosition that = (ShardPosition) o;
        return kind == that.kind && fromMillis == that.fromMillis && Objects.equals(sequenceNumber, that.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, sequenceNumber, fromMillis);
    }

    @Override
    public String toString() {
        switch (kind) {
            case TRIM_HORIZON:
                return "TRIM_HORIZON";
            case LATEST:
                return "LATEST";
            case FROM:
                return "TRIM_HORIZON from " + java.time.Instant.ofEpochMilli(fromMillis);
            case AFTER:
                return "AFTER_SEQUENCE_NUMBER " + sequenceNumber + (createdMillis == UNKNOWN_TIME ? ""
                        : " (created " + java.time.Instant.ofEpochMilli(createdMillis) + ")");
            default:
                return END_SENTINEL;
        }
    }
}
