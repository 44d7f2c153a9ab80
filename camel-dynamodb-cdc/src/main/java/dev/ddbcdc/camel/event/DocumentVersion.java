package dev.ddbcdc.camel.event;

import java.math.BigInteger;
import java.time.Instant;

/**
 * The document version of a change: a long that grows with the time of the change, for external versioning in
 * sinks (a sink keeps the change with the highest version of each item).
 * <p>
 * Stream record: {@code creationSecond * 10^9 + (sequenceNumber mod 10^9)}. Creation seconds order changes made in
 * different seconds; within one second, the sequence number orders the changes of an item (DynamoDB writes the
 * changes of one item to one shard lineage with increasing sequence numbers). It is derived from the record alone,
 * so a record delivered again after a restart carries the same version. The tie-break fails only when two changes
 * of one item in the same second straddle a multiple of 10^9 in sequence numbers.
 */
public final class DocumentVersion {

    private static final long SECOND_FACTOR = 1_000_000_000L;
    private static final BigInteger TIEBREAK_MODULUS = BigInteger.valueOf(SECOND_FACTOR);

    private DocumentVersion() {
    }

    public static long ofStreamRecord(Instant creationTime, String sequenceNumber) {
        long tiebreak = new BigInteger(sequenceNumber).mod(TIEBREAK_MODULUS).longValueExact();
        return creationTime.getEpochSecond() * SECOND_FACTOR + tiebreak;
    }

    /**
     * The version of every item of a snapshot handed over to the stream at {@code streamFromMillis}: one below the
     * lowest version a stream record created at or after that time can carry, so any such record wins in a sink.
     */
    public static long ofSnapshotItem(long streamFromMillis) {
        return lowestAt(Instant.ofEpochMilli(Math.floorDiv(streamFromMillis, 1000) * 1000)) - 1;
    }

    /** The lowest version any change made at or after {@code time} can carry. */
    public static long lowestAt(Instant time) {
        return time.getEpochSecond() * SECOND_FACTOR;
    }
}
