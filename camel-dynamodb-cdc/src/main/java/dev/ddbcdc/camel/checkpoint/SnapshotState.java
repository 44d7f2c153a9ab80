package dev.ddbcdc.camel.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.ddbcdc.camel.options.SnapshotMode;

/**
 * The snapshot's persisted state, a projection of the consumer's {@link Phase}: how the snapshot is taken (by export
 * or by Scan), how far it got, and its time T, from which on (minus the overlap) the stream takes over.
 * <ul>
 * <li>An export: EXPORTING, LOADING, or STREAMING once it was handed over to the stream (stored as {@code DONE}),
 * which export it uses and the export time. It is written before the consumer waits for the export, so a restart
 * never requests a second export for one snapshot. {@code attempt} numbers the export requests of this consumer; it
 * is part of the request's client token and grows only when a previous export failed. Serialized as
 * {@code <EXPORTING|LOADING|DONE> <attempt> <exportTimeMillis> <exportArn>} (an ARN has no spaces), as it always
 * was.</li>
 * <li>A Scan: SCANNING or DONE, the time the scan began (written before the first Scan call) and its number of
 * segments, which a restart keeps: the keys its segments are checkpointed by mean nothing in another segmentation.
 * Serialized as {@code SCAN <SCANNING|DONE> <scanStartMillis> <segments>}.</li>
 * <li>A bridge of a gap by incremental exports (trimmedDataPolicy=INCREMENTAL_EXPORT): its span, from the gap's start
 * (or earlier) to T1, its time, which fixes its windows; the window it is at, and that window's export (EXPORTING,
 * LOADING) or, once every window was loaded, DONE. The span is written before the first export is requested, and each
 * window's export before it is waited on, so a restart resumes the same windows and never requests an export twice
 * (a request repeated before its ARN was written returns the same export: its client token is derived from the
 * window). Serialized as {@code BRIDGE <EXPORTING|LOADING|DONE> <window> <fromMillis> <toMillis> <exportArn|->}
 * ({@code -}: the window's export is not requested yet).</li>
 * </ul>
 */
public final class SnapshotState {

    private static final String DONE = "DONE";
    private static final String SCAN = "SCAN";
    private static final String BRIDGE = "BRIDGE";
    private static final String NO_EXPORT = "-";
    private static final List<Phase> EXPORT_PHASES = List.of(Phase.EXPORTING, Phase.LOADING, Phase.STREAMING);
    private static final List<Phase> SCAN_PHASES = List.of(Phase.SCANNING, Phase.STREAMING);

    private final SnapshotMode mode;
    private final Phase phase;
    private final int attempt;
    private final long timeMillis;
    private final String exportArn;
    private final int segments;
    private final boolean bridge;
    /** A bridge's window (1 for the first); 0 otherwise. */
    private final int window;
    /** A bridge's start; 0 otherwise. */
    private final long fromMillis;

    /** An export snapshot. @param phase EXPORTING, LOADING, or STREAMING (the snapshot is done and handed over) */
    public SnapshotState(Phase phase, int attempt, long exportTimeMillis, String exportArn) {
        this(SnapshotMode.EXPORT, phase, attempt, exportTimeMillis, Objects.requireNonNull(exportArn), 0);
        if (exportArn.contains(" ")) {
            throw new IllegalArgumentException("an export ARN has no spaces: '" + exportArn + "'");
        }
    }

    private SnapshotState(SnapshotMode mode, Phase phase, int attempt, long timeMillis, String exportArn,
                          int segments) {
        this(mode, phase, attempt, timeMillis, exportArn, segments, false, 0, 0);
    }

    private SnapshotState(SnapshotMode mode, Phase phase, int attempt, long timeMillis, String exportArn,
                          int segments, boolean bridge, int window, long fromMillis) {
        if (!phases(mode).contains(phase)) {
            throw new IllegalArgumentException("a snapshot by " + mode + " is " + phases(mode) + " (STREAMING once"
                                               + " handed over), not " + phase);
        }
        this.mode = mode;
        this.phase = phase;
        this.attempt = attempt;
        this.timeMillis = timeMillis;
        this.exportArn = exportArn;
        this.segments = segments;
        this.bridge = bridge;
        this.window = window;
        this.fromMillis = fromMillis;
    }

    /**
     * A bridge from {@code fromMillis} to {@code toMillis} at window {@code window}, whose export is
     * {@code exportArn} ({@code null}: not requested yet), waiting for that export.
     */
    public static SnapshotState bridging(int window, long fromMillis, long toMillis, String exportArn) {
        if (window < 1 || fromMillis >= toMillis || exportArn != null && exportArn.contains(" ")) {
            throw new IllegalArgumentException("not a bridge's window: " + window + " of [" + fromMillis + ", "
                                               + toMillis + ") by " + exportArn);
        }
        return new SnapshotState(SnapshotMode.EXPORT, Phase.EXPORTING, 0, toMillis, exportArn, 0, true, window,
                fromMillis);
    }

    /** This bridge's window with its export requested. */
    public SnapshotState withExport(String arn) {
        if (!bridge || phase != Phase.EXPORTING) {
            throw new IllegalStateException("only a bridge's window waiting for its export takes one: " + this);
        }
        return bridging(window, fromMillis, timeMillis, arn);
    }

    /** This bridge at its next window, whose export is not requested yet. */
    public SnapshotState nextWindow() {
        if (!bridge || phase != Phase.LOADING) {
            throw new IllegalStateException("only a bridge's loaded window has a next one: " + this);
        }
        return bridging(window + 1, fromMillis, timeMillis, null);
    }

    /** A Scan snapshot begun at {@code scanStartMillis} with {@code segments} segments, not done yet. */
    public static SnapshotState scanning(long scanStartMillis, int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("a scan has at least one segment, not " + segments);
        }
        return new SnapshotState(SnapshotMode.SCAN, Phase.SCANNING, 0, scanStartMillis, null, segments);
    }

    private static List<Phase> phases(SnapshotMode mode) {
        return mode == SnapshotMode.SCAN ? SCAN_PHASES : EXPORT_PHASES;
    }

    public static SnapshotState parse(String value) {
        String[] parts = value.split(" ");
        if (BRIDGE.equals(parts[0])) {
            if (parts.length != 6) {
                throw new IllegalArgumentException("not a bridge's state: '" + value + "'");
            }
            SnapshotState bridge = bridging(Integer.parseInt(parts[2]), Long.parseLong(parts[3]),
                    Long.parseLong(parts[4]), NO_EXPORT.equals(parts[5]) ? null : parts[5]);
            return switch (parts[1]) {
                case "EXPORTING" -> bridge;
                case "LOADING" -> bridge.moveTo(Phase.LOADING);
                case DONE -> bridge.moveTo(Phase.LOADING).moveTo(Phase.STREAMING);
                default -> throw new IllegalArgumentException("a bridge is EXPORTING, LOADING or DONE, not '"
                                                              + parts[1] + "'");
            };
        }
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a snapshot state: '" + value + "'");
        }
        if (SCAN.equals(parts[0])) {
            SnapshotState scan = scanning(Long.parseLong(parts[2]), Integer.parseInt(parts[3]));
            return DONE.equals(parts[1]) ? scan.moveTo(Phase.STREAMING) : scan.requirePhase(parts[1]);
        }
        Phase phase = DONE.equals(parts[0]) ? Phase.STREAMING : Phase.valueOf(parts[0]);
        return new SnapshotState(phase, Integer.parseInt(parts[1]), Long.parseLong(parts[2]), parts[3]);
    }

    private SnapshotState requirePhase(String name) {
        if (!phase.name().equals(name)) {
            throw new IllegalArgumentException("a scan is SCANNING or DONE, not '" + name + "'");
        }
        return this;
    }

    public String serialize() {
        String stored = phase == Phase.STREAMING ? DONE : phase.name();
        if (bridge) {
            return BRIDGE + " " + stored + " " + window + " " + fromMillis + " " + timeMillis + " "
                   + (exportArn == null ? NO_EXPORT : exportArn);
        }
        if (mode == SnapshotMode.SCAN) {
            return SCAN + " " + stored + " " + timeMillis + " " + segments;
        }
        return stored + " " + attempt + " " + timeMillis + " " + exportArn;
    }

    /** The next phase of the snapshot: EXPORTING to LOADING to STREAMING, or SCANNING to STREAMING. */
    public SnapshotState moveTo(Phase next) {
        List<Phase> phases = phases(mode);
        if (phases.indexOf(next) != phases.indexOf(phase) + 1) {
            throw new IllegalStateException("snapshot phase " + phase + " cannot move to " + next);
        }
        if (bridge && next == Phase.LOADING && exportArn == null) {
            throw new IllegalStateException("a bridge's window is loaded from its export, which is not requested yet");
        }
        return new SnapshotState(mode, next, attempt, timeMillis, exportArn, segments, bridge, window, fromMillis);
    }

    /** Whether this is a bridge of a gap by incremental exports, not a snapshot. */
    public boolean isBridge() {
        return bridge;
    }

    /** A bridge's window (1 for the first); 0 for a snapshot. */
    public int window() {
        return window;
    }

    /** A bridge's start; 0 for a snapshot. */
    public long fromMillis() {
        return fromMillis;
    }

    /** EXPORT or SCAN (EXPORT for a bridge). */
    public SnapshotMode mode() {
        return mode;
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

    /** The snapshot's time T: the export time, or the time the scan began; a bridge's end T1. */
    public Instant time() {
        return Instant.ofEpochMilli(timeMillis);
    }

    /** The export time T of an export snapshot (the same as {@link #time()}). */
    public Instant exportTime() {
        return time();
    }

    /** The export of an export snapshot; {@code null} for a scan. */
    public String exportArn() {
        return exportArn;
    }

    /** The segments of a scan; 0 for an export. */
    public int segments() {
        return segments;
    }

    /** What the snapshot was taken from, for messages: {@code export <arn>} or {@code scan in <n> segments}. */
    public String source() {
        if (bridge) {
            return "incremental exports from " + Instant.ofEpochMilli(fromMillis) + " to " + time() + " (window "
                   + window + (exportArn == null ? "" : ", export " + exportArn) + ")";
        }
        return mode == SnapshotMode.SCAN ? "scan in " + segments + " segments" : "export " + exportArn;
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
