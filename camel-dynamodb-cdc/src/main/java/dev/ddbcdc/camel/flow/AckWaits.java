package dev.ddbcdc.camel.flow;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The waits of a reader that is the only one dispatching into its {@link AckWindow} (an export data file, a Scan
 * segment): for room under the in-flight cap, for every record to be acknowledged at the unit's end, and for the
 * exchanges in flight to complete before it rewinds. Each wait ends early when the reader stops.
 */
public final class AckWaits {

    /** How the wait for the acknowledgements at the unit's end ended. */
    public enum End {
        ACKNOWLEDGED, FAILED, TIMED_OUT, STOPPED
    }

    private static final long STEP_MILLIS = 10;

    private final AckWindow<?> window;
    private final BooleanSupplier running;
    private final Clock clock;
    private final LongConsumer pause;
    private final long timeoutMillis;

    /**
     * @param pause         waits that many ms (or less when the reader stops)
     * @param timeoutMillis how long the acknowledgements at the end, or the exchanges in flight, are waited for
     */
    public AckWaits(AckWindow<?> window, BooleanSupplier running, Clock clock, LongConsumer pause,
                    long timeoutMillis) {
        this.window = window;
        this.running = running;
        this.clock = clock;
        this.pause = pause;
        this.timeoutMillis = timeoutMillis;
    }

    /** Waits for room under the in-flight cap and returns it (0 after a failure or a stop: the reader then returns). */
    public int awaitRoom() {
        int room;
        while ((room = window.room()) == 0 && window.failed() == null && running.getAsBoolean()) {
            pause.accept(STEP_MILLIS);
        }
        return room;
    }

    /** After the unit's last record: waits until every record is acknowledged, a record failed, or the timeout. */
    public End awaitAcknowledgments() {
        long deadline = clock.millis() + timeoutMillis;
        while (!window.drained() || window.failed() != null) {
            if (window.failed() != null) {
                return End.FAILED;
            }
            if (!running.getAsBoolean()) {
                return End.STOPPED;
            }
            if (clock.millis() > deadline) {
                return End.TIMED_OUT;
            }
            pause.accept(STEP_MILLIS);
        }
        return End.ACKNOWLEDGED;
    }

    /** Waits until every exchange in flight completed, or the timeout passed, or the reader stops. */
    public void awaitDrained() {
        long deadline = clock.millis() + timeoutMillis;
        while (!window.drained() && clock.millis() < deadline) {
            if (!running.getAsBoolean()) {
                return;
            }
            pause.accept(STEP_MILLIS);
        }
    }
}
