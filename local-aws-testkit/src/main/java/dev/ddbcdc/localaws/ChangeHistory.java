package dev.ddbcdc.localaws;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What point-in-time recovery keeps in AWS and incremental exports read: every version of every item of each table
 * with PITR enabled, with the time it was written. A table's history starts when PITR is enabled, with the table as it
 * is then (the baseline, read with a Scan), and ends when PITR is disabled or the table deleted. The versions are kept
 * in memory, which suits test tables (thousands of items, not millions).
 */
final class ChangeHistory {

    private final Map<String, TableHistory> byName = new ConcurrentHashMap<>();

    /**
     * Starts the history of {@code table} at {@code enabledAt} with {@code baseline} (the table's items then). Writes
     * to the table that come through the front while the baseline is read wait for it.
     */
    void start(TableInfo table, Instant enabledAt, Iterator<Map<String, AttributeValue>> baseline) {
        TableHistory history = new TableHistory(table, enabledAt);
        history.writes.lock();
        try {
            byName.put(table.name(), history);
            history.addBaseline(baseline);
        } catch (RuntimeException e) {
            byName.remove(table.name(), history);
            throw e;
        } finally {
            history.writes.unlock();
        }
    }

    /** Forgets the history of the table of this name (PITR disabled, table deleted). */
    void stop(String tableName) {
        byName.remove(tableName);
    }

    /** The history of the table of this name, or null when none is kept (PITR is off for it). */
    TableHistory of(String tableName) {
        return byName.get(tableName);
    }

    /** The history of this incarnation of the table, or null (none kept, or one of an earlier table of its name). */
    TableHistory of(TableInfo table) {
        TableHistory history = byName.get(table.name());
        return history != null && history.table.created().equals(table.created()) ? history : null;
    }

    /** A canonical string for the key of {@code item} (numbers compared by value, as DynamoDB does). */
    static String keyString(Map<String, AttributeValue> item, List<String> keyAttributes) {
        StringBuilder key = new StringBuilder();
        for (String name : keyAttributes) {
            AttributeValue value = item.get(name);
            key.append(name).append('\u0000');
            if (value == null) {
                key.append('-');
            } else {
                switch (value.type()) {
                    case S -> key.append('S').append(value.s());
                    case N -> key.append('N').append(new BigDecimal(value.n()).stripTrailingZeros().toPlainString());
                    case B -> key.append('B').append(Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe()));
                    default -> key.append(value);
                }
            }
            key.append('\u0000');
        }
        return key.toString();
    }

    /** The key attributes of {@code item}, in key schema order. */
    static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, List<String> keyAttributes) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String name : keyAttributes) {
            AttributeValue value = item.get(name);
            if (value != null) {
                key.put(name, value);
            }
        }
        return key;
    }

    /** One table's versions. Recorded writes hold {@link #writes} from before they are forwarded until recorded. */
    static final class TableHistory {

        /** The item's state from {@code at} on (null: absent); the baseline is its state when PITR was enabled. */
        private record Version(Instant at, Map<String, AttributeValue> item, boolean baseline) {
        }

        final ReentrantLock writes = new ReentrantLock();
        private final TableInfo table;
        private final Instant enabledAt;
        private final Map<String, Map<String, AttributeValue>> keys = new HashMap<>();
        private final Map<String, List<Version>> versions = new HashMap<>();
        private Instant last;

        private TableHistory(TableInfo table, Instant enabledAt) {
            this.table = table;
            this.enabledAt = enabledAt;
            this.last = enabledAt;
        }

        TableInfo table() {
            return table;
        }

        private synchronized void addBaseline(Iterator<Map<String, AttributeValue>> items) {
            while (items.hasNext()) {
                Map<String, AttributeValue> item = items.next();
                String key = keyString(item, table.keyAttributes());
                keys.put(key, keyOf(item, table.keyAttributes()));
                versions.computeIfAbsent(key, k -> new ArrayList<>()).add(new Version(enabledAt, item, true));
            }
        }

        /**
         * Records that the item of key {@code key} is {@code item} (null: absent) from {@code at} on; times never go
         * back within a table, so a later call is a later version. A write that leaves an absent item absent is no
         * version.
         */
        synchronized void record(Map<String, AttributeValue> key, Map<String, AttributeValue> item, Instant at) {
            String k = keyString(key, table.keyAttributes());
            List<Version> list = versions.get(k);
            if (item == null && (list == null || list.get(list.size() - 1).item() == null)) {
                return;
            }
            last = at.isAfter(last) ? at : last;
            keys.putIfAbsent(k, keyOf(item != null ? item : key, table.keyAttributes()));
            versions.computeIfAbsent(k, x -> new ArrayList<>()).add(new Version(last, item, false));
        }

        /**
         * Records, as of {@code at}, every difference between {@code items} (the whole table, as read now) and the
         * latest versions: for writes whose keys are not known (PartiQL) or made around the front.
         */
        synchronized int reconcile(Iterator<Map<String, AttributeValue>> items, Instant at) {
            Set<String> seen = new HashSet<>();
            int changes = 0;
            while (items.hasNext()) {
                Map<String, AttributeValue> item = items.next();
                String k = keyString(item, table.keyAttributes());
                seen.add(k);
                if (!Objects.equals(latest(k), item)) {
                    record(item, item, at);
                    changes++;
                }
            }
            for (Map.Entry<String, List<Version>> entry : versions.entrySet()) {
                if (!seen.contains(entry.getKey()) && latest(entry.getKey()) != null) {
                    record(keys.get(entry.getKey()), null, at);
                    changes++;
                }
            }
            return changes;
        }

        private Map<String, AttributeValue> latest(String key) {
            List<Version> list = versions.get(key);
            return list == null ? null : list.get(list.size() - 1).item();
        }

        /**
         * The lines of an incremental export of {@code window}: one per item written in it (from inclusive, to
         * exclusive), with its state at the end, its state at the start (when the view has old images), and the time
         * of its last write in the window. An item that did not exist at the start and does not at the end (inserted
         * then deleted) has no line. Ordered by write time.
         */
        synchronized List<ChangeRecord> changes(IncrementalExportSpec window) {
            Instant from = window.exportFromTime();
            Instant to = window.exportToTime();
            List<ChangeRecord> records = new ArrayList<>();
            for (Map.Entry<String, List<Version>> entry : versions.entrySet()) {
                Map<String, AttributeValue> before = null;
                Version lastInWindow = null;
                for (Version version : entry.getValue()) {
                    if (version.baseline() || version.at().isBefore(from)) {
                        before = version.item();
                    } else if (version.at().isBefore(to)) {
                        lastInWindow = version;
                    } else {
                        break;
                    }
                }
                if (lastInWindow == null || (before == null && lastInWindow.item() == null)) {
                    continue;
                }
                records.add(new ChangeRecord(micros(lastInWindow.at()), keys.get(entry.getKey()),
                        lastInWindow.item(), window.oldImages() ? before : null));
            }
            records.sort(Comparator.comparingLong(ChangeRecord::writeTimestampMicros));
            return records;
        }

        private static long micros(Instant at) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, at);
        }
    }
}
