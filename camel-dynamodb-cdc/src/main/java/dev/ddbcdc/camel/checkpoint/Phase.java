package dev.ddbcdc.camel.checkpoint;

import java.util.EnumSet;
import java.util.Set;

/**
 * The consumer's phases and, in this one place, the transitions between them.
 *
 * <pre>
 *          +-- no snapshot configured --------------------------------+
 *          |                                                          v
 *  INIT ---+-- export configured, none done --&gt; EXPORTING --&gt; LOADING --&gt; STREAMING
 *          |                                                          ^
 *          +-- scan configured, not done -----&gt; SCANNING -------------+
 *          |
 *          +-- checkpoint says phase X --&gt; resume at X
 *
 *  EXPORTING, LOADING, SCANNING, and the hand-over to STREAMING (also from INIT, when the snapshot was done before)
 *      --&gt; FAILED (export failed, data file unreadable, stream already trimmed past the snapshot: seen at the
 *      hand-over by the export time, or in STREAMING by a shard whose records from the hand-over on are gone)
 *  INIT --&gt; FAILED (the table's stream was replaced while the consumer was stopped; trimmedDataPolicy=FAIL)
 * </pre>
 *
 * A clustered consumer ({@code clusterService}) is in STANDBY while another instance leads: it reads nothing. On
 * taking the lead it goes to INIT and on, as above; on losing it, from any phase back to STANDBY.
 * <p>
 * A bridge of a gap by incremental exports (trimmedDataPolicy=INCREMENTAL_EXPORT) goes EXPORTING, LOADING for each
 * of its windows, LOADING back to EXPORTING for the next one, then STREAMING.
 * <p>
 * Stream-only mode goes INIT to STREAMING. With {@code snapshotOnly} the snapshot ends in DONE instead of STREAMING
 * (LOADING or SCANNING to DONE, or INIT to DONE when it was done before): nothing more is read. FAILED means the consumer cannot go on without the user: the cause was
 * logged and passed to the exception handler, nothing further is delivered, and a restart tries again from the
 * checkpoint. Every phase may go to STOPPED when the route stops. The {@code CdcEngine} owns the phase; the
 * snapshot's persisted progress ({@code SnapshotState}) is EXPORTING, LOADING, SCANNING or DONE (= handed over to
 * STREAMING).
 */
public enum Phase {
    STANDBY,
    INIT,
    EXPORTING,
    LOADING,
    SCANNING,
    STREAMING,
    FAILED,
    STOPPED,
    DONE;

    private Set<Phase> next() {
        switch (this) {
            case STANDBY:
                return EnumSet.of(INIT, STOPPED);
            case INIT:
                return EnumSet.of(EXPORTING, LOADING, SCANNING, STREAMING, DONE, FAILED, STANDBY, STOPPED);
            case EXPORTING:
                return EnumSet.of(LOADING, FAILED, STANDBY, STOPPED);
            case LOADING:
                return EnumSet.of(EXPORTING, STREAMING, DONE, FAILED, STANDBY, STOPPED);
            case SCANNING:
                return EnumSet.of(STREAMING, DONE, FAILED, STANDBY, STOPPED);
            case STREAMING:
                return EnumSet.of(FAILED, STANDBY, STOPPED);
            case FAILED:
            case DONE:
                return EnumSet.of(STANDBY, STOPPED);
            default:
                return EnumSet.noneOf(Phase.class);
        }
    }

    public boolean canMoveTo(Phase target) {
        return next().contains(target);
    }

    /** Returns {@code target}, or throws when the move is not one of the transitions above. */
    public Phase moveTo(Phase target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("No transition from " + this + " to " + target);
        }
        return target;
    }
}
