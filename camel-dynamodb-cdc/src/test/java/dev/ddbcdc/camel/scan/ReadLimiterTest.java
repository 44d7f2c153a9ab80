package dev.ddbcdc.camel.scan;

import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.flow.TestClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read budget with a clock the test moves: waiting advances it, so the rate the calls achieve is measured
 * exactly, with no timing of the machine involved.
 */
class ReadLimiterTest {

    static final long START = 1_700_000_000_000L;

    final TestClock clock = new TestClock(START);
    final List<Long> waits = new ArrayList<>();

    ReadLimiter limiter(double perSecond, double initialEstimate) {
        return new ReadLimiter(perSecond, initialEstimate, clock, millis -> {
            waits.add(millis);
            clock.advance(millis);
        });
    }

    /** Makes a call: waits for its turn, then it costs {@code cost} and takes {@code durationMillis}. */
    static long call(ReadLimiter limiter, TestClock clock, double cost, long durationMillis) {
        double reserved = limiter.acquire();
        long startedAt = clock.millis();
        clock.advance(durationMillis);
        limiter.settle(reserved, cost);
        return startedAt;
    }

    @Test
    void callsOfAKnownCostAreSpreadAtTheBudgetsRate() {
        ReadLimiter limiter = limiter(50, 10); // 50 units a second, each call 10 units: one call every 200 ms
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            starts.add(call(limiter, clock, 10, 20));
        }
        for (int i = 1; i < starts.size(); i++) {
            assertEquals(200, starts.get(i) - starts.get(i - 1), "call " + i);
        }
        // 200 units; the 20th call began 19 turns after the first, each turn paying for one call of 10 units
        assertEquals(19 * 200, starts.get(19) - starts.get(0));
    }

    @Test
    void theRateHoldsWithin10PercentWhenCostsVaryAndAreLearntAfterTheCall() {
        ReadLimiter limiter = limiter(100, 0);
        double consumed = 0;
        long first = -1;
        long last = 0;
        double[] costs = { 0.5, 12, 3.5, 40, 7, 1, 25.5, 9, 64, 2 };
        for (int i = 0; i < 200; i++) {
            double cost = costs[i % costs.length];
            long startedAt = call(limiter, clock, cost, 15);
            first = first < 0 ? startedAt : first;
            last = clock.millis();
            consumed += cost;
        }
        double rate = consumed / ((last - first) / 1000.0);
        assertTrue(rate <= 100 * 1.10 && rate >= 100 * 0.90, "rate " + rate + " units/s for a budget of 100");
    }

    @Test
    void segmentsSharingTheLimiterTogetherKeepOneBudget() {
        ReadLimiter limiter = limiter(200, 0);
        // four segments take turns (as their threads would): each reserves before the others' costs are known
        double consumed = 0;
        long first = -1;
        for (int round = 0; round < 50; round++) {
            double[] reserved = new double[4];
            long[] started = new long[4];
            for (int segment = 0; segment < 4; segment++) {
                reserved[segment] = limiter.acquire();
                started[segment] = clock.millis();
            }
            first = first < 0 ? started[0] : first;
            for (int segment = 0; segment < 4; segment++) {
                limiter.settle(reserved[segment], 5);
                consumed += 5;
            }
        }
        double rate = consumed / ((clock.millis() - first) / 1000.0);
        assertTrue(rate <= 200 * 1.10 && rate >= 200 * 0.90, "rate " + rate + " units/s for a budget of 200");
    }

    @Test
    void idleTimeIsNotSavedUpForABurst() {
        ReadLimiter limiter = limiter(10, 10); // one call of 10 units a second
        call(limiter, clock, 10, 0);
        clock.advance(60_000); // the route was slow for a minute
        long first = call(limiter, clock, 10, 0);
        long second = call(limiter, clock, 10, 0);
        assertEquals(1000, second - first, "the minute left no credit: the next call still waits its turn");
    }

    @Test
    void aFailedCallCostsNothing() {
        ReadLimiter limiter = limiter(10, 10);
        long first = call(limiter, clock, 0, 0); // throttled: consumed nothing
        long second = call(limiter, clock, 10, 0);
        assertEquals(first, second, "the reservation of the failed call was given back");
    }

    @Test
    void withoutABudgetNothingWaits() {
        ReadLimiter limiter = limiter(0, 0);
        for (int i = 0; i < 100; i++) {
            call(limiter, clock, 1000, 0);
        }
        assertEquals(List.of(), waits);
        assertEquals(START, clock.millis());
    }
}
