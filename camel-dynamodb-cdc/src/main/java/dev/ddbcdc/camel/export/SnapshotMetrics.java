package dev.ddbcdc.camel.export;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the snapshot, read by tests, logs, the health check and the Micrometer meters. The counters every item
 * moves are {@link LongAdder}s: the data file loaders (or scan segments) update them at once, and an
 * {@code AtomicLong} that two loaders incremented three times per item cost 4-7% of the snapshot's CPU per item
 * (benchmark 1, two loaders on two processors).
 */
public final class SnapshotMetrics {

    public final AtomicLong exportPolls = new AtomicLong();
    public final AtomicLong dataFilesTotal = new AtomicLong();
    public final AtomicLong dataFilesDone = new AtomicLong();
    /** Items of the export's manifest; for a scan, DescribeTable's ItemCount (which DynamoDB updates every ~6 h). */
    public final AtomicLong itemsTotal = new AtomicLong();
    /** Segments of a Scan snapshot, and those scanned to their end with every item acknowledged. */
    public final AtomicLong segmentsTotal = new AtomicLong();
    public final AtomicLong segmentsDone = new AtomicLong();
    /** Scan calls made, and the read capacity units they consumed (as DynamoDB reported them, else estimated). */
    public final AtomicLong scanPages = new AtomicLong();
    public final DoubleAdder readUnits = new DoubleAdder();
    /** Items the data file loaders or scan segments handed to delivery (before the idempotent repository's filter). */
    public final LongAdder itemsDispatched = new LongAdder();
    /** Items delivered to the route as a READ exchange. */
    public final LongAdder itemsDelivered = new LongAdder();
    /** Items the idempotent repository held: acknowledged without an exchange. */
    public final AtomicLong itemsAlreadyDelivered = new AtomicLong();
    public final LongAdder itemsAcknowledged = new LongAdder();
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
