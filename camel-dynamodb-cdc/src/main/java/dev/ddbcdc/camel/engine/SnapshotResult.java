package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.flow.RunContext;

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

    /** A snapshot's work from its checkpoint to its result. */
    interface Work {
        SnapshotResult run() throws InterruptedException;
    }

    /**
     * Runs {@code work} and tells how it ended: a {@link SnapshotException} fails the snapshot, so does any other
     * error while the run goes on (named as a failure of the table's snapshot); an interrupt, or an error once the run
     * stopped, is a stop. The checkpoint keeps what was done either way.
     */
    static SnapshotResult of(RunContext run, String tableName, Work work) {
        try {
            return work.run();
        } catch (SnapshotException e) {
            return new Failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Stopped();
        } catch (RuntimeException e) {
            if (!run.isRunning()) {
                return new Stopped();
            }
            return new Failed(new SnapshotException("The snapshot of table " + tableName + " failed: " + e, e));
        }
    }
}
