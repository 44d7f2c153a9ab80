package dev.ddbcdc.camel.export;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of the snapshot, read by tests, logs, the health check and the Micrometer meters. */
public final class SnapshotMetrics {

    public final AtomicLong exportPolls = new AtomicLong();
    public final AtomicLong dataFilesTotal = new AtomicLong();
    public final AtomicLong dataFilesDone = new AtomicLong();
    public final AtomicLong itemsTotal = new AtomicLong();
    public final AtomicLong itemsDelivered = new AtomicLong();
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
