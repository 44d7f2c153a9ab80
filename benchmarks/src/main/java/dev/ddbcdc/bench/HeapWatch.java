package dev.ddbcdc.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The heap of this JVM while something runs: the peak of used heap (taken just before each collection, where it
 * peaks, and by sampling in between) and the largest heap left just after a collection (an upper bound of the live
 * set), plus the share of wall time spent in collections.
 */
final class HeapWatch implements AutoCloseable {

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            onCollection(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
        }
    };
    private final long startNanos = System.nanoTime();
    private final long startGcMillis = gcMillis();
    private volatile long peakUsed;
    private volatile long maxLiveAfterGc;
    private final Thread sampler;
    private volatile boolean open = true;

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        sampler = new Thread(() -> {
            while (open) {
                sample();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        raisePeak(used);
    }

    private synchronized void raisePeak(long used) {
        peakUsed = Math.max(peakUsed, used);
    }

    private synchronized void onCollection(GarbageCollectionNotificationInfo info) {
        raisePeak(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()));
        // after a young collection the old generation may still hold garbage: an upper bound of the live set
        maxLiveAfterGc = Math.max(maxLiveAfterGc, heapUsed(info.getGcInfo().getMemoryUsageAfterGc()));
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    double peakUsedMb() {
        sample();
        return peakUsed / 1024.0 / 1024.0;
    }

    /** The largest heap still used just after a collection: an upper bound of the live set (0 if none ran). */
    double maxLiveAfterGcMb() {
        return maxLiveAfterGc / 1024.0 / 1024.0;
    }

    /** Share of the wall time since this watch began that the collectors took. */
    double gcTimeShare() {
        double wall = (System.nanoTime() - startNanos) / 1e6;
        return wall <= 0 ? 0 : (gcMillis() - startGcMillis) / wall;
    }

    /** Used heap after asking for a full collection several times: what is really held. */
    static long usedAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Override
    public void close() {
        open = false;
        sampler.interrupt();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
