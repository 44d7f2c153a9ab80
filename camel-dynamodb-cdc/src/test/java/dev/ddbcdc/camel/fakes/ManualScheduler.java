package dev.ddbcdc.camel.fakes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.ddbcdc.camel.flow.TestClock;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: the test runs the tasks that are due on its own
 * thread ({@link #runDue()}) and moves the {@link TestClock} forward ({@link #advance(long)}), which runs the tasks
 * that fall due on the way, in order of due time (ties in submission order). Periodic tasks are rescheduled after
 * each run. A task's exception is kept ({@link #failures()}) instead of being lost.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** More tasks than this in one call means something reschedules itself without delay forever. */
    private static final int MAX_TASKS_PER_CALL = 100_000;

    private final TestClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private long sequence;
    private boolean shutdown;

    public ManualScheduler(TestClock clock) {
        this.clock = clock;
    }

    private final class Task<V> implements ScheduledFuture<V> {
        private final Callable<V> callable;
        private final long periodMillis;
        private long due;
        private long order;
        private boolean cancelled;
        private boolean done;
        private V result;

        Task(Callable<V> callable, long due, long periodMillis) {
            this.callable = callable;
            this.due = due;
            this.periodMillis = periodMillis;
        }

        void run() {
            try {
                V value = callable.call();
                if (periodMillis <= 0) {
                    result = value;
                    done = true;
                } else if (!cancelled) {
                    due = clock.millis() + periodMillis;
                    enqueue(this);
                }
            } catch (Throwable e) {
                failures.add(e);
                done = true; // like a real scheduler: a periodic task that throws runs no more
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byDue = Long.compare(due, that.due);
            return byDue != 0 ? byDue : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (done || cancelled) {
                    return false;
                }
                cancelled = true;
                queue.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() {
            if (!done) {
                throw new IllegalStateException("the task has not run; run the scheduler first");
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) {
            return get();
        }
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        task.order = sequence++;
        queue.add(task);
        return task;
    }

    private <V> Task<V> add(Callable<V> callable, long delayMillis, long periodMillis) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        return enqueue(new Task<>(callable, clock.millis() + Math.max(0, delayMillis), periodMillis));
    }

    /** Runs every task due now, including those that become due now while running; returns how many ran. */
    public synchronized int runDue() {
        int ran = 0;
        while (!queue.isEmpty() && queue.peek().due <= clock.millis()) {
            Task<?> task = queue.poll();
            task.run();
            if (++ran > MAX_TASKS_PER_CALL) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_CALL + " tasks due at once: a busy loop");
            }
        }
        return ran;
    }

    /** Moves the clock forward by {@code millis}, running the tasks due on the way at their due times. */
    public synchronized void advance(long millis) {
        long target = clock.millis() + millis;
        int steps = 0;
        runDue();
        while (!queue.isEmpty() && queue.peek().due <= target) {
            long next = queue.peek().due;
            if (next > clock.millis()) {
                clock.advance(next - clock.millis());
            }
            runDue();
            if (++steps > MAX_TASKS_PER_CALL) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_CALL + " steps: a busy loop");
            }
        }
        if (target > clock.millis()) {
            clock.advance(target - clock.millis());
        }
        runDue();
    }

    /** How many tasks are queued (periodic ones included). */
    public synchronized int queued() {
        return queue.size();
    }

    /** The exceptions tasks ended with. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void execute(Runnable command) {
        add(Executors.callable(command), 0, 0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(Executors.callable(command), unit.toMillis(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, unit.toMillis(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive");
        }
        return add(Executors.callable(command), unit.toMillis(initialDelay), unit.toMillis(delay));
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        queue.clear();
        return List.of();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
