package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A sink that keeps, per item, the change with the highest document version (a tombstone for REMOVE), as a sink
 * with external versioning does: the snapshot tests check that it ends equal to the table.
 */
final class VersionedSink implements Processor {

    private final Map<String, Object[]> changes = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) {
        String key = exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
        long version = exchange.getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
        boolean remove = "REMOVE".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
        Object state = remove ? null : SnapshotItems.comparable(exchange.getMessage().getBody(Map.class));
        changes.merge(key, new Object[] { version, state }, (old, now) -> (long) now[0] > (long) old[0] ? now : old);
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
                () -> "sink differs from the table in " + differences(table, present()) + " items");
    }

    private static long differences(Map<String, Object> expected, Map<String, Object> actual) {
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        return keys.stream().filter(k -> !Objects.equals(expected.get(k), actual.get(k))).count();
    }
}
