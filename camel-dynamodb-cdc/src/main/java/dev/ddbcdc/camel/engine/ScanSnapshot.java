package dev.ddbcdc.camel.engine;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.SnapshotItemMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.port.ScanPort;
import dev.ddbcdc.camel.scan.ScanBudget;
import dev.ddbcdc.camel.scan.TableScan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot by parallel Scan, on one thread, from whatever the checkpoint says to the hand-over to the stream:
 * <ol>
 * <li>The scan's start time T and its segmentation are checkpointed (SCANNING) before the first Scan call.</li>
 * <li>SCANNING: every segment from its checkpointed key to its end ({@link TableScan}); then checkpoint DONE.</li>
 * <li>Hand-over ({@link HandOverCheck}): as for an export, the stream from T minus {@code streamOverlap}; every item
 * of the scan carries the document version of that hand-over, below every later stream record. A scan is not a point
 * in time: an item may be read in a state newer than T, but every change after T also comes from the stream, with a
 * higher version.</li>
 * </ol>
 */
final class ScanSnapshot implements Snapshot {

    private static final Logger LOG = LoggerFactory.getLogger(ScanSnapshot.class);

    private final SnapshotOptions options;
    /** The time whose document version the items carry at least ({@link HandOver}; 0: none). */
    private final long versionFloorMillis;
    private final ScanPort scans;
    private final ScanBudget budget;
    private final long itemCount;
    private final SnapshotCheckpointStore store;
    private final Delivery delivery;
    private final SnapshotMetrics metrics;
    private final RunContext run;
    private final KeySchema keySchema;
    private final String tableName;
    private final LossPolicy losses;
    private final BooleanSupplier streamStarted;
    private final Consumer<Phase> phases;
    private volatile TableScan scan;

    /** @param itemCount the table's item count as DescribeTable gave it (approximate: updated about every 6 hours) */
    ScanSnapshot(SnapshotOptions options, ScanPort scans, ScanBudget budget, long itemCount, SnapshotWork work,
                 long versionFloorMillis) {
        this.store = work.store();
        this.delivery = work.delivery();
        this.metrics = work.metrics();
        this.run = work.run();
        this.keySchema = work.keySchema();
        this.tableName = work.tableName();
        this.losses = work.losses();
        this.streamStarted = work.streamStarted();
        this.phases = work.phases();
        this.options = options;
        this.versionFloorMillis = versionFloorMillis;
        this.scans = scans;
        this.budget = budget;
        this.itemCount = itemCount;
    }

    @Override
    public SnapshotResult run() {
        return SnapshotResult.of(run, tableName, () -> {
            SnapshotState state = store.load();
            if (state == null) {
                // T before the first Scan call: every change from T minus the overlap on comes from the stream
                state = SnapshotState.scanning(run.millis(), options.scan().segments());
                store.save(state);
                LOG.info("Table {}: snapshot by Scan in {} segments ({}), begun at {}", tableName, state.segments(),
                        budget, state.time());
            } else if (!state.isDone()) {
                LOG.info("Table {}: resuming the snapshot by Scan in {} segments begun at {}", tableName,
                        state.segments(), state.time());
            }
            if (!state.isDone()) {
                phases.accept(Phase.SCANNING);
                if (!scan(state)) {
                    return new SnapshotResult.Stopped();
                }
                state = state.moveTo(Phase.STREAMING);
                store.save(state);
            }
            return HandOverCheck.complete(state, handOverOf(state), options.snapshotOnly(), streamStarted,
                    run.millis(), metrics, losses, store.key(), tableName, options.streamOverlap());
        });
    }

    /** SCANNING: true when every segment is done, false when the consumer stopped first. */
    private boolean scan(SnapshotState state) throws InterruptedException {
        metrics.itemsTotal.set(itemCount);
        SnapshotItemMapper mapper = new SnapshotItemMapper(tableName, keySchema, null, state.time().toEpochMilli(),
                handOverOf(state).documentVersion());
        long started = run.millis();
        // the metrics span the consumer's snapshots (a gap's new snapshot adds to them): this run's share is logged
        long acknowledgedBefore = metrics.itemsAcknowledged.sum();
        long pagesBefore = metrics.scanPages.get();
        double unitsBefore = metrics.readUnits.sum();
        scan = new TableScan(scans, store, state, options.scan(), budget, keySchema, mapper, delivery, metrics, run,
                tableName);
        boolean done = scan.scan();
        if (done) {
            long seconds = Math.max(1, (run.millis() - started) / 1000);
            double units = metrics.readUnits.sum() - unitsBefore;
            LOG.info("Table {}: snapshot scanned: {} items delivered and acknowledged in this run in {} s, {} Scan"
                     + " calls, {} read units ({} a second)", tableName,
                    metrics.itemsAcknowledged.sum() - acknowledgedBefore, seconds,
                    metrics.scanPages.get() - pagesBefore, Math.round(units), Math.round(units / seconds));
        }
        return done;
    }

    private HandOver handOverOf(SnapshotState state) {
        return HandOver.of(state.exportArn(), state.time(), options.streamOverlap(), versionFloorMillis);
    }

    @Override
    public void flush() {
        TableScan current = scan;
        if (current != null) {
            current.flush();
        }
    }
}
