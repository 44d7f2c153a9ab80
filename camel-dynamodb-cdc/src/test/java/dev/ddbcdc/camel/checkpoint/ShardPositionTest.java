package dev.ddbcdc.camel.checkpoint;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardPositionTest {

    @Test
    void checkpointFormsRoundTrip() {
        for (ShardPosition p : new ShardPosition[] { ShardPosition.after("000123"), ShardPosition.end(),
                ShardPosition.from(1234) }) {
            assertEquals(p, ShardPosition.parse(p.serialize()));
        }
        assertNull(ShardPosition.parse(null));
        assertThrows(IllegalArgumentException.class, () -> ShardPosition.parse("nonsense"));
        assertThrows(IllegalStateException.class, () -> ShardPosition.trimHorizon().serialize());
    }

    @Test
    void anAcknowledgedRecordKeepsItsCreationTimeAndOldValuesStillParse() {
        ShardPosition timed = ShardPosition.after("000123", 1_700_000_060_000L);
        assertEquals("seq:000123@1700000060000", timed.serialize());
        ShardPosition parsed = ShardPosition.parse(timed.serialize());
        assertEquals("000123", parsed.sequenceNumber());
        assertEquals(1_700_000_060_000L, parsed.createdMillis());
        ShardPosition old = ShardPosition.parse("seq:000123");
        assertEquals(ShardPosition.UNKNOWN_TIME, old.createdMillis(), "written before the time was kept");
        assertEquals("seq:000123", old.serialize(), "an unknown time is not invented");
        assertEquals(old, parsed, "the time annotates the sequence number, it is the same position");
        assertEquals(ShardPosition.UNKNOWN_TIME, ShardPosition.from(5).createdMillis());
        assertThrows(IllegalArgumentException.class, () -> ShardPosition.after("1@2", 3));
        assertThrows(NumberFormatException.class, () -> ShardPosition.parse("seq:1@soon"));
    }

    @Test
    void latestIsPersistedAndResumedAsFromItsStartTime() {
        ShardPosition latest = ShardPosition.latest(90_000);
        assertEquals(ShardIteratorType.LATEST, latest.iteratorType());
        assertEquals(ShardPosition.from(90_000), ShardPosition.parse(latest.serialize()));
        assertEquals(ShardPosition.from(90_000), latest.resumable());
        assertEquals(ShardIteratorType.TRIM_HORIZON, latest.resumable().iteratorType());
    }

    @Test
    void fromAcceptsRecordsAtOrAfterItsTimeFlooredToTheMinute() {
        ShardPosition from = ShardPosition.from(90_000); // 00:01:30
        assertTrue(from.accepts(60_000), "DynamoDB rounds creation times down: the minute counts");
        assertTrue(from.accepts(120_000));
        assertFalse(from.accepts(59_999));
        assertTrue(ShardPosition.trimHorizon().accepts(0));
    }

    @Test
    void iteratorTypes() {
        assertEquals(ShardIteratorType.AFTER_SEQUENCE_NUMBER, ShardPosition.after("1").iteratorType());
        assertEquals("1", ShardPosition.after("1").sequenceNumber());
        assertThrows(IllegalStateException.class, () -> ShardPosition.end().iteratorType());
        assertTrue(ShardPosition.after("1").requiresContinuity());
        assertFalse(ShardPosition.trimHorizon().requiresContinuity());
    }
}
