package dev.ddbcdc.camel.stream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of the stream engine, read by tests, logs, the health check and the Micrometer meters. */
public final class StreamMetrics {

    public final AtomicLong recordsDelivered = new AtomicLong();
    public final AtomicLong recordsAcknowledged = new AtomicLong();
    public final AtomicLong recordsBeforeStart = new AtomicLong();
    public final AtomicLong recordsAlreadyDelivered = new AtomicLong();
    public final AtomicLong failedExchanges = new AtomicLong();
    public final AtomicLong rewinds = new AtomicLong();
    public final AtomicLong trimmedDataEvents = new AtomicLong();
    public final AtomicLong expiredIterators = new AtomicLong();
    public final AtomicLong throttledCalls = new AtomicLong();
    public final AtomicLong apiErrors = new AtomicLong();
    public final AtomicLong getRecordsCalls = new AtomicLong();
    public final AtomicLong shardsFinished = new AtomicLong();
    public final AtomicLong shardsReading = new AtomicLong();
    public final StreamLag lag = new StreamLag();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    public void error(String message) {
        lastError.set(message);
    }

    public String lastError() {
        return lastError.get();
    }
}
