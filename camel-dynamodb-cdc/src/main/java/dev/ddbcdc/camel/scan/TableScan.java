package dev.ddbcdc.camel.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.SnapshotItemMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.options.ScanOptions;
import dev.ddbcdc.camel.port.ScanPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parallel Scan of the table: every segment of the scan's persisted segmentation on its own thread of the run
 * ({@link SegmentScanner}), all within one read budget ({@link ReadLimiter}). The first segment that cannot go on
 * stops the others.
 */
public final class TableScan {

    private static final Logger LOG = LoggerFactory.getLogger(TableScan.class);

    final ScanPort port;
    final SnapshotCheckpointStore store;
    final SnapshotState state;
    final ScanOptions options;
    final ScanBudget budget;
    final KeySchema keySchema;
    final SnapshotItemMapper mapper;
    final Delivery delivery;
    final SnapshotMetrics metrics;
    final RunContext run;
    final String tableName;
    final ReadLimiter limiter;
    private final List<SegmentScanner> segments = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /**
     * @param state the scan's persisted state: its start time and segmentation (which may differ from
     *              {@code options.segments()} when the scan was begun with another)
     */
    public TableScan(ScanPort port, SnapshotCheckpointStore store, SnapshotState state, ScanOptions options,
                     ScanBudget budget, KeySchema keySchema, SnapshotItemMapper mapper, Delivery delivery,
                     SnapshotMetrics metrics, RunContext run, String tableName) {
        this.port = port;
        this.store = store;
        this.state = state;
        this.options = options;
        this.budget = budget;
        this.keySchema = keySchema;
        this.mapper = mapper;
        this.delivery = delivery;
        this.metrics = metrics;
        this.run = run;
        this.tableName = tableName;
        // an items budget knows a page's cost up front when pages are limited; read units are learnt from the first
        this.limiter = new ReadLimiter(budget.perSecond(), budget.items() ? options.pageSize() : 0, run.clock(),
                run::pause);
        BooleanSupplier goOn = () -> run.isRunning() && failure.get() == null;
        for (int segment = 0; segment < state.segments(); segment++) {
            segments.add(new SegmentScanner(this, segment, goOn));
        }
    }

    /**
     * Scans every segment; true when all are done, false when the consumer stopped first. Throws the first
     * {@code SnapshotException} (or other error) a segment ended with.
     */
    public boolean scan() throws InterruptedException {
        metrics.segmentsTotal.set(segments.size());
        metrics.segmentsDone.set(0);
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(segments.size());
        for (SegmentScanner segment : segments) {
            Runnable task = () -> {
                try {
                    if (segment.scan()) {
                        metrics.segmentsDone.incrementAndGet();
                        LOG.debug("Table {}: {} of {} segments scanned", tableName, done.incrementAndGet(),
                                segments.size());
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            };
            run.submit(task, 0);
        }
        while (!finished.await(100, TimeUnit.MILLISECONDS)) {
            if (!run.isRunning()) {
                break;
            }
        }
        if (failure.get() != null) {
            flush();
            throw failure.get();
        }
        return run.isRunning() && done.get() == segments.size();
    }

    /** Writes the key of the last acknowledged item of every segment; called when the consumer stops. */
    public void flush() {
        segments.forEach(SegmentScanner::flush);
    }
}
