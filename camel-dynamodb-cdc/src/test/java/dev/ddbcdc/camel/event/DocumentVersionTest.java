package dev.ddbcdc.camel.event;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentVersionTest {

    @Test
    void laterSecondsWinAndSequenceNumbersBreakTiesWithinASecond() {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        long first = DocumentVersion.ofStreamRecord(t, "300000000000000499659");
        long second = DocumentVersion.ofStreamRecord(t, "300000000000000499660");
        long nextSecond = DocumentVersion.ofStreamRecord(t.plusSeconds(1), "300000000000000000001");
        assertTrue(first < second);
        assertTrue(second < nextSecond);
        assertEquals(first, DocumentVersion.ofStreamRecord(t, "300000000000000499659"), "deterministic on replay");
        assertTrue(DocumentVersion.lowestAt(t) <= first);
    }
}
