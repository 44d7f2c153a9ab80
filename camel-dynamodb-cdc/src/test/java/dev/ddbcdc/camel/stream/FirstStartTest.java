package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.flow.StreamRetention;
import dev.ddbcdc.camel.options.StartPosition;
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
    void retentionIs24Hours() {
        long day = 24L * 3600 * 1000;
        assertFalse(StreamRetention.mayBeTrimmed(1000, 1000 + day - 1));
        assertTrue(StreamRetention.mayBeTrimmed(1000, 1000 + day));
    }
}
