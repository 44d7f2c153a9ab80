package dev.ddbcdc.camel.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * The snapshot's persisted state: how far it got ({@link Stage}), which export it uses and the export time T. It is
 * written before the consumer waits for the export, so a restart never requests a second export for one snapshot.
 * {@code attempt} numbers the export requests of this consumer; it is part of the request's client token and grows
 * only when a previous export failed.
 * <p>
 * Serialized as {@code <stage> <attempt> <exportTimeMillis> <exportArn>} (an ARN has no spaces).
 */
public final class SnapshotState {

    /** Where the snapshot is. */
    public enum Stage {
        /** The export was requested (or adopted); waiting for it to complete. */
        EXPORTING,
        /** The export completed; its data files are being loaded. */
        LOADING,
        /** Every item was delivered and acknowledged; the stream takes over from T minus the overlap. */
        DONE
    }

    private final Stage stage;
    private final int attempt;
    private final long exportTimeMillis;
    private final String exportArn;

    public SnapshotState(Stage stage, int attempt, long exportTimeMillis, String exportArn) {
        this.stage = Objects.requireNonNull(stage);
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
        return new SnapshotState(Stage.valueOf(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                parts[3]);
    }

    public String serialize() {
        return stage + " " + attempt + " " + exportTimeMillis + " " + exportArn;
    }

    public SnapshotState moveTo(Stage next) {
        if (next.ordinal() != stage.ordinal() + 1) {
            throw new IllegalStateException("snapshot stage " + stage + " cannot move to " + next);
        }
        return new SnapshotState(next, attempt, exportTimeMillis, exportArn);
    }

    public Stage stage() {
        return stage;
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
