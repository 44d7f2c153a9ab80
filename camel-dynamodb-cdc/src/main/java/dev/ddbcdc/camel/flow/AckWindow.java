package dev.ddbcdc.camel.flow;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The acknowledgement window of one unit of work (a shard, an export data file): the records dispatched to the route
 * and not yet acknowledged, in dispatch order. It tells the highest contiguous acknowledged position (below which
 * every dispatched record completed successfully), writes it as a checkpoint at its {@link Cadence}, caps the records
 * in flight, notices an acknowledgement timeout and a failure, and rewinds.
 * <p>
 * Each record is registered in order and gets a {@link Ticket} bound to this window and to the current round:
 * completions may arrive late, in any order and from any thread; one from before a {@link #rewind()} or
 * {@link #restart(Object)} is ignored, so it can neither move the position nor be counted twice. A failed record
 * holds the position in front of it until the reader rewinds, which it does once the window {@link #drained()}.
 */
public final class AckWindow<P> {

    /** Where the window writes its position: the unit's checkpoint. */
    public interface Checkpoints<P> {
        /** Every record up to and including {@code position} was acknowledged. */
        void save(P position);

        /** The unit was read to its end and every record of it acknowledged. */
        void end();
    }

    /**
     * How often an advanced position is written while running: after {@code everyPositions} newly acknowledged
     * records or {@code everyMillis} since the last write, whichever comes first. When the reader is no longer
     * running, every advance is written, and {@link #flush()} writes what is left.
     */
    public record Cadence(int everyPositions, long everyMillis) {
        /** Every advance is written at once. */
        public static final Cadence EVERY_ADVANCE = new Cadence(1, 0);
    }

    /** One dispatched record's handle: exactly one of its methods should be called, from any thread. */
    public final class Ticket {
        private final P position;
        private final int round;
        private final long dispatchedAtMillis;
        private boolean done;
        private boolean failed;

        private Ticket(P position, int round, long dispatchedAtMillis) {
            this.position = position;
            this.round = round;
            this.dispatchedAtMillis = dispatchedAtMillis;
        }

        /** The record's exchange completed successfully. */
        public void complete() {
            AckWindow.this.complete(this);
        }

        /** The record's exchange failed: nothing at or after it is acknowledged until the window rewinds. */
        public void fail() {
            AckWindow.this.fail(this);
        }

        public P position() {
            return position;
        }

        /** The window the ticket belongs to. */
        public AckWindow<P> window() {
            return AckWindow.this;
        }
    }

    private final Clock clock;
    private final int maxInFlight;
    private final long timeoutMillis;
    private final Cadence cadence;
    private final Checkpoints<P> checkpoints;
    private final BooleanSupplier running;
    private final Deque<Ticket> pending = new ArrayDeque<>();
    private P acknowledged;
    private P saved;
    private int unsaved;
    private long savedAtMillis;
    /** Written under the lock, read without it by the reader's per-record check. */
    private volatile P failedPosition;
    private int inFlight;
    private int round;

    /**
     * @param acknowledged  the last checkpointed position, or {@code null} when the unit is read from its start
     * @param maxInFlight   how many records may be in flight at once ({@link #hasRoom()})
     * @param timeoutMillis how long a record may stay in flight before {@link #timedOut()} says so
     * @param running       whether the reader still runs; once it does not, every advance is written at once
     */
    public AckWindow(P acknowledged, Clock clock, int maxInFlight, long timeoutMillis, Cadence cadence,
                     Checkpoints<P> checkpoints, BooleanSupplier running) {
        this.acknowledged = acknowledged;
        this.saved = acknowledged;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.timeoutMillis = timeoutMillis;
        this.cadence = cadence;
        this.checkpoints = checkpoints;
        this.running = running;
        this.savedAtMillis = clock.millis();
    }

    /** Registers the next record in dispatch order; its completion must be reported through the ticket. */
    public synchronized Ticket register(P position) {
        Ticket ticket = new Ticket(position, round, clock.millis());
        pending.addLast(ticket);
        inFlight++;
        return ticket;
    }

    private synchronized void complete(Ticket ticket) {
        if (settle(ticket)) {
            advance();
        }
    }

    /**
     * Completes {@code tickets} of this window as {@link Ticket#complete()} on each in turn would, under one lock: the
     * position moves past all of them at once (a checkpoint due on the way is written at the end).
     */
    public synchronized void completeAll(List<Ticket> tickets) {
        for (Ticket ticket : tickets) {
            if (ticket.window() != this) {
                throw new IllegalArgumentException("A ticket of another window: " + ticket.position);
            }
        }
        boolean settled = false;
        for (Ticket ticket : tickets) {
            settled |= settle(ticket);
        }
        if (settled) {
            advance();
        }
    }

    /** Moves the position past the completed records at the front, and writes it when the cadence says so. */
    private void advance() {
        P before = acknowledged;
        while (!pending.isEmpty() && pending.peekFirst().done && !pending.peekFirst().failed) {
            acknowledged = pending.removeFirst().position;
            unsaved++;
        }
        if (acknowledged == null || acknowledged.equals(before)) {
            return;
        }
        if (unsaved >= cadence.everyPositions() || !running.getAsBoolean()) {
            write(cadence.everyMillis() > 0 ? clock.millis() : 0);
            return;
        }
        long now = clock.millis();
        if (now - savedAtMillis >= cadence.everyMillis()) {
            write(now);
        }
    }

    private synchronized void fail(Ticket ticket) {
        if (!settle(ticket)) {
            return;
        }
        ticket.failed = true;
        if (failedPosition == null) {
            failedPosition = ticket.position;
        }
    }

    /** Marks a ticket done; false when it was done already or belongs to a round forgotten since. */
    private boolean settle(Ticket ticket) {
        if (ticket.done || ticket.round != round) {
            return false;
        }
        ticket.done = true;
        inFlight--;
        return true;
    }

    private void write(long now) {
        checkpoints.save(acknowledged);
        saved = acknowledged;
        unsaved = 0;
        savedAtMillis = now;
    }

    /** Writes the highest contiguous acknowledged position if it was not written yet (always called on stop). */
    public synchronized void flush() {
        if (acknowledged != null && !acknowledged.equals(saved)) {
            write(clock.millis());
        }
    }

    /**
     * The unit was read to its end: when every record is acknowledged, writes the last position and then the end,
     * and returns true; otherwise (records in flight, or a failure) writes nothing and returns false.
     */
    public synchronized boolean endIfDrained() {
        if (inFlight > 0 || failedPosition != null) {
            return false;
        }
        flush();
        checkpoints.end();
        return true;
    }

    /**
     * How many more records may be dispatched now without passing the in-flight cap: a reader that is the window's
     * only registrant may dispatch that many before asking again (completions only make more room).
     */
    public synchronized int room() {
        return Math.max(0, maxInFlight - inFlight);
    }

    /** Whether another record may be dispatched without passing the in-flight cap. */
    public synchronized boolean hasRoom() {
        return inFlight < maxInFlight;
    }

    /** The position of the first failed record of this round, or {@code null}. */
    public P failed() {
        return failedPosition;
    }

    /** Whether every dispatched record has completed, successfully or not. */
    public synchronized boolean drained() {
        return inFlight == 0;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Whether the oldest record in flight was dispatched longer ago than the acknowledgement timeout. */
    public synchronized boolean timedOut() {
        for (Ticket ticket : pending) {
            if (!ticket.done) {
                return clock.millis() - ticket.dispatchedAtMillis > timeoutMillis;
            }
        }
        return false;
    }

    /** The highest contiguous acknowledged position, or {@code null} if none yet. */
    public synchronized P acknowledged() {
        return acknowledged;
    }

    /**
     * Writes what was acknowledged, forgets everything not acknowledged (later completions of it are ignored) and
     * returns the position to read again after ({@code null}: from the unit's start).
     */
    public synchronized P rewind() {
        flush();
        forget();
        return acknowledged;
    }

    /**
     * Starts again from another position (e.g. {@code null}, the oldest record still there, after a loss): writes
     * what was acknowledged and forgets everything else, as {@link #rewind()} does, then takes {@code base} as the
     * acknowledged position without writing it.
     */
    public synchronized void restart(P base) {
        flush();
        forget();
        acknowledged = base;
        saved = base;
    }

    private void forget() {
        pending.clear();
        failedPosition = null;
        inFlight = 0;
        round++;
        unsaved = 0;
    }
}
