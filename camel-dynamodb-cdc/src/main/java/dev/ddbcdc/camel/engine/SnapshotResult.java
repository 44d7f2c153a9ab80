package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.export.SnapshotException;

/** How a snapshot run ended: the engine decides what comes next from this value alone. */
public sealed interface SnapshotResult {

    /** Every item was delivered and acknowledged (now or in an earlier run): stream from the hand-over. */
    record Completed(HandOver handOver) implements SnapshotResult {
    }

    /** The snapshot cannot go on without the user: the cause says why and what to do. */
    record Failed(SnapshotException cause) implements SnapshotResult {
    }

    /** The run was stopped first; the checkpoint keeps what was done. */
    record Stopped() implements SnapshotResult {
    }
}
