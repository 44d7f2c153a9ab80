package dev.ddbcdc.camel.checkpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationTest {

    @Test
    void noValueIsTheFirstGenerationAndEachNextOneCountsOn() {
        assertEquals(Generation.FIRST, Generation.parse(null));
        Generation second = Generation.FIRST.next(Generation.Cause.TRIMMED_DATA, 1000);
        Generation third = second.next(Generation.Cause.SNAPSHOT_OUTLIVED_RETENTION, 2000);
        assertEquals(new Generation(3, Generation.Cause.SNAPSHOT_OUTLIVED_RETENTION, 2000), third);
        assertEquals(third, Generation.parse(third.serialize()));
        assertEquals("2 TRIMMED_DATA 1000", second.serialize());
    }

    @Test
    void aBridgedGenerationKeepsItsGapsStartAndOldValuesStillParse() {
        Generation bridged = Generation.FIRST.nextBridged(Generation.Cause.TRIMMED_DATA, 5000, 1234);
        assertTrue(bridged.bridged());
        assertEquals(1234, bridged.bridgeFromMillis());
        assertEquals("2 TRIMMED_DATA 5000 1234", bridged.serialize());
        assertEquals(bridged, Generation.parse(bridged.serialize()));
        Generation old = Generation.parse("2 TRIMMED_DATA 5000");
        assertFalse(old.bridged(), "written before bridges existed: a new snapshot");
        assertEquals(Generation.NOT_BRIDGED, old.bridgeFromMillis());
        assertFalse(bridged.next(Generation.Cause.STREAM_REPLACED, 6000).bridged());
        assertThrows(IllegalArgumentException.class, () -> new Generation(1, Generation.Cause.FIRST, 0, 10),
                "the first generation bridges nothing");
    }

    @Test
    void unreadableValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("2 TRIMMED_DATA"));
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("2 SOMETHING 1"));
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("0 FIRST 0"));
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("2 TRIMMED_DATA 1 2 3"));
    }
}
