package dev.ddbcdc.camel.flow;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of the engine, from a start to its stop: whether it still runs, its clock, and the executors its tasks run
 * on. A stopped run never runs again (a new start makes a new one), so a task of an earlier run still queued on the
 * shared executor sees that it must not go on. Tasks submitted here are counted while they run, so a stop can wait
 * for the run's work to come to rest.
 * <p>
 * Periodic and control tasks (listing the shards, watching the table, looking for other buckets' shard ends) run on
 * a control executor of their own when there is one: on the work executor they would wait behind every shard reader
 * queued before them, which with a slow route holds a thread for seconds per read.
 */
public final class RunContext {

    private static final long PAUSE_STEP_MILLIS = 50;
    private static final int MIN_PURGE_AT = 64;

    /**
     * The executors of the engine's runs.
     *
     * @param work    readers, loaders, scans, the snapshot
     * @param control periodic and control tasks: short, never waiting for a delivery
     */
    public record Threads(ScheduledExecutorService work, ScheduledExecutorService control) {
        /** Everything on one executor. */
        public static Threads of(ScheduledExecutorService executor) {
            return new Threads(executor, executor);
        }
    }

    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final ScheduledExecutorService control;
    private final AtomicInteger active = new AtomicInteger();
    /** Tasks of this run waiting for their time (a reader's next poll, periodic tasks): cancelled at the stop. */
    private final Set<Future<?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile int purgeAt = MIN_PURGE_AT;
    private volatile boolean running = true;

    public RunContext(Clock clock, ScheduledExecutorService executor) {
        this(clock, Threads.of(executor));
    }

    public RunContext(Clock clock, Threads threads) {
        this.clock = clock;
        this.executor = threads.work();
        this.control = threads.control();
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Ends the run: every task of it stops at its next check, and those waiting for their time are cancelled, so that
     * an executor shut down gracefully after the stop need not wait for them (a reader's next poll, up to
     * idlePollDelay away, would otherwise run once more after the shutdown).
     */
    public void stop() {
        running = false;
        for (Future<?> task : waiting) {
            task.cancel(false);
        }
        waiting.clear();
    }

    public Clock clock() {
        return clock;
    }

    public long millis() {
        return clock.millis();
    }

    /** Runs the task on the executor now (or after {@code delayMillis}), unless the run has stopped. */
    public void submit(Runnable task, long delayMillis) {
        submitTo(executor, task, delayMillis);
    }

    /** Runs a control task (short, never waiting for a delivery) now, on the control executor. */
    public void control(Runnable task) {
        submitTo(control, task, 0);
    }

    private void submitTo(ScheduledExecutorService target, Runnable task, long delayMillis) {
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
                target.execute(counted);
            } else {
                AtomicReference<Future<?>> self = new AtomicReference<>();
                Future<?> scheduled = target.schedule(() -> {
                    Future<?> own = self.get();
                    if (own != null) {
                        waiting.remove(own);
                    }
                    counted.run();
                }, delayMillis, TimeUnit.MILLISECONDS);
                self.set(scheduled);
                waitFor(scheduled);
            }
        } catch (RejectedExecutionException e) {
            if (running) {
                throw e;
            }
            // stopping: the work is done again from the checkpoint at the next start
        }
    }

    /**
     * Runs the task every {@code periodMillis} while the run lasts, the first time after {@code initialDelayMillis},
     * on the control executor.
     */
    public void every(Runnable task, long initialDelayMillis, long periodMillis) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = control.scheduleWithFixedDelay(() -> {
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
        waitFor(self[0]);
    }

    /**
     * Keeps {@code task} to cancel at the stop. A delayed task forgets itself when it runs; one that ran before it was
     * kept is forgotten here, now or when the set has grown past twice what was there at the last look.
     */
    private void waitFor(Future<?> task) {
        waiting.add(task);
        if (task.isDone()) {
            waiting.remove(task);
        }
        if (waiting.size() > purgeAt) {
            waiting.removeIf(Future::isDone);
            purgeAt = Math.max(MIN_PURGE_AT, 2 * waiting.size());
        }
        if (!running) {
            task.cancel(false); // stopped meanwhile
        }
    }

    /** How many tasks are kept to cancel at the stop (for tests). */
    int waitingTasks() {
        return waiting.size();
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
