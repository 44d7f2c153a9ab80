package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.flow.StreamRetention;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstStartTest {

    @Test
    void latestSkipsClosedShardsAndStartsOpenOnesNow() {
        FirstStart latest = FirstStart.at(StartPosition.LATEST);
        assertTrue(latest.positionFor(true, 5000).isEnd());
        assertEquals(ShardPosition.latest(5000), latest.positionFor(false, 5000));
    }

    @Test
    void trimHorizonReadsEverythingAndStoresNothing() {
        ShardPosition position = FirstStart.at(StartPosition.TRIM_HORIZON).positionFor(true, 5000);
        assertEquals(ShardPosition.trimHorizon(), position);
        assertFalse(position.isStorable());
    }

    @Test
    void fromAHandOverReadsEveryShardAndPromisesItsRecords() {
        FirstStart handOver = FirstStart.from(120_000);
        for (boolean closed : new boolean[] { true, false }) {
            ShardPosition position = handOver.positionFor(closed, 999_999);
            assertEquals(ShardPosition.from(120_000), position);
            assertTrue(position.requiresContinuity(), "trimmed records from then are a loss");
            assertTrue(position.isStorable());
        }
    }

    @Test
    void aBucketLedAfterTheStreamsFirstStartJoinsItAsItWasMade() {
        long started = 1_000_000;
        long now = started + StreamRetention.RETENTION.toMillis() + 60_000; // led a day later (shardBuckets grew)
        FirstStart latest = FirstStart.at(StartPosition.LATEST);
        FirstStart joined = FirstStart.of(options(StartPosition.LATEST), new ShardCheckpointStore.StreamStart(started,
                latest.how()));
        for (boolean closed : new boolean[] { true, false }) {
            assertEquals(ShardPosition.from(started), joined.positionFor(closed, now),
                    "the changes since the stream's first start, not those since this bucket's");
        }
        assertFalse(joined.mayBeTrimmed(now), "not refused as a start beyond the retention: the user did not ask it");
        assertEquals(latest.positionFor(false, now), FirstStart.of(options(StartPosition.LATEST), null)
                .positionFor(false, now), "the first bucket");

        // the stream was replaced while the consumer was stopped: the first bucket read the new one from its oldest
        // record, and so does every bucket led later, whatever startPosition says
        FirstStart afterReplacement = FirstStart.of(options(StartPosition.LATEST),
                new ShardCheckpointStore.StreamStart(started, FirstStart.at(StartPosition.TRIM_HORIZON).how()));
        assertEquals(ShardPosition.trimHorizon(), afterReplacement.positionFor(true, now));

        FirstStart fromTime = FirstStart.of(options(StartPosition.LATEST),
                new ShardCheckpointStore.StreamStart(started, FirstStart.from(120_000).how()));
        assertEquals(ShardPosition.from(120_000), fromTime.positionFor(false, now), "a hand-over's time");

        // a marker written before it said how it began: as the options say, LATEST from its time
        assertEquals(ShardPosition.from(started), FirstStart.of(options(StartPosition.LATEST),
                new ShardCheckpointStore.StreamStart(started, null)).positionFor(false, now));
        assertEquals(ShardPosition.trimHorizon(), FirstStart.of(options(StartPosition.TRIM_HORIZON),
                new ShardCheckpointStore.StreamStart(started, null)).positionFor(true, now));
    }

    static StreamOptions options(StartPosition start) {
        return new StreamOptions(start, 100, 50, 1000, 60_000, 4, TrimmedDataPolicy.FAIL, 600_000);
    }

    @Test
    void retentionIs24Hours() {
        long day = 24L * 3600 * 1000;
        assertFalse(StreamRetention.mayBeTrimmed(1000, 1000 + day - 1));
        assertTrue(StreamRetention.mayBeTrimmed(1000, 1000 + day));
    }
}
