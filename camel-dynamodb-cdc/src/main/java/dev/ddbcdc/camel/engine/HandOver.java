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
 *
 * @param exportArn        the export the snapshot was taken from; {@code null} for a Scan snapshot
 * @param exportTime       the snapshot's time T: the export's point in time, or the time the scan began
 * @param streamFromMillis T minus the overlap
 */
public record HandOver(String exportArn, Instant exportTime, long streamFromMillis) {

    public static HandOver of(String exportArn, Instant exportTime, long streamOverlapMillis) {
        return new HandOver(exportArn, exportTime, exportTime.toEpochMilli() - streamOverlapMillis);
    }

    /** The earliest creation time of the stream records delivered after the hand-over. */
    public long deliversFromMillis() {
        return ShardPosition.from(streamFromMillis).deliversFromMillis();
    }

    /** The document version of every item of this snapshot. */
    public long documentVersion() {
        return DocumentVersion.ofSnapshotItem(deliversFromMillis());
    }

    /** Where the stream starts when this consumer has not started it before. */
    public FirstStart firstStart() {
        return FirstStart.from(streamFromMillis);
    }
}
