package dev.ddbcdc.camel.engine;

import java.time.Instant;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.event.DocumentVersion;
import dev.ddbcdc.camel.stream.FirstStart;

/**
 * Where a snapshot hands over to the stream, computed in this one place: the stream is read from the snapshot's time
 * T (the export time, or the time the scan began) minus {@code streamOverlap} (records created from then on are
 * delivered, that time floored to the minute as DynamoDB floors creation times), and every snapshot item carries a
 * document version below that of every stream record delivered after the hand-over.
 * <p>
 * A snapshot taken to recover a replaced stream (trimmedDataPolicy=RESNAPSHOT) must also win over every change a
 * sink holds from the old stream, including those within the overlap, which the new stream does not deliver again.
 * Its items carry the version of the minute after the new stream's creation ({@code versionFloorMillis}): above
 * every record of the old stream (DynamoDB Local floors creation times to the minute), and below every record of
 * the new stream from then on; the engine begins such a snapshot only once that minute is more than a minute past,
 * so the snapshot holds the new stream's records of its first minute.
 *
 * @param exportArn          the export the snapshot was taken from; {@code null} for a Scan snapshot
 * @param exportTime         the snapshot's time T: the export's point in time, or the time the scan began
 * @param streamFromMillis   T minus the overlap
 * @param versionFloorMillis the time whose version the items carry at least (0: none)
 */
public record HandOver(String exportArn, Instant exportTime, long streamFromMillis, long versionFloorMillis) {

    public static HandOver of(String exportArn, Instant exportTime, long streamOverlapMillis) {
        return of(exportArn, exportTime, streamOverlapMillis, 0);
    }

    public static HandOver of(String exportArn, Instant exportTime, long streamOverlapMillis,
                              long versionFloorMillis) {
        return new HandOver(exportArn, exportTime, exportTime.toEpochMilli() - streamOverlapMillis,
                versionFloorMillis);
    }

    /** The earliest creation time of the stream records delivered after the hand-over. */
    public long deliversFromMillis() {
        return ShardPosition.from(streamFromMillis).deliversFromMillis();
    }

    /** The document version of every item of this snapshot. */
    public long documentVersion() {
        return DocumentVersion.ofSnapshotItem(Math.max(deliversFromMillis(), versionFloorMillis));
    }

    /** Where the stream starts when this consumer has not started it before. */
    public FirstStart firstStart() {
        return FirstStart.from(streamFromMillis);
    }
}
