package dev.ddbcdc.camel.flow;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: the n-th delay is uniform in [base/2, min(max, base * 2^n)]. */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private int attempts;

    public Backoff(long baseMillis, long maxMillis) {
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
    }

    public long nextDelayMillis() {
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(attempts, 20));
        attempts++;
        long floor = Math.min(baseMillis / 2, ceiling);
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }

    public void reset() {
        attempts = 0;
    }

    public int attempts() {
        return attempts;
    }
}
