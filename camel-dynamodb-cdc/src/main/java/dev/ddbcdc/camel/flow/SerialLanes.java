package dev.ddbcdc.camel.flow;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks in lanes: the tasks of one lane one after the other in the order they were submitted, the lanes side by
 * side on a shared executor. No thread belongs to a lane; a lane with work takes one thread until its queue is empty.
 */
public final class SerialLanes {

    private final Executor executor;
    private final Consumer<RuntimeException> failures;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    private final class Lane implements Runnable {
        final String id;
        final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean draining = new AtomicBoolean();

        Lane(String id) {
            this.id = id;
        }

        @Override
        public void run() {
            do {
                Runnable task;
                while ((task = queue.poll()) != null) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        // a task reports its own failures (a dispatch fails its acknowledgement); the lane goes on
                        failures.accept(e);
                    }
                }
                draining.set(false);
                // a task added after the last poll but before the flag was cleared must not wait for the next one
            } while (!queue.isEmpty() && draining.compareAndSet(false, true));
            lanes.computeIfPresent(id, (key, lane) -> lane.queue.isEmpty() && !lane.draining.get() ? null : lane);
        }
    }

    /** @param failures told of a task that threw (tasks are expected to handle their own errors) */
    public SerialLanes(Executor executor, Consumer<RuntimeException> failures) {
        this.executor = executor;
        this.failures = failures;
    }

    /** Runs {@code task} after every task submitted to {@code lane} before it. */
    public void submit(String lane, Runnable task) {
        Lane target = lanes.compute(lane, (key, existing) -> {
            Lane chosen = existing != null ? existing : new Lane(key);
            chosen.queue.add(task);
            return chosen;
        });
        if (target.draining.compareAndSet(false, true)) {
            executor.execute(target);
        }
    }

    /** Lanes with work queued or running. */
    public int active() {
        return lanes.size();
    }
}
