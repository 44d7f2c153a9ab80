package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.options.SnapshotOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot as an engine that reads one bucket of the shards sees it: another unit of the consumer (the member
 * leading its snapshot namespace) takes it, and this one waits until the stored snapshot is done, showing its progress
 * (EXPORTING, LOADING, SCANNING) meanwhile, then hands over to its shards of the stream from the same time, with the
 * same check that the stream still holds the records from then. It exports, scans and delivers nothing itself.
 */
final class FollowedSnapshot implements Snapshot {

    private static final Logger LOG = LoggerFactory.getLogger(FollowedSnapshot.class);
    /** How often the stored snapshot is looked at, at most. */
    static final long POLL_MILLIS = 1_000;

    private final SnapshotOptions options;
    private final SnapshotWork work;
    private final long versionFloorMillis;

    FollowedSnapshot(SnapshotOptions options, SnapshotWork work, long versionFloorMillis) {
        this.options = options;
        this.work = work;
        this.versionFloorMillis = versionFloorMillis;
    }

    @Override
    public SnapshotResult run() {
        Phase shown = null;
        while (work.run().isRunning()) {
            SnapshotState state;
            try {
                state = work.store().load();
            } catch (RuntimeException e) {
                LOG.warn("Table {}: could not read the snapshot's checkpoint {} ({}); looking again", work.tableName(),
                        work.store().key(), e.getMessage());
                state = null;
            }
            if (state != null && state.isDone()) {
                if (shown == Phase.EXPORTING) {
                    work.phases().accept(Phase.LOADING); // it was loaded while this one looked away
                }
                HandOver handOver = HandOver.of(state.exportArn(), state.time(), options.streamOverlap(),
                        versionFloorMillis);
                return HandOverCheck.complete(state, handOver, false, work.streamStarted(), work.run().millis(),
                        work.metrics(), work.losses(), work.store().key(), work.tableName(), options.streamOverlap());
            }
            Phase phase = state == null ? Phase.INIT : state.phase();
            if (phase != shown) {
                if (phase != Phase.INIT) {
                    work.phases().accept(phase);
                }
                shown = phase;
                LOG.info("Table {}: the snapshot is taken under the snapshot's cluster namespace ({}); this bucket's"
                         + " shards are read from its hand-over on", work.tableName(), phase);
            }
            work.run().pause(Math.min(Math.max(options.exportPollInterval(), 1), POLL_MILLIS));
        }
        return new SnapshotResult.Stopped();
    }

    @Override
    public void flush() {
        // nothing delivered, nothing to write
    }
}
