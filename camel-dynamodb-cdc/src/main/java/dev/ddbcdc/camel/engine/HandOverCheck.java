package dev.ddbcdc.camel.engine;

import java.time.Instant;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.StreamRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-over of a done snapshot, by export or by Scan, to the stream at its time T minus {@code streamOverlap}:
 * if the stream may no longer hold the records from then (the snapshot took longer than the stream's 24 hours
 * allow), the possible gap goes to the {@link LossPolicy} before anything is streamed. With {@code snapshotOnly}
 * there is no stream to hand over to.
 */
final class HandOverCheck {

    private static final Logger LOG = LoggerFactory.getLogger(HandOverCheck.class);

    private HandOverCheck() {
    }

    /**
     * @param streamStarted whether the stream was already started from a previous hand-over (then its own
     *                      checkpoints say where it goes on)
     * @param snapshotKey   the checkpoint key of the snapshot, named in the message of a loss
     */
    static SnapshotResult complete(SnapshotState state, HandOver handOver, boolean snapshotOnly,
                                   BooleanSupplier streamStarted, long nowMillis, SnapshotMetrics metrics,
                                   LossPolicy losses, String snapshotKey, String tableName, long streamOverlap) {
        String snapshot = state.isBridge() ? state.source() : state.source() + ", "
                          + (state.exportArn() != null ? "export time " : "scan begun at ") + state.time();
        if (snapshotOnly) {
            LOG.info("Table {}: snapshot done ({}); snapshotOnly: the stream is not read", tableName, snapshot);
            return new SnapshotResult.Completed(handOver);
        }
        if (!streamStarted.getAsBoolean() && StreamRetention.mayBeTrimmed(handOver.streamFromMillis(), nowMillis)) {
            String lost = "Table " + tableName + ": the snapshot (" + snapshot + ") needs the stream records created"
                          + " since " + Instant.ofEpochMilli(handOver.streamFromMillis()) + ", but the stream keeps"
                          + " records for " + StreamRetention.RETENTION.toHours() + " hours only: changes made between"
                          + " then and " + Instant.ofEpochMilli(nowMillis).minus(StreamRetention.RETENTION)
                          + " may be lost. Take a new snapshot (another consumerId, or remove checkpoint key "
                          + snapshotKey + " and the keys below it)";
            metrics.error(lost);
            LossPolicy.Outcome outcome = losses.report(LossPolicy.Kind.HAND_OVER_TRIMMED, lost,
                    "The stream is not read", "Streaming from the oldest records still available", null);
            if (outcome.halted()) {
                // under RESNAPSHOT the engine has ended this run already, for the next generation's snapshot
                return new SnapshotResult.Failed(new SnapshotException(outcome.message()));
            }
        }
        LOG.info("Table {}: snapshot done; streaming records created from {} ({} minus streamOverlap {} ms)",
                tableName, Instant.ofEpochMilli(handOver.deliversFromMillis()), snapshot, streamOverlap);
        return new SnapshotResult.Completed(handOver);
    }
}
