package dev.ddbcdc.camel.scan;

import java.time.Clock;
import java.util.function.LongConsumer;

/**
 * Keeps the Scan calls of every segment within one budget (read units or items a second). A call's cost is known
 * only once it returned, so each call first waits for its turn and reserves the cost of the call before it (the best
 * estimate of its own), and settles the difference once its real cost is known: the next turn moves by exactly what
 * was consumed. Over a run the calls consume {@code perSecond} a second; at most one call's cost runs ahead of the
 * budget at the start, and unused time is not saved up for a burst later. Time comes from the clock, and waiting
 * from the caller's pause (the run's, which returns early when the run stops).
 */
public final class ReadLimiter {

    private final double perSecond;
    private final Clock clock;
    private final LongConsumer pause;
    /** When the next call may start, in epoch ms (fractional: many cheap calls a millisecond add up exactly). */
    private double nextTurnMillis = Double.NEGATIVE_INFINITY;
    private double estimate;

    /**
     * @param perSecond       the budget; 0 for none
     * @param initialEstimate the cost reserved by the first call (e.g. the page size for an items budget)
     */
    public ReadLimiter(double perSecond, double initialEstimate, Clock clock, LongConsumer pause) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("a budget is positive (or 0: none), was " + perSecond);
        }
        this.perSecond = perSecond;
        this.estimate = initialEstimate;
        this.clock = clock;
        this.pause = pause;
    }

    /** Waits for the next call's turn and returns the cost it reserved, to be {@link #settle settled}. */
    public double acquire() {
        if (perSecond == 0) {
            return 0;
        }
        double reserved;
        long waitMillis;
        synchronized (this) {
            long now = clock.millis();
            double turn = Math.max(nextTurnMillis, now);
            reserved = estimate;
            nextTurnMillis = turn + reserved * 1000 / perSecond;
            waitMillis = (long) Math.ceil(turn - now);
        }
        if (waitMillis > 0) {
            pause.accept(waitMillis);
        }
        return reserved;
    }

    /** The call that reserved {@code reserved} cost {@code actual} (0 when it failed). */
    public void settle(double reserved, double actual) {
        if (perSecond == 0) {
            return;
        }
        synchronized (this) {
            nextTurnMillis += (actual - reserved) * 1000 / perSecond;
            if (actual > 0) {
                estimate = actual;
            }
        }
    }

    public double perSecond() {
        return perSecond;
    }
}
