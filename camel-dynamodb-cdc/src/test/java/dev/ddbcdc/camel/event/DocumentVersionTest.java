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

    @Test
    void snapshotItemsRankBelowEveryStreamRecordDeliveredAfterTheHandOver() {
        long exportTime = Instant.parse("2026-11-21T10:07:42.345Z").toEpochMilli();
        long streamFrom = dev.ddbcdc.camel.checkpoint.ShardPosition.from(exportTime - 300_000).deliversFromMillis();
        assertEquals(Instant.parse("2026-11-21T10:02:00Z").toEpochMilli(), streamFrom, "floored to the minute");
        long snapshot = DocumentVersion.ofSnapshotItem(streamFrom);
        assertTrue(snapshot < DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(streamFrom), "000000000000000000000"));
        assertTrue(snapshot < DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(streamFrom), "100000000000000000000"));
        assertTrue(snapshot >= DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(streamFrom - 1000),
                "999999999999999999999"), "older records may rank below: they were in the export already");
    }
}
