package dev.ddbcdc.camel.checkpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckTrackerTest {

    @Test
    void acknowledgesOnlyTheHighestContiguousCompletedRecord() {
        AckTracker<String> acks = new AckTracker<>("10");
        Object a = acks.register("11", 0);
        Object b = acks.register("12", 0);
        Object c = acks.register("13", 0);
        assertNull(acks.complete(b), "12 done but 11 still in flight");
        assertEquals("10", acks.acknowledged());
        assertNull(acks.complete(c));
        assertEquals("13", acks.complete(a), "11 completes the run up to 13");
        assertTrue(acks.drained());
    }

    @Test
    void aFailureHoldsThePositionInFrontOfIt() {
        AckTracker<String> acks = new AckTracker<>(null);
        Object a = acks.register("1", 0);
        Object b = acks.register("2", 0);
        Object c = acks.register("3", 0);
        acks.fail(b);
        assertEquals("2", acks.failed());
        assertNull(acks.complete(c));
        assertFalse(acks.drained());
        assertEquals("1", acks.complete(a), "records before the failure still count");
        assertTrue(acks.drained());
        assertEquals("1", acks.acknowledged(), "never past the failed record");
    }

    @Test
    void rewindForgetsInFlightRecordsAndLateCompletionsAreIgnored() {
        AckTracker<String> acks = new AckTracker<>("5");
        Object a = acks.register("6", 100);
        assertEquals(100, acks.oldestInFlightSince());
        assertEquals(1, acks.inFlight());
        acks.rewind();
        assertEquals(-1, acks.oldestInFlightSince());
        assertNull(acks.failed());
        Object again = acks.register("6", 200);
        acks.complete(a);
        assertEquals("5", acks.acknowledged(), "a completion from before the rewind moves nothing");
        assertEquals("6", acks.complete(again));
    }
}
