package dev.ddbcdc.camel.checkpoint;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tracks the records of one unit of work (a shard, a data file) from dispatch to completion and tells the highest
 * contiguous acknowledged position: the position (a sequence number, a line number) below which every dispatched
 * record completed successfully. Only that position may be checkpointed. Records are registered in order;
 * completions may arrive in any order and from any thread.
 * <p>
 * A failed record stops the contiguous position in front of it for good: {@link #failed()} tells the reader to
 * rewind to the last checkpoint once the in-flight records have drained.
 */
public final class AckTracker<P> {

    private static final class Slot<P> {
        final P position;
        final int generation;
        final long dispatchedAtMillis;
        boolean done;
        boolean failed;

        Slot(P position, int generation, long dispatchedAtMillis) {
            this.position = position;
            this.generation = generation;
            this.dispatchedAtMillis = dispatchedAtMillis;
        }
    }

    private final Deque<Slot<P>> pending = new ArrayDeque<>();
    private P acknowledged;
    private P failedPosition;
    private int inFlight;
    private int generation;

    /** @param acknowledged the last checkpointed position, or {@code null} */
    public AckTracker(P acknowledged) {
        this.acknowledged = acknowledged;
    }

    /** Registers a record in order. Returns the handle that its completion must be reported with. */
    public synchronized Object register(P position, long nowMillis) {
        Slot<P> slot = new Slot<>(position, generation, nowMillis);
        pending.addLast(slot);
        inFlight++;
        return slot;
    }

    /**
     * Marks a record as completed successfully. Returns the new highest contiguous acknowledged position if it
     * moved, otherwise {@code null}.
     */
    @SuppressWarnings("unchecked")
    public synchronized P complete(Object handle) {
        if (!settle((Slot<P>) handle)) {
            return null;
        }
        P before = acknowledged;
        while (!pending.isEmpty() && pending.peekFirst().done && !pending.peekFirst().failed) {
            acknowledged = pending.removeFirst().position;
        }
        return acknowledged != null && !acknowledged.equals(before) ? acknowledged : null;
    }

    /** Marks a record as failed: nothing at or after it will be acknowledged until {@link #rewind()}. */
    @SuppressWarnings("unchecked")
    public synchronized void fail(Object handle) {
        Slot<P> slot = (Slot<P>) handle;
        if (!settle(slot)) {
            return;
        }
        slot.failed = true;
        if (failedPosition == null) {
            failedPosition = slot.position;
        }
    }

    /** Marks a slot done; false when it was done already or forgotten by a rewind. */
    private boolean settle(Slot<P> slot) {
        if (slot.done || slot.generation != generation) {
            return false;
        }
        slot.done = true;
        inFlight--;
        return true;
    }

    /** The position of the first failed record, or {@code null}. */
    public synchronized P failed() {
        return failedPosition;
    }

    /** Whether every dispatched record has completed (successfully or not). */
    public synchronized boolean drained() {
        return inFlight == 0;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Dispatch time of the oldest record still in flight, or {@code -1} when none is. */
    public synchronized long oldestInFlightSince() {
        return pending.stream().filter(s -> !s.done).mapToLong(s -> s.dispatchedAtMillis).min().orElse(-1);
    }

    /** The highest contiguous acknowledged position, or {@code null} if none yet. */
    public synchronized P acknowledged() {
        return acknowledged;
    }

    /**
     * Forgets everything not acknowledged, so reading can restart after {@link #acknowledged()}. Completions that
     * arrive later for forgotten records are ignored.
     */
    public synchronized void rewind() {
        pending.clear();
        failedPosition = null;
        inFlight = 0;
        generation++;
    }
}
