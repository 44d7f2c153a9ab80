package dev.ddbcdc.camel.engine;

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
 * </pre>
 *
 * Stream-only mode goes INIT to STREAMING. Every phase may go to STOPPED when the route stops.
 */
public enum Phase {
    INIT,
    EXPORTING,
    LOADING,
    STREAMING,
    STOPPED;

    private Set<Phase> next() {
        switch (this) {
            case INIT:
                return EnumSet.of(EXPORTING, LOADING, STREAMING, STOPPED);
            case EXPORTING:
                return EnumSet.of(LOADING, STOPPED);
            case LOADING:
                return EnumSet.of(STREAMING, STOPPED);
            case STREAMING:
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
