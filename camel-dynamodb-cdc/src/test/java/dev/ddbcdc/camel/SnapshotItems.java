package dev.ddbcdc.camel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.ddbcdc.camel.event.AttributeValues;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Items of every attribute type for snapshot tests (partition key {@code pk} S, sort key {@code sk} N), and a
 * comparable form of plain Java item values: numbers compared by value in plain notation, binaries as base64.
 */
final class SnapshotItems {

    private static final String[] NUMBERS = { "0", "0.1", "-10000000000", "12345678901234567890.123456789", "600",
            "1E-130", "9.9999999999999999999999999999999999999E+125", "-42.5" };

    private SnapshotItems() {
    }

    static Map<String, AttributeValue> item(int i) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("item-" + (i % 97)));
        item.put("sk", AttributeValue.fromN(Integer.toString(i)));
        item.put("s", AttributeValue.fromS("text " + i + " \u00e9\u4e2d\"quoted\"\\"));
        item.put("n", AttributeValue.fromN(NUMBERS[i % NUMBERS.length]));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] { (byte) i, 0, (byte) 255 })));
        item.put("flag", AttributeValue.fromBool(i % 2 == 0));
        item.put("nothing", AttributeValue.fromNul(true));
        item.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("1.50"),
                AttributeValue.fromNul(true), AttributeValue.fromM(Map.of("x", AttributeValue.fromBool(true))))));
        item.put("map", AttributeValue.fromM(Map.of("nested", AttributeValue.fromM(Map.of("deep",
                AttributeValue.fromN(Integer.toString(i * 7)))), "name", AttributeValue.fromS("n" + i))));
        item.put("ss", AttributeValue.fromSs(List.of("x" + i, "y")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.5", NUMBERS[(i + 3) % NUMBERS.length])));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] { 1 }),
                SdkBytes.fromByteArray(new byte[] { (byte) i, 2 }))));
        return item;
    }

    static void fill(DynamoDbClient client, String table, int count) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(i)).build()).build());
            if (batch.size() == 25 || i == count - 1) {
                List<WriteRequest> requests = List.copyOf(batch);
                Map<String, List<WriteRequest>> unprocessed = Map.of(table, requests);
                while (!unprocessed.isEmpty()) {
                    Map<String, List<WriteRequest>> next = unprocessed;
                    unprocessed = client.batchWriteItem(b -> b.requestItems(next)).unprocessedItems();
                }
                batch.clear();
            }
        }
    }

    /** The whole table, primary key string to comparable item. */
    static Map<String, Object> table(DynamoDbClient client, String table) {
        Map<String, Object> items = new TreeMap<>();
        client.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items()
                .forEach(item -> items.put(key(item.get("pk").s(), item.get("sk").n()),
                        comparable(AttributeValues.toJava(item))));
        return items;
    }

    static String key(String pk, Object sk) {
        return pk + "|" + AttributeValues.keyString(sk instanceof String ? new BigDecimal((String) sk) : sk);
    }

    /** A form of an item's plain Java values that compares by value. */
    static Object comparable(Object value) {
        if (value instanceof BigDecimal) {
            BigDecimal number = (BigDecimal) value;
            return "N:" + (number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString());
        }
        if (value instanceof byte[]) {
            return "B:" + Base64.getEncoder().encodeToString((byte[]) value);
        }
        if (value instanceof Map) {
            Map<String, Object> map = new TreeMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> map.put((String) k, comparable(v)));
            return map;
        }
        if (value instanceof Set) {
            Set<String> set = new TreeSet<>();
            ((Set<?>) value).forEach(v -> set.add(String.valueOf(comparable(v))));
            return set;
        }
        if (value instanceof List) {
            List<Object> list = new ArrayList<>();
            ((List<?>) value).forEach(v -> list.add(comparable(v)));
            return list;
        }
        return value;
    }

    /**
     * One random write of a test that changes the table while it is snapshotted: a delete (one in four) or a put of
     * one of the first {@code range} items with a new string value.
     */
    static void writeRandomly(DynamoDbClient client, String table, java.util.Random random, int range, int write) {
        int i = random.nextInt(range);
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("item-" + (i % 97)),
                "sk", AttributeValue.fromN(Integer.toString(i)));
        if (random.nextInt(4) == 0) {
            client.deleteItem(b -> b.tableName(table).key(key));
        } else {
            Map<String, AttributeValue> item = new HashMap<>(item(i));
            item.put("s", AttributeValue.fromS("write " + write));
            client.putItem(b -> b.tableName(table).item(item));
        }
    }
}
