package dev.ddbcdc.example;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ddbcdc.camel.event.AttributeValues;
import dev.ddbcdc.camel.event.KeySchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Whether the replica equals the DynamoDB table item by item: a strongly consistent Scan of the table against the
 * replica's rows that are not tombstones, each item as the JSON the replica routes write (attribute names sorted).
 *
 * @param tableItems  items in the table
 * @param liveRows    rows of the replica that are not tombstones
 * @param tombstones  rows of the replica left by a REMOVE
 * @param differences one line per primary key where the two differ (empty when equal)
 */
public record ReplicaComparison(int tableItems, int liveRows, int tombstones, List<String> differences) {

    private static final ObjectMapper ITEM_JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public static ReplicaComparison of(DynamoDbClient client, String table, ReplicaDatabase replica)
            throws SQLException {
        KeySchema keySchema = KeySchema.of(client.describeTable(b -> b.tableName(table)).table());
        Map<String, String> items = new TreeMap<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(item -> items.put(keySchema.primaryKey(item), json(AttributeValues.toJava(item))));

        Map<String, String> live = new TreeMap<>();
        int tombstones = 0;
        for (Map.Entry<String, ReplicaDatabase.Row> row : replica.rows().entrySet()) {
            if (row.getValue().deleted()) {
                tombstones++;
            } else {
                live.put(row.getKey(), row.getValue().item());
            }
        }

        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(items.keySet());
        keys.addAll(live.keySet());
        for (String key : keys) {
            String item = items.get(key);
            String row = live.get(key);
            if (row == null) {
                differences.add(key + ": in the table, not in the replica");
            } else if (item == null) {
                differences.add(key + ": in the replica, not in the table");
            } else if (!Objects.equals(item, row)) {
                differences.add(key + ": the table has " + item + ", the replica " + row);
            }
        }
        return new ReplicaComparison(items.size(), live.size(), tombstones, List.copyOf(differences));
    }

    public boolean equal() {
        return differences.isEmpty();
    }

    /** E.g. "24 rows (and 1 tombstone), equal to the table". */
    public String describe() {
        String rows = liveRows + (liveRows == 1 ? " row (and " : " rows (and ") + tombstones
                      + (tombstones == 1 ? " tombstone)" : " tombstones)");
        return equal() ? rows + ", equal to the table"
                : rows + ", NOT equal to the table (" + tableItems + " items): " + String.join("; ", differences);
    }

    private static String json(Map<String, Object> item) {
        try {
            return ITEM_JSON.writeValueAsString(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an item as JSON: " + e.getMessage(), e);
        }
    }
}
