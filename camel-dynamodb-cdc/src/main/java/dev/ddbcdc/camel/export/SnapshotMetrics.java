package dev.ddbcdc.camel.export;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of the snapshot, read by tests, logs, the health check and the Micrometer meters. */
public final class SnapshotMetrics {

    public final AtomicLong exportPolls = new AtomicLong();
    public final AtomicLong dataFilesTotal = new AtomicLong();
    public final AtomicLong dataFilesDone = new AtomicLong();
    public final AtomicLong itemsTotal = new AtomicLong();
    /** Items the data file loaders handed to delivery (before the idempotent repository's filter). */
    public final AtomicLong itemsDispatched = new AtomicLong();
    /** Items delivered to the route as a READ exchange. */
    public final AtomicLong itemsDelivered = new AtomicLong();
    /** Items the idempotent repository held: acknowledged without an exchange. */
    public final AtomicLong itemsAlreadyDelivered = new AtomicLong();
    public final AtomicLong itemsAcknowledged = new AtomicLong();
    public final AtomicLong itemsAlreadyDone = new AtomicLong();
    public final AtomicLong failedExchanges = new AtomicLong();
    public final AtomicLong rewinds = new AtomicLong();
    public final AtomicLong readErrors = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    public void error(String message) {
        lastError.set(message);
    }

    public String lastError() {
        return lastError.get();
    }
}
