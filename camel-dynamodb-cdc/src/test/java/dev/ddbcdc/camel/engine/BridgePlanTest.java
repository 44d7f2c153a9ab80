package dev.ddbcdc.camel.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.event.DocumentVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The windows of a gap's bridge and the document versions of their items, on fixed times. */
class BridgePlanTest {

    static final long T1 = Instant.parse("2024-03-05T12:00:07.250Z").toEpochMilli();
    static final long OVERLAP = Duration.ofMinutes(2).toMillis();
    static final long NO_PITR_LIMIT = Long.MIN_VALUE;

    static long minutes(long n) {
        return Duration.ofMinutes(n).toMillis();
    }

    static long hours(long n) {
        return Duration.ofHours(n).toMillis();
    }

    /** Windows are contiguous, from the plan's start to its end, each 15 minutes to 24 hours, on whole seconds. */
    static void assertValid(BridgePlan plan) {
        long start = plan.fromMillis();
        for (BridgePlan.Window window : plan.windows()) {
            assertEquals(start, window.fromMillis(), plan.windows().toString());
            long length = window.toMillis() - window.fromMillis();
            assertTrue(length >= BridgePlan.MIN_WINDOW.toMillis() && length <= BridgePlan.MAX_WINDOW.toMillis(),
                    window.toString());
            assertEquals(0, window.fromMillis() % 1000, window.toString());
            assertEquals(0, window.toMillis() % 1000, window.toString());
            start = window.toMillis();
        }
        assertEquals(plan.toMillis(), start);
    }

    @Test
    void aGapOfHoursIsOneWindowFromItsStartToNow() {
        long gapStart = T1 - hours(3) - 1234;
        BridgePlan plan = BridgePlan.of(gapStart, T1, NO_PITR_LIMIT);
        assertValid(plan);
        assertEquals(1, plan.size());
        assertEquals(Math.floorDiv(gapStart, 1000) * 1000, plan.fromMillis(), "floored: never later than T0");
        assertEquals(T1 - 250, plan.toMillis());
    }

    @Test
    void aGapShorterThanFifteenMinutesStartsEarlierNeverLater() {
        long gapStart = T1 - minutes(2);
        BridgePlan plan = BridgePlan.of(gapStart, T1, NO_PITR_LIMIT);
        assertValid(plan);
        assertEquals(1, plan.size());
        assertTrue(plan.fromMillis() <= gapStart);
        assertEquals(plan.toMillis() - BridgePlan.MIN_WINDOW.plus(BridgePlan.MARGIN).toMillis(), plan.fromMillis());
        assertTrue(plan.coveredFrom(plan.fromMillis()));
    }

    @Test
    void aShortGapStartsNoEarlierThanPointInTimeRecoveryWhenThatStillLeavesAWindow() {
        long gapStart = T1 - minutes(10);
        long restorable = T1 - minutes(15) - 30_500; // 15.5 minutes before T1: a window fits, starting there
        BridgePlan plan = BridgePlan.of(gapStart, T1, restorable);
        assertValid(plan);
        assertEquals(Math.floorDiv(restorable + 999, 1000) * 1000, plan.fromMillis(),
                "the restorable time, up to the second");
        assertTrue(plan.coveredFrom(restorable));

        BridgePlan tooRecent = BridgePlan.of(gapStart, T1, T1 - minutes(12));
        assertFalse(tooRecent.coveredFrom(T1 - minutes(12)), "15 minutes do not fit after the restorable time");
        BridgePlan lost = BridgePlan.of(T1 - hours(5), T1, T1 - hours(4));
        assertFalse(lost.coveredFrom(T1 - hours(4)), "point-in-time recovery does not reach back to T0");
    }

    @Test
    void aGapOfMoreThanADayIsChainedInEqualWindowsOfAtMostADay() {
        for (long span : new long[] { hours(24), hours(24) + 1000, hours(50) + 17, Duration.ofDays(34).toMillis() }) {
            long gapStart = T1 - span;
            BridgePlan plan = BridgePlan.of(gapStart, T1, NO_PITR_LIMIT);
            assertValid(plan);
            int expected = (int) Math.ceil((double) (plan.toMillis() - plan.fromMillis()) / hours(24));
            assertEquals(expected, plan.size(), Duration.ofMillis(span).toString());
            if (plan.size() > 1) {
                long first = plan.window(1).toMillis() - plan.window(1).fromMillis();
                long last = plan.window(plan.size()).toMillis() - plan.window(plan.size()).fromMillis();
                assertTrue(Math.abs(first - last) <= 2000, "equal windows: " + plan.windows());
                assertTrue(first >= hours(12), "at least half a day each: " + plan.windows());
            }
        }
        assertEquals(3, BridgePlan.of(T1 - hours(50), T1, NO_PITR_LIMIT).size());
    }

    @Test
    void theSameSpanPlansTheSameWindows() {
        BridgePlan plan = BridgePlan.of(T1 - hours(60), T1, NO_PITR_LIMIT);
        assertEquals(plan, BridgePlan.between(plan.fromMillis(), plan.toMillis()), "a restart requests the same");
        assertThrows(IllegalArgumentException.class, () -> BridgePlan.between(T1 - minutes(10), T1));
        assertThrows(IllegalArgumentException.class, () -> BridgePlan.of(T1, T1, NO_PITR_LIMIT));
    }

    @Test
    void versionsRiseWindowByWindowAndStayBelowTheStreamAfterTheBridge() {
        BridgePlan plan = BridgePlan.of(T1 - hours(70), T1, NO_PITR_LIMIT);
        assertEquals(3, plan.size());
        long[] versions = new long[plan.size()];
        for (int k = 1; k <= plan.size(); k++) {
            versions[k - 1] = plan.documentVersion(k, OVERLAP);
        }
        long[] sorted = versions.clone();
        Arrays.sort(sorted);
        assertTrue(Arrays.equals(sorted, versions) && versions[0] < versions[1] && versions[1] < versions[2],
                Arrays.toString(versions));
        HandOver handOver = plan.handOver(null, OVERLAP);
        assertEquals(handOver.documentVersion(), versions[2], "the last window: the hand-over's version");
        // every record the stream delivers after the bridge wins
        long firstDelivered = ShardPosition.from(handOver.streamFromMillis()).deliversFromMillis();
        assertTrue(versions[2] < DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(firstDelivered), "0"));
        assertTrue(versions[2] < DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(T1), "123456789"));
        assertThrows(IllegalArgumentException.class, () -> plan.documentVersion(4, OVERLAP));
        assertThrows(IllegalArgumentException.class, () -> plan.documentVersion(0, OVERLAP));
    }

    /**
     * The case the per-window rule ({@code ofSnapshotItem(end_k - overlap)}) gets wrong: one shard far behind (T0),
     * another that delivered, before the gap, a change x of an item just before the end of the first window; the
     * item's later change y in that window was lost; it did not change again. The first window's item (the state of
     * y) must beat x.
     */
    @Test
    void aChangeDeliveredBeforeTheGapByAnotherShardLosesToTheLaterStateOfItsWindow() {
        BridgePlan plan = BridgePlan.of(T1 - hours(30), T1, NO_PITR_LIMIT);
        assertEquals(2, plan.size());
        long endOfFirst = plan.window(1).toMillis();
        long x = endOfFirst - OVERLAP / 2; // within the overlap before the first window's end
        long delivered = DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(x), "999999999");
        long perWindowRule = DocumentVersion.ofSnapshotItem(endOfFirst - OVERLAP);
        assertTrue(perWindowRule < delivered, "the per-window rule would let the stale change win");
        assertTrue(plan.documentVersion(1, OVERLAP) > delivered, "this plan's does not");
        // and any change created before the stream's first delivered minute is at most the last window's version
        long beforeHandOver = ShardPosition.from(plan.handOver(null, OVERLAP).streamFromMillis()).deliversFromMillis()
                              - 1;
        List<Long> late = new ArrayList<>();
        late.add(DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(beforeHandOver - 1000), "999999999"));
        late.add(DocumentVersion.ofStreamRecord(Instant.ofEpochMilli(beforeHandOver), "999999998"));
        for (long version : late) {
            assertTrue(version < plan.documentVersion(plan.size(), OVERLAP), Long.toString(version));
        }
    }
}
