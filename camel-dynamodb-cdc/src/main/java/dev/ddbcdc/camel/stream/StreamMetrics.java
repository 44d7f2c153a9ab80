package dev.ddbcdc.camel.stream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the stream engine, read by tests, logs, the health check and the Micrometer meters. The counters every
 * record moves are {@link LongAdder}s: the shard readers' threads update them at once, and an {@code AtomicLong}
 * that several threads increment per record bounces between their caches.
 */
public final class StreamMetrics {

    /** Records the shard readers handed to delivery (before the idempotent repository's filter). */
    public final LongAdder recordsDispatched = new LongAdder();
    /** Records delivered to the route as an exchange. */
    public final LongAdder recordsDelivered = new LongAdder();
    public final LongAdder recordsAcknowledged = new LongAdder();
    public final AtomicLong recordsBeforeStart = new AtomicLong();
    /** Records older than maxRecordAge when read: skipped, reported and checkpointed ({@link RecordAge}). */
    public final AtomicLong recordsTooOld = new AtomicLong();
    /** Records the idempotent repository held: acknowledged without an exchange. */
    public final AtomicLong recordsAlreadyDelivered = new AtomicLong();
    public final AtomicLong failedExchanges = new AtomicLong();
    public final AtomicLong rewinds = new AtomicLong();
    public final AtomicLong trimmedDataEvents = new AtomicLong();
    public final AtomicLong expiredIterators = new AtomicLong();
    public final AtomicLong throttledCalls = new AtomicLong();
    public final AtomicLong apiErrors = new AtomicLong();
    /** The table was deleted or its stream disabled or replaced ({@link TableWatch}). */
    public final AtomicLong streamChanges = new AtomicLong();
    public final AtomicLong getRecordsCalls = new AtomicLong();
    public final AtomicLong shardsFinished = new AtomicLong();
    public final AtomicLong shardsReading = new AtomicLong();
    public final StreamLag lag = new StreamLag();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<String> streamProblem = new AtomicReference<>();

    public void error(String message) {
        lastError.set(message);
    }

    /**
     * The table or its stream changed under the consumer: readiness is DOWN with this message ({@code null} clears
     * it: each run of the engine finds a problem that is still there again).
     */
    public void streamProblem(String message) {
        streamProblem.set(message);
    }

    /** Why the stream no longer captures every change, or {@code null}. */
    public String streamProblem() {
        return streamProblem.get();
    }

    public String lastError() {
        return lastError.get();
    }
}
