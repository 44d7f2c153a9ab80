package dev.ddbcdc.camel.engine;

/**
 * One snapshot of the table, of whichever kind the options ask for ({@link Snapshots#prepare}): run on one thread from
 * its checkpoint to the hand-over to the stream, it says how it ended.
 */
public interface Snapshot {

    /** Runs the snapshot from its checkpoint to the hand-over, or to a failure, or until the run stops. */
    SnapshotResult run();

    /** Writes what was acknowledged and not yet written; called when the consumer stops. */
    void flush();
}
