package dev.ddbcdc.camel.checkpoint;

import java.util.EnumSet;
import java.util.Set;

/**
 * The consumer's phases and, in this one place, the transitions between them.
 *
 * <pre>
 *          +-- no export configured ----------------------------------+
 *          |                                                          v
 *  INIT ---+-- export configured, none done --&gt; EXPORTING --&gt; LOADING --&gt; STREAMING
 *          |
 *          +-- checkpoint says phase X --&gt; resume at X
 *
 *  EXPORTING, LOADING, and the hand-over to STREAMING (also from INIT, when the snapshot was done before)
 *      --&gt; FAILED (export failed, data file unreadable, stream already trimmed past the snapshot: seen at the
 *      hand-over by the export time, or in STREAMING by a shard whose records from the hand-over on are gone)
 *  INIT --&gt; FAILED (the table's stream was replaced while the consumer was stopped; trimmedDataPolicy=FAIL)
 * </pre>
 *
 * Stream-only mode goes INIT to STREAMING. FAILED means the consumer cannot go on without the user: the cause was
 * logged and passed to the exception handler, nothing further is delivered, and a restart tries again from the
 * checkpoint. Every phase may go to STOPPED when the route stops. The {@code CdcEngine} owns the phase; the
 * snapshot's persisted progress ({@code SnapshotState}) is EXPORTING, LOADING or DONE (= handed over to STREAMING).
 */
public enum Phase {
    INIT,
    EXPORTING,
    LOADING,
    STREAMING,
    FAILED,
    STOPPED;

    private Set<Phase> next() {
        switch (this) {
            case INIT:
                return EnumSet.of(EXPORTING, LOADING, STREAMING, FAILED, STOPPED);
            case EXPORTING:
                return EnumSet.of(LOADING, FAILED, STOPPED);
            case LOADING:
                return EnumSet.of(STREAMING, FAILED, STOPPED);
            case STREAMING:
                return EnumSet.of(FAILED, STOPPED);
            case FAILED:
                return EnumSet.of(STOPPED);
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
