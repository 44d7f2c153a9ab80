package dev.ddbcdc.camel.engine;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;

/**
 * What every kind of snapshot (export, scan, incremental bridge) works with in one run, made once by
 * {@link Snapshots}.
 *
 * @param store         the snapshot's checkpoints
 * @param streamStarted whether the stream was already started from a previous hand-over
 * @param phases        told when the snapshot enters its phases (EXPORTING, LOADING, SCANNING)
 */
public record SnapshotWork(SnapshotCheckpointStore store, Delivery delivery, SnapshotMetrics metrics, RunContext run,
                           KeySchema keySchema, String tableName, LossPolicy losses, BooleanSupplier streamStarted,
                           Consumer<Phase> phases) {
}
