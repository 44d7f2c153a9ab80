package dev.ddbcdc.camel.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a gap's bridge ({@code trimmedDataPolicy=INCREMENTAL_EXPORT}), in this one place: which incremental
 * exports cover the gap, and which document version the items of each carry.
 * <h2>Windows</h2>
 * The bridge covers {@code [from, to)}: {@code to} is T1, about the time the bridge begins; {@code from} is the gap's
 * start T0 (the time of the last acknowledged change before the gap), both to the second (T0 floored, so never
 * later). DynamoDB takes windows of 15 minutes to 24 hours: a gap shorter than 15 minutes plus {@link #MARGIN} starts
 * earlier, at {@code to} minus that, and so never later than T0 (the changes before T0 come again; a sink that keeps
 * the highest document version tolerates them), but not before point-in-time recovery's earliest restorable time
 * when that still leaves 15 minutes and T0 inside. A longer span is cut into the fewest windows of at most 24 hours,
 * of equal length to the second (each then at least 12 hours), the last one ending at {@code to}. The plan is a
 * function of {@code from} and {@code to} alone ({@link #between}), which the checkpoint keeps: a restart plans the
 * same windows and so requests the same exports.
 * <h2>Document versions</h2>
 * Let H be the version of a snapshot handed over at {@code to} ({@link HandOver}: one below the lowest version of a
 * stream record created at or after {@code to - streamOverlap} floored to the minute, the first record the stream
 * delivers after the bridge). The items of window k of K carry {@code H - (K - k)}: the last window H, each earlier
 * one one less. Why not {@code ofSnapshotItem(end_k - streamOverlap)}, window by window, which also grows?
 * Because a sink may hold changes delivered before the gap that are later than T0: T0 is the <em>earliest</em>
 * acknowledged change over the shards, and another shard may have delivered, before the gap, a change of an item at a
 * time x up to the gap itself. With that per-window rule, such an x within {@code streamOverlap} before the end of a
 * window k that is not the last beats window k's item (which holds a later, lost change of the same item), and if
 * the item did not change afterwards nothing corrects the sink. With this rule:
 * <ul>
 * <li>Windows increase: window k+1 holds the later state of an item than window k, and a higher version.</li>
 * <li>Above everything delivered before the gap that the stream does not deliver again. Such a change x was
 * created before D, {@code to - streamOverlap} floored to the minute: what was created from D on, the stream of the
 * next generation delivers again with the same version (the same stream; a replaced stream ended before the new one
 * began, and D is at least the minute after the new stream's creation, {@link IncrementalBridge}). If its item changed
 * later, before {@code to}, that change is in a window j at or after x's, whose item carries the item's state at the
 * end of window j: if j is the last window its version H is at least x's (x's second is before D); if j is an
 * earlier one, window j ends at least 12 hours before {@code to} (windows are equal and K is at least 2), and x's
 * version is below that end's, far below {@code H - K}. Only a change in the last second before D whose sequence
 * number ends in 999999999 ties with H, which a sink keeping the first of equal versions resolves wrongly.</li>
 * <li>Below every stream record delivered after the bridge: H is.</li>
 * </ul>
 * The span needs no minimum against the overlap: the rule does not depend on the windows' lengths.
 * <h2>What no version can fix</h2>
 * DynamoDB compacts a window to each item's last state: an item created and deleted within one window has no line.
 * When a sink received that item's creation before the gap (created after the window's start: on a shard read further
 * than T0's, or in the minutes a short gap's window starts before T0), it keeps the item. Every other deletion is a
 * line without a new image, a REMOVE.
 *
 * @param fromMillis the start of the first window (at most T0)
 * @param toMillis   the end of the last window, T1
 * @param windows    the windows in order, at least one
 */
public record BridgePlan(long fromMillis, long toMillis, List<Window> windows) {

    /** The shortest window DynamoDB exports. */
    public static final Duration MIN_WINDOW = Duration.ofMinutes(15);
    /** The longest window DynamoDB exports. */
    public static final Duration MAX_WINDOW = Duration.ofHours(24);
    /** How much longer than {@link #MIN_WINDOW} a window that had to start earlier than T0 is made. */
    public static final Duration MARGIN = Duration.ofMinutes(1);
    private static final long SECOND = 1000;

    /**
     * One incremental export of the bridge: changes made from {@code fromMillis} (inclusive) to {@code toMillis}
     * (exclusive).
     *
     * @param number 1 for the first window
     */
    public record Window(int number, long fromMillis, long toMillis) {
        @Override
        public String toString() {
            return "window " + number + " [" + Instant.ofEpochMilli(fromMillis) + ", " + Instant.ofEpochMilli(toMillis)
                   + ")";
        }
    }

    public BridgePlan {
        windows = List.copyOf(windows);
    }

    /**
     * Plans the bridge of a gap that began at {@code gapStartMillis} (T0), up to {@code toMillis} (T1).
     *
     * @param earliestRestorableMillis point-in-time recovery's earliest restorable time, or {@code Long.MIN_VALUE}
     *                                 when not known
     */
    public static BridgePlan of(long gapStartMillis, long toMillis, long earliestRestorableMillis) {
        long to = Math.floorDiv(toMillis, SECOND) * SECOND;
        long gapStart = Math.floorDiv(gapStartMillis, SECOND) * SECOND;
        if (gapStart >= to) {
            throw new IllegalArgumentException("a gap starting at " + Instant.ofEpochMilli(gapStartMillis)
                                               + " is not before the bridge's end " + Instant.ofEpochMilli(to));
        }
        long from = Math.min(gapStart, to - MIN_WINDOW.plus(MARGIN).toMillis());
        long restorable = earliestRestorableMillis == Long.MIN_VALUE ? Long.MIN_VALUE
                : Math.floorDiv(earliestRestorableMillis + SECOND - 1, SECOND) * SECOND;
        if (from < restorable && restorable <= gapStart && to - restorable >= MIN_WINDOW.toMillis()) {
            from = restorable; // still at or before T0, and a window DynamoDB takes
        }
        return between(from, to);
    }

    /** The windows of a bridge from {@code fromMillis} to {@code toMillis}, as {@link #of} planned them. */
    public static BridgePlan between(long fromMillis, long toMillis) {
        long span = toMillis - fromMillis;
        if (span < MIN_WINDOW.toMillis()) {
            throw new IllegalArgumentException("a bridge spans " + MIN_WINDOW.toMinutes() + " minutes at least, not "
                                               + Duration.ofMillis(span));
        }
        long max = MAX_WINDOW.toMillis();
        int count = (int) ((span + max - 1) / max);
        List<Window> windows = new ArrayList<>(count);
        long start = fromMillis;
        for (int k = 1; k <= count; k++) {
            long end = k == count ? toMillis
                    : Math.floorDiv(fromMillis + span / count * k, SECOND) * SECOND;
            windows.add(new Window(k, start, end));
            start = end;
        }
        return new BridgePlan(fromMillis, toMillis, windows);
    }

    /** Window {@code number} (1 for the first). */
    public Window window(int number) {
        return windows.get(number - 1);
    }

    public int size() {
        return windows.size();
    }

    /** Whether point-in-time recovery whose earliest restorable time is {@code earliestRestorableMillis} covers it. */
    public boolean coveredFrom(long earliestRestorableMillis) {
        return earliestRestorableMillis <= fromMillis;
    }

    /** Where the stream takes over after the bridge: at {@code to} minus the overlap. */
    public HandOver handOver(String lastExportArn, long streamOverlapMillis) {
        return HandOver.of(lastExportArn, Instant.ofEpochMilli(toMillis), streamOverlapMillis);
    }

    /** The document version of every item of window {@code number} (see the class comment). */
    public long documentVersion(int number, long streamOverlapMillis) {
        if (number < 1 || number > windows.size()) {
            throw new IllegalArgumentException("the bridge has windows 1 to " + windows.size() + ", not " + number);
        }
        return handOver(null, streamOverlapMillis).documentVersion() - (windows.size() - number);
    }
}
