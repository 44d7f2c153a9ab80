package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Collects the changes of each source (a shard, a data file) into batches of at most {@code maxSize}, in the order
 * they were added, and sends a batch when it is full or when its first change has waited {@code windowMillis}
 * (like Lambda's BatchSize and MaximumBatchingWindowInSeconds). Batches of one source are sent one after the other,
 * in order, whichever thread sends them (the adding thread for a full batch, a timer for an old one). Once the run
 * stops, what is still collected is dropped unsent: nothing of it was acknowledged, so it is read again.
 *
 * @param <T> a change waiting to be sent, with its acknowledgement
 */
public final class Batches<T> {

    /** Sends one batch; returns once it is handed to the route (its completion may come later). */
    public interface Sender<T> {
        void send(String source, List<T> batch);
    }

    private final int maxSize;
    private final long windowMillis;
    private final ScheduledExecutorService timers;
    private final BooleanSupplier running;
    private final Sender<T> sender;
    private final Map<String, Source> sources = new HashMap<>();

    /** One source's collected changes, and the lock that keeps its batches in order. */
    private final class Source {
        final String id;
        final ReentrantLock sending = new ReentrantLock(true);
        List<T> collecting = new ArrayList<>();
        long generation;

        Source(String id) {
            this.id = id;
        }
    }

    public Batches(int maxSize, long windowMillis, ScheduledExecutorService timers, BooleanSupplier running,
                   Sender<T> sender) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("A batch holds at least one change, was " + maxSize);
        }
        this.maxSize = maxSize;
        this.windowMillis = windowMillis;
        this.timers = timers;
        this.running = running;
        this.sender = sender;
    }

    /** Adds a change of {@code source}; sends the batch on this thread when it is full. */
    public void add(String source, T change) {
        Source batch;
        boolean full;
        boolean first;
        long generation;
        synchronized (this) {
            batch = sources.computeIfAbsent(source, Source::new);
            batch.collecting.add(change);
            full = batch.collecting.size() >= maxSize;
            first = batch.collecting.size() == 1;
            generation = batch.generation;
        }
        if (full) {
            send(batch, -1);
        } else if (first) {
            timers.schedule(() -> send(batch, generation), windowMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sends what {@code batch} collected, unless {@code generation} (a timer's) is no longer the one collecting; under
     * the source's lock, taken before the batch is taken, so that batches go out in the order they were collected.
     */
    private void send(Source batch, long generation) {
        batch.sending.lock();
        try {
            List<T> taken;
            synchronized (this) {
                if (generation >= 0 && generation != batch.generation || batch.collecting.isEmpty()) {
                    return;
                }
                taken = batch.collecting;
                batch.collecting = new ArrayList<>();
                batch.generation++;
            }
            if (running.getAsBoolean()) {
                sender.send(batch.id, taken);
            }
        } finally {
            batch.sending.unlock();
            forgetIfIdle(batch);
        }
    }

    /**
     * Forgets a source with nothing collected and nothing being sent, so memory stays flat over many shards and
     * files; a change added later starts a new one, which cannot overtake this one since it has nothing left.
     */
    private synchronized void forgetIfIdle(Source batch) {
        if (batch.collecting.isEmpty() && !batch.sending.isLocked()) {
            sources.remove(batch.id, batch);
        }
    }

    /** How many changes are collected and not yet sent, over all sources. */
    public synchronized int collected() {
        return sources.values().stream().mapToInt(s -> s.collecting.size()).sum();
    }
}
