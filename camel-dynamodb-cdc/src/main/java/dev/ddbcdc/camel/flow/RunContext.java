package dev.ddbcdc.camel.flow;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the engine, from a start to its stop: whether it still runs, its clock, and the executor its tasks run
 * on. A stopped run never runs again (a new start makes a new one), so a task of an earlier run still queued on the
 * shared executor sees that it must not go on. Tasks submitted here are counted while they run, so a stop can wait
 * for the run's work to come to rest.
 */
public final class RunContext {

    private static final long PAUSE_STEP_MILLIS = 50;

    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running = true;

    public RunContext(Clock clock, ScheduledExecutorService executor) {
        this.clock = clock;
        this.executor = executor;
    }

    public boolean isRunning() {
        return running;
    }

    /** Ends the run: every task of it stops at its next check. */
    public void stop() {
        running = false;
    }

    public Clock clock() {
        return clock;
    }

    public long millis() {
        return clock.millis();
    }

    /** Runs the task on the executor now (or after {@code delayMillis}), unless the run has stopped. */
    public void submit(Runnable task, long delayMillis) {
        if (!running) {
            return;
        }
        Runnable counted = () -> {
            active.incrementAndGet();
            try {
                if (running) {
                    task.run();
                }
            } finally {
                active.decrementAndGet();
            }
        };
        try {
            if (delayMillis <= 0) {
                executor.execute(counted);
            } else {
                executor.schedule(counted, delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            if (running) {
                throw e;
            }
            // stopping: the work is done again from the checkpoint at the next start
        }
    }

    /** Runs the task every {@code periodMillis} while the run lasts, the first time after {@code initialDelayMillis}. */
    public void every(Runnable task, long initialDelayMillis, long periodMillis) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = executor.scheduleWithFixedDelay(() -> {
            if (!running) {
                ScheduledFuture<?> future = self[0];
                if (future != null) {
                    future.cancel(false);
                }
                return;
            }
            active.incrementAndGet();
            try {
                task.run();
            } finally {
                active.decrementAndGet();
            }
        }, initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits up to {@code timeoutMillis} until no task of this run is running; true if none is. */
    public boolean awaitIdle(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (active.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Sleeps for {@code millis} by the clock, in short steps, returning early when the run stops. */
    public void pause(long millis) {
        long until = clock.millis() + millis;
        while (running && clock.millis() < until) {
            try {
                Thread.sleep(Math.min(PAUSE_STEP_MILLIS, Math.max(1, until - clock.millis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
