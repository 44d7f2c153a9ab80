package dev.ddbcdc.camel.checkpoint;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tracks the records of one shard from dispatch to completion and tells the highest contiguous acknowledged
 * position: the sequence number below which every dispatched record completed successfully. Only that position may
 * be checkpointed. Records are registered in shard order; completions may arrive in any order and from any thread.
 * <p>
 * A failed record stops the contiguous position in front of it for good: {@link #failed()} tells the reader to
 * rewind to the last checkpoint once the in-flight records have drained.
 */
public final class AckTracker {

    private static final class Slot {
        final String sequenceNumber;
        final long dispatchedAtMillis;
        boolean done;
        boolean failed;

        Slot(String sequenceNumber, long dispatchedAtMillis) {
            this.sequenceNumber = sequenceNumber;
            this.dispatchedAtMillis = dispatchedAtMillis;
        }
    }

    private final Deque<Slot> pending = new ArrayDeque<>();
    private String acknowledged;
    private String failedSequenceNumber;

    /** @param acknowledged the last checkpointed sequence number, or {@code null} */
    public AckTracker(String acknowledged) {
        this.acknowledged = acknowledged;
    }

    /** Registers a record in shard order. Returns the handle that its completion must be reported with. */
    public synchronized Object register(String sequenceNumber, long nowMillis) {
        Slot slot = new Slot(sequenceNumber, nowMillis);
        pending.addLast(slot);
        return slot;
    }

    /**
     * Marks a record as completed successfully. Returns the new highest contiguous acknowledged sequence number if
     * it moved, otherwise {@code null}.
     */
    public synchronized String complete(Object handle) {
        ((Slot) handle).done = true;
        String before = acknowledged;
        while (!pending.isEmpty() && pending.peekFirst().done && !pending.peekFirst().failed) {
            acknowledged = pending.removeFirst().sequenceNumber;
        }
        return acknowledged != null && !acknowledged.equals(before) ? acknowledged : null;
    }

    /** Marks a record as failed: nothing at or after it will be acknowledged until {@link #rewind()}. */
    public synchronized void fail(Object handle) {
        Slot slot = (Slot) handle;
        slot.done = true;
        slot.failed = true;
        if (failedSequenceNumber == null) {
            failedSequenceNumber = slot.sequenceNumber;
        }
    }

    /** The sequence number of the first failed record, or {@code null}. */
    public synchronized String failed() {
        return failedSequenceNumber;
    }

    /** Whether every dispatched record has completed (successfully or not). */
    public synchronized boolean drained() {
        return pending.stream().allMatch(s -> s.done);
    }

    public synchronized int inFlight() {
        return (int) pending.stream().filter(s -> !s.done).count();
    }

    /** Dispatch time of the oldest record still in flight, or {@code -1} when none is. */
    public synchronized long oldestInFlightSince() {
        return pending.stream().filter(s -> !s.done).mapToLong(s -> s.dispatchedAtMillis).min().orElse(-1);
    }

    /** The highest contiguous acknowledged sequence number, or {@code null} if none yet. */
    public synchronized String acknowledged() {
        return acknowledged;
    }

    /**
     * Forgets everything not acknowledged, so reading can restart after {@link #acknowledged()}. Completions that
     * arrive later for forgotten records are ignored.
     */
    public synchronized void rewind() {
        pending.clear();
        failedSequenceNumber = null;
    }
}
