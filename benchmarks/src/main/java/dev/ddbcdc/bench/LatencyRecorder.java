package dev.ddbcdc.bench;

import java.util.Arrays;

/**
 * Latencies of one run, in microseconds: those of the writes after the warm-up (the steady state) and, separately,
 * all of them. The first writes find the reader asleep after its idle polls, and pay for waking it up.
 */
final class LatencyRecorder {

    private final int warmUpWrites;
    private final LatencyRecorder all;
    private long[] values = new long[1024];
    private int size;

    /** Leaves out the first {@code warmUpWrites} writes, which {@link #all()} keeps. */
    LatencyRecorder(int warmUpWrites) {
        this.warmUpWrites = warmUpWrites;
        this.all = new LatencyRecorder();
    }

    private LatencyRecorder() {
        this.warmUpWrites = 0;
        this.all = null;
    }

    /** Every write, the warm-up included. */
    LatencyRecorder all() {
        return all;
    }

    /** Records the latency of the write of {@code key}. */
    void record(String key, long micros) {
        all.record(micros);
        if (!PacedWriter.among(key, warmUpWrites)) {
            record(micros);
        }
    }

    synchronized void record(long micros) {
        if (micros < 0) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile in milliseconds (nearest rank). */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1000.0;
    }
}
