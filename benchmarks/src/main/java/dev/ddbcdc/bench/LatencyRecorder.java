package dev.ddbcdc.bench;

import java.util.Arrays;

/** Latencies of one run, in microseconds; percentiles over all of them. */
final class LatencyRecorder {

    private long[] values = new long[1024];
    private int size;

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
