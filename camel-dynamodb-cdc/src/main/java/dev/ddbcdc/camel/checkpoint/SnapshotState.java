package dev.ddbcdc.camel.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The snapshot's persisted state, a projection of the consumer's {@link Phase}: how far the snapshot got (EXPORTING,
 * LOADING, or STREAMING once it was handed over to the stream, stored as {@code DONE}), which export it uses and the
 * export time T. It is written before the consumer waits for the export, so a restart never requests a second export
 * for one snapshot. {@code attempt} numbers the export requests of this consumer; it is part of the request's client
 * token and grows only when a previous export failed.
 * <p>
 * Serialized as {@code <EXPORTING|LOADING|DONE> <attempt> <exportTimeMillis> <exportArn>} (an ARN has no spaces).
 */
public final class SnapshotState {

    private static final String DONE = "DONE";
    private static final List<Phase> PHASES = List.of(Phase.EXPORTING, Phase.LOADING, Phase.STREAMING);

    private final Phase phase;
    private final int attempt;
    private final long exportTimeMillis;
    private final String exportArn;

    /** @param phase EXPORTING, LOADING, or STREAMING (the snapshot is done and handed over) */
    public SnapshotState(Phase phase, int attempt, long exportTimeMillis, String exportArn) {
        if (!PHASES.contains(phase)) {
            throw new IllegalArgumentException("a snapshot is EXPORTING, LOADING or handed over to STREAMING, not "
                                               + phase);
        }
        this.phase = phase;
        this.attempt = attempt;
        this.exportTimeMillis = exportTimeMillis;
        this.exportArn = Objects.requireNonNull(exportArn);
        if (exportArn.contains(" ")) {
            throw new IllegalArgumentException("an export ARN has no spaces: '" + exportArn + "'");
        }
    }

    public static SnapshotState parse(String value) {
        String[] parts = value.split(" ");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a snapshot state: '" + value + "'");
        }
        Phase phase = DONE.equals(parts[0]) ? Phase.STREAMING : Phase.valueOf(parts[0]);
        return new SnapshotState(phase, Integer.parseInt(parts[1]), Long.parseLong(parts[2]), parts[3]);
    }

    public String serialize() {
        return (phase == Phase.STREAMING ? DONE : phase.name()) + " " + attempt + " " + exportTimeMillis + " "
               + exportArn;
    }

    /** The next phase of the snapshot: EXPORTING to LOADING to STREAMING, one step at a time. */
    public SnapshotState moveTo(Phase next) {
        if (PHASES.indexOf(next) != PHASES.indexOf(phase) + 1) {
            throw new IllegalStateException("snapshot phase " + phase + " cannot move to " + next);
        }
        return new SnapshotState(next, attempt, exportTimeMillis, exportArn);
    }

    public Phase phase() {
        return phase;
    }

    /** Every item was delivered and acknowledged; the stream takes over from T minus the overlap. */
    public boolean isDone() {
        return phase == Phase.STREAMING;
    }

    public int attempt() {
        return attempt;
    }

    public Instant exportTime() {
        return Instant.ofEpochMilli(exportTimeMillis);
    }

    public String exportArn() {
        return exportArn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotState && serialize().equals(((SnapshotState) o).serialize());
    }

    @Override
    public int hashCode() {
        return serialize().hashCode();
    }

    @Override
    public String toString() {
        return serialize();
    }
}
