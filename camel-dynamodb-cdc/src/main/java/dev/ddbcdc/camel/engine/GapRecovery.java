package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of recovering a gap by a new snapshot ({@code trimmedDataPolicy=RESNAPSHOT}), in this one place: which
 * gaps can be recovered, what generation cause each is, when a replaced stream is already captured, and what a
 * snapshot taken for a replaced stream must hold.
 */
final class GapRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(GapRecovery.class);
    private static final long MINUTE_MILLIS = 60_000;

    private final CdcEngine.Setup setup;

    GapRecovery(CdcEngine.Setup setup) {
        this.setup = setup;
    }

    /** Why a gap of this kind cannot be recovered by a new snapshot under {@code generation}, or {@code null}. */
    String cannotRecover(LossPolicy.Kind kind, Generation generation) {
        if (!setup.snapshotEnabled()) {
            return "this consumer takes no snapshot (configure one: exportS3Bucket or snapshotMode=SCAN)";
        }
        if (setup.snapshot().exportArn() != null) {
            return "its snapshot is an adopted export (exportArn), which cannot be taken again";
        }
        if (kind == LossPolicy.Kind.HAND_OVER_TRIMMED
            && generation.cause() == Generation.Cause.SNAPSHOT_OUTLIVED_RETENTION) {
            // the loop some connectors fall into: each new snapshot outlives the retention again
            return "this snapshot was already taken again because the one before it outlived the stream's retention,"
                   + " and another would likely do the same. Make the snapshot faster (a route that keeps up,"
                   + " maxConcurrentDataFiles) and restart the route, which takes a new snapshot";
        }
        return null;
    }

    /** Whether a stream replaced while running is recovered at once (else it is read to its end and reported). */
    boolean recoversReplacedStream(Generation generation) {
        return setup.stream().trimmedDataPolicy() == TrimmedDataPolicy.RESNAPSHOT
               && cannotRecover(LossPolicy.Kind.STREAM_REPLACED, generation) == null;
    }

    /**
     * Whether {@code generation}'s snapshot, not begun yet, captures a stream replaced before it: a generation begun
     * to recover a gap holds, once its snapshot is taken, every change the new stream lacks.
     */
    boolean snapshotCoversReplacement(Generation generation, SnapshotCheckpointStore snapshots) {
        // a bridge not begun yet ends at least streamOverlap after the new stream's creation (IncrementalBridge)
        return generation.number() > 1 && (setup.snapshotEnabled() || generation.bridged()) && snapshots != null
               && snapshots.load() == null;
    }

    /**
     * The time whose document version the items of {@code generation}'s snapshot carry at least ({@link HandOver}):
     * for a generation begun because the stream was replaced, the minute after the new stream's creation; else 0 (and
     * for a bridge, whose versions are {@link BridgePlan}'s).
     */
    long versionFloorMillis(Generation generation) {
        long created = setup.table().streamCreatedMillis();
        if (generation.cause() != Generation.Cause.STREAM_REPLACED || created <= 0 || generation.bridged()) {
            return 0;
        }
        return Math.floorDiv(created, MINUTE_MILLIS) * MINUTE_MILLIS + MINUTE_MILLIS;
    }

    /**
     * How long to wait before {@code generation}'s snapshot begins: one not begun yet whose items carry a version
     * floor must hold every change made before that floor. A scan reads the table as it is when it reads it, so it
     * begins at the floor; an export holds the changes made up to about a minute before its export time, so it
     * begins a minute later.
     */
    long snapshotDelayMillis(Generation generation, SnapshotCheckpointStore snapshots, long nowMillis) {
        long floor = versionFloorMillis(generation);
        if (floor == 0 || snapshots.load() != null) {
            return 0;
        }
        long settled = setup.snapshot().mode() == SnapshotMode.SCAN ? floor : floor + MINUTE_MILLIS;
        long delay = Math.max(0, settled - nowMillis);
        if (delay > 0) {
            LOG.info("Table {}: the new snapshot of checkpoint {} begins in {} s, so that it holds every change the"
                     + " new stream made in its first minute", setup.table().tableName(), generation, delay / 1000);
        }
        return delay;
    }

    static Generation.Cause causeOf(LossPolicy.Kind kind) {
        return switch (kind) {
            case TRIMMED_DATA -> Generation.Cause.TRIMMED_DATA;
            case STREAM_REPLACED -> Generation.Cause.STREAM_REPLACED;
            case HAND_OVER_TRIMMED -> Generation.Cause.SNAPSHOT_OUTLIVED_RETENTION;
        };
    }
}
