package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Collects the changes of each source (a shard, a data file) into batches of at most {@code maxSize}, in the order
 * they were added, and sends a batch when it is full or when its first change has waited {@code windowMillis}
 * (like Lambda's BatchSize and MaximumBatchingWindowInSeconds). Batches of one source are sent one after the other,
 * in order, whichever thread sends them (the adding thread for a full batch, a timer for an old one). Once the run
 * stops, what is still collected is dropped unsent: nothing of it was acknowledged, so it is read again.
 * <p>
 * Sources do not share a lock: the data files of a snapshot are read side by side, each adding its items here.
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
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    /**
     * One source's collected changes (guarded by the object's monitor), and the lock that keeps its batches in
     * order. Once forgotten it is retired: a change must then go to the source's next one.
     */
    private final class Source {
        final String id;
        final ReentrantLock sending = new ReentrantLock(true);
        List<T> collecting = newBatch();
        long generation;
        /** The window timer of the batch being collected, cancelled when the batch goes before it ends. */
        ScheduledFuture<?> timer;
        boolean retired;

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

    /** A list for a batch, sized for a full one (up to a bound), so that filling it copies nothing. */
    private List<T> newBatch() {
        return new ArrayList<>(Math.min(maxSize, 1024));
    }

    /** Adds a change of {@code source}; sends the batch on this thread when it is full. */
    public void add(String source, T change) {
        while (true) {
            Source known = sources.get(source); // no lambda when the source is there, as it mostly is
            Source batch = known != null ? known : sources.computeIfAbsent(source, Source::new);
            boolean full;
            boolean first;
            long generation;
            synchronized (batch) {
                if (batch.retired) {
                    continue;
                }
                batch.collecting.add(change);
                full = batch.collecting.size() >= maxSize;
                first = batch.collecting.size() == 1;
                generation = batch.generation;
            }
            if (full) {
                send(batch, -1);
            } else if (first) {
                ScheduledFuture<?> timer = timers.schedule(() -> send(batch, generation), windowMillis,
                        TimeUnit.MILLISECONDS);
                synchronized (batch) {
                    if (batch.generation == generation) {
                        batch.timer = timer;
                    } else { // sent already
                        timer.cancel(false);
                    }
                }
            }
            return;
        }
    }

    /**
     * Sends what {@code source} has collected now, without waiting for its window: its last changes for a while (the
     * end of a data file or a shard), which nothing more would fill.
     */
    public void flush(String source) {
        Source batch = sources.get(source);
        if (batch != null) {
            send(batch, -1);
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
            ScheduledFuture<?> timer;
            synchronized (batch) {
                if (generation >= 0 && generation != batch.generation || batch.collecting.isEmpty()) {
                    return;
                }
                taken = batch.collecting;
                batch.collecting = newBatch();
                batch.generation++;
                timer = batch.timer;
                batch.timer = null;
            }
            if (timer != null && generation < 0) {
                // sent full or flushed: its timer would find nothing, and a stopping pool would wait for it
                timer.cancel(false);
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
    private void forgetIfIdle(Source batch) {
        synchronized (batch) {
            if (batch.collecting.isEmpty() && !batch.sending.isLocked()) {
                batch.retired = true;
                sources.remove(batch.id, batch);
            }
        }
    }

    /** How many changes are collected and not yet sent, over all sources. */
    public int collected() {
        int collected = 0;
        for (Source batch : sources.values()) {
            synchronized (batch) {
                collected += batch.collecting.size();
            }
        }
        return collected;
    }
}
