package dev.ddbcdc.camel.checkpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void unreadableValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("2 TRIMMED_DATA"));
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("2 SOMETHING 1"));
        assertThrows(IllegalArgumentException.class, () -> Generation.parse("0 FIRST 0"));
    }
}
