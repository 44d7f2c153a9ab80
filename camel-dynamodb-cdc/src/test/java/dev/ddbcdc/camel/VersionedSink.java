package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A sink that keeps, per item, the change with the highest document version (a tombstone for REMOVE), as a sink
 * with external versioning does: the snapshot tests check that it ends equal to the table.
 */
final class VersionedSink implements Processor {

    private final Map<String, Object[]> changes = new ConcurrentHashMap<>();
    /** Per item, when a change of it arrived last (whether or not it won). */
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    /** Per snapshot, when its first item arrived. */
    private final Map<String, Long> firstOfSnapshot = new ConcurrentHashMap<>();
    private final AtomicLong arrivals = new AtomicLong();
    private volatile String lastSnapshot;

    @Override
    public void process(Exchange exchange) {
        String key = exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
        long arrival = arrivals.incrementAndGet();
        lastSeen.put(key, arrival);
        if ("READ".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))) {
            // a snapshot is one export, or one scan (begun at its timestamp)
            String export = exchange.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_ARN, String.class);
            String snapshot = export != null ? export
                    : "scan@" + exchange.getMessage().getHeader(DynamoDbCdcConstants.TIMESTAMP);
            // the lowest arrival, not the first registered: segments deliver at once, and the item numbered first
            // may register second (it would then look older than its own snapshot and be swept)
            firstOfSnapshot.merge(snapshot, arrival, Math::min);
            lastSnapshot = snapshot;
        }
        long version = exchange.getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
        boolean remove = "REMOVE".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
        Object state = remove ? null : SnapshotItems.comparable(exchange.getMessage().getBody(Map.class));
        changes.merge(key, new Object[] { version, state }, (old, now) -> (long) now[0] > (long) old[0] ? now : old);
    }

    /**
     * Moves what the sink holds {@code by} into the past, with DynamoDB Local's clock dilation: the changes it got
     * were, in the dilated world, made that long ago, and a sink that had been down for so long would hold versions
     * that old.
     */
    void age(Duration by) {
        long versions = by.toSeconds() * 1_000_000_000L; // a document version is the change's second times 10^9
        changes.replaceAll((key, change) -> new Object[] { (long) change[0] - versions, change[1] });
    }

    /**
     * Mark and sweep after a new snapshot (a gap recovered with trimmedDataPolicy=RESNAPSHOT) has completed: drops
     * every item of which nothing arrived since the latest snapshot began, neither an item of that snapshot nor a
     * later change. Those were deleted during the gap, which no snapshot can tell.
     */
    void sweepBeforeLatestSnapshot() {
        String snapshot = lastSnapshot;
        if (snapshot != null) {
            long mark = firstOfSnapshot.get(snapshot);
            changes.keySet().removeIf(key -> lastSeen.get(key) < mark);
        }
    }

    /** The items the sink holds (tombstones left out), in the form of {@link SnapshotItems#table}. */
    Map<String, Object> present() {
        Map<String, Object> items = new TreeMap<>();
        changes.forEach((key, change) -> {
            if (change[1] != null) {
                items.put(key, change[1]);
            }
        });
        return items;
    }

    /** Waits until the sink holds exactly {@code table}; fails saying in how many items they differ. */
    void awaitEqualTo(Map<String, Object> table, Duration timeout) {
        CdcHarness.awaitCondition(() -> table.equals(present()), timeout,
                () -> "the sink differs from the table in " + differences(table));
    }

    /** How many items differ between {@code expected} and what the sink holds, with a few of them. */
    String differences(Map<String, Object> expected) {
        Map<String, Object> actual = present();
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> differing = keys.stream().filter(k -> !Objects.equals(expected.get(k), actual.get(k))).sorted()
                .toList();
        return differing.size() + " items, e.g. " + differing.stream().limit(3)
                .map(k -> k + ": table " + expected.get(k) + ", sink " + actual.get(k)).toList();
    }
}
