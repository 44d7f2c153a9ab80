package dev.ddbcdc.localaws;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Keeps the {@link ChangeHistory} of tables with point-in-time recovery as writes pass through the front: PutItem,
 * UpdateItem, DeleteItem, BatchWriteItem (less its UnprocessedItems) and TransactWriteItems name their keys, so once
 * DynamoDB Local accepted the write the emulator reads those items back (consistent BatchGetItem) and records their new
 * state at the emulator clock's time of the write. PartiQL writes (ExecuteStatement, BatchExecuteStatement,
 * ExecuteTransaction) name no keys: the table is read whole afterwards and compared with its history. DeleteTable ends
 * the history. While such a write is forwarded and recorded, other recorded writes to its tables wait, so the state
 * read back is the write's own. Requests to other tables pass without delay.
 */
final class WriteRecorder {

    /** Sends the request on and returns DynamoDB Local's answer. */
    interface Forwarding {
        LoopbackHttpClient.Response forward() throws IOException;
    }

    private static final Logger LOG = LogManager.getLogger(WriteRecorder.class);
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final int BATCH_GET_LIMIT = 100;
    private static final Pattern PARTIQL_WRITE = Pattern.compile(
            "^\\s*(?:INSERT\\s+INTO|UPSERT\\s+INTO|REPLACE\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+"
                    + "(?:\"((?:[^\"]|\"\")+)\"|([A-Za-z0-9_.\\-]+))",
            Pattern.CASE_INSENSITIVE);

    /** What one request writes to tables with a history: keys per table, or whole tables (PartiQL). */
    private static final class Writes {
        final Map<ChangeHistory.TableHistory, List<Map<String, AttributeValue>>> keys = new LinkedHashMap<>();
        final Set<ChangeHistory.TableHistory> wholeTables = new LinkedHashSet<>();

        Set<ChangeHistory.TableHistory> tables() {
            Set<ChangeHistory.TableHistory> all = new LinkedHashSet<>(keys.keySet());
            all.addAll(wholeTables);
            return all;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final ChangeHistory history;
    private final Clock clock;

    WriteRecorder(DynamoDbClient dynamoDb, ChangeHistory history, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.history = history;
        this.clock = clock;
    }

    /** Forwards a request of {@code X-Amz-Target} {@code target}, recording what it changed in kept histories. */
    LoopbackHttpClient.Response forward(String target, byte[] body, Forwarding forwarding) throws IOException {
        String operation = target != null && target.startsWith(TARGET_PREFIX)
                ? target.substring(TARGET_PREFIX.length()) : "";
        ObjectNode request = operation.isEmpty() ? null : parse(body);
        Writes writes = request == null ? null : writesOf(operation, request);
        if (writes == null || writes.tables().isEmpty()) {
            LoopbackHttpClient.Response response = forwarding.forward();
            if (operation.equals("DeleteTable") && request != null && response.status() == 200) {
                history.stop(tableName(request.get("TableName")));
            }
            return response;
        }
        List<ChangeHistory.TableHistory> locked = new ArrayList<>(writes.tables());
        locked.sort(Comparator.comparing(t -> t.table().name()));
        locked.forEach(t -> t.writes.lock());
        try {
            LoopbackHttpClient.Response response = forwarding.forward();
            if (response.status() == 200) {
                record(operation, writes, response.body());
            }
            return response;
        } finally {
            for (int i = locked.size() - 1; i >= 0; i--) {
                locked.get(i).writes.unlock();
            }
        }
    }

    /** Compares the table with its history now and records the differences; returns how many. */
    int reconcile(ChangeHistory.TableHistory table) {
        table.writes.lock();
        try {
            return table.reconcile(ExportWriter.scanItems(dynamoDb, table.table().name()), clock.instant());
        } finally {
            table.writes.unlock();
        }
    }

    private static ObjectNode parse(byte[] body) {
        try {
            return AwsJson.parseRequest(body);
        } catch (RuntimeException unreadable) {
            return null; // DynamoDB Local answers it
        }
    }

    private Writes writesOf(String operation, ObjectNode request) {
        Writes writes = new Writes();
        try {
            switch (operation) {
                case "PutItem" -> addKey(writes, tableName(request.get("TableName")), request.get("Item"));
                case "UpdateItem", "DeleteItem" ->
                    addKey(writes, tableName(request.get("TableName")), request.get("Key"));
                case "BatchWriteItem" -> addBatchWrites(writes, request.path("RequestItems"));
                case "TransactWriteItems" -> {
                    for (JsonNode action : request.path("TransactItems")) {
                        for (String kind : List.of("Put", "Update", "Delete")) {
                            JsonNode write = action.path(kind);
                            addKey(writes, tableName(write.get("TableName")),
                                    write.get(kind.equals("Put") ? "Item" : "Key"));
                        }
                    }
                }
                case "ExecuteStatement" -> addStatement(writes, request.get("Statement"));
                case "BatchExecuteStatement" -> request.path("Statements")
                        .forEach(s -> addStatement(writes, s.get("Statement")));
                case "ExecuteTransaction" -> request.path("TransactStatements")
                        .forEach(s -> addStatement(writes, s.get("Statement")));
                default -> {
                    return null;
                }
            }
        } catch (RuntimeException malformed) {
            return null; // DynamoDB Local answers it
        }
        return writes;
    }

    /** Adds the key of {@code itemOrKey} (an item or a key in the wire's DynamoDB JSON) if the table is kept. */
    private void addKey(Writes writes, String tableName, JsonNode itemOrKey) {
        ChangeHistory.TableHistory table = tableName == null ? null : history.of(tableName);
        if (table != null && itemOrKey != null && itemOrKey.isObject()) {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            for (String name : table.table().keyAttributes()) {
                AttributeValue value = keyValue(itemOrKey.get(name));
                if (value != null) {
                    key.put(name, value);
                }
            }
            writes.keys.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
        }
    }

    /** The writes of BatchWriteItem's RequestItems (or of its answer's UnprocessedItems, the same shape). */
    private void addBatchWrites(Writes writes, JsonNode requestItems) {
        requestItems.fields().forEachRemaining(table -> {
            String name = TableInfo.nameFromNameOrArn(table.getKey());
            for (JsonNode write : table.getValue()) {
                addKey(writes, name, write.path("PutRequest").get("Item"));
                addKey(writes, name, write.path("DeleteRequest").get("Key"));
            }
        });
    }

    private void addStatement(Writes writes, JsonNode statement) {
        if (statement != null && statement.isTextual()) {
            Matcher write = PARTIQL_WRITE.matcher(statement.textValue());
            if (write.find()) {
                String name = write.group(1) != null ? write.group(1).replace("\"\"", "\"") : write.group(2);
                ChangeHistory.TableHistory table = history.of(name);
                if (table != null) {
                    writes.wholeTables.add(table);
                }
            }
        }
    }

    private static String tableName(JsonNode node) {
        return node != null && node.isTextual() ? TableInfo.nameFromNameOrArn(node.textValue()) : null;
    }

    /** A key attribute in the wire's DynamoDB JSON ({@code {"S":"a"}}, {@code {"N":"1"}}, {@code {"B":"AQ=="}}). */
    private static AttributeValue keyValue(JsonNode typed) {
        if (typed == null || !typed.isObject()) {
            return null;
        }
        if (typed.path("S").isTextual()) {
            return AttributeValue.fromS(typed.get("S").textValue());
        }
        if (typed.path("N").isTextual()) {
            return AttributeValue.fromN(typed.get("N").textValue());
        }
        if (typed.path("B").isTextual()) {
            return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(typed.get("B").textValue())));
        }
        return null;
    }

    private void record(String operation, Writes writes, byte[] responseBody) {
        Instant at = clock.instant();
        try {
            Set<String> unprocessed = operation.equals("BatchWriteItem") ? unprocessed(responseBody) : Set.of();
            for (Map.Entry<ChangeHistory.TableHistory, List<Map<String, AttributeValue>>> table
                    : writes.keys.entrySet()) {
                ChangeHistory.TableHistory history = table.getKey();
                List<String> keyAttributes = history.table().keyAttributes();
                Map<String, Map<String, AttributeValue>> written = new LinkedHashMap<>();
                for (Map<String, AttributeValue> key : table.getValue()) {
                    String k = ChangeHistory.keyString(key, keyAttributes);
                    if (!unprocessed.contains(history.table().name() + '\u0001' + k)) {
                        written.putIfAbsent(k, key);
                    }
                }
                Map<String, Map<String, AttributeValue>> now = read(history.table(), written.values());
                written.forEach((k, key) -> history.record(key, now.get(k), at));
            }
            for (ChangeHistory.TableHistory table : writes.wholeTables) {
                table.reconcile(ExportWriter.scanItems(dynamoDb, table.table().name()), at);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record a {} for incremental exports; the change history may miss it", operation, e);
        }
    }

    /** The items of these keys as they are now, by {@link ChangeHistory#keyString}; absent ones are missing. */
    private Map<String, Map<String, AttributeValue>> read(TableInfo table, Iterable<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> batch = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            batch.add(key);
            if (batch.size() == BATCH_GET_LIMIT) {
                readBatch(table, batch, items);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            readBatch(table, batch, items);
        }
        return items;
    }

    private void readBatch(TableInfo table, List<Map<String, AttributeValue>> keys,
            Map<String, Map<String, AttributeValue>> into) {
        Map<String, KeysAndAttributes> request = Map.of(table.name(),
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> current = request;
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(current));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table.name(), List.of())) {
                into.put(ChangeHistory.keyString(item, table.keyAttributes()), item);
            }
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
    }

    /** The writes a BatchWriteItem answer gives back as UnprocessedItems: table name, U+0001, key string. */
    private Set<String> unprocessed(byte[] responseBody) {
        Set<String> unprocessed = new HashSet<>();
        ObjectNode response = parse(responseBody);
        if (response == null) {
            return unprocessed; // not JSON as expected: taken as all processed
        }
        Writes writes = new Writes();
        try {
            addBatchWrites(writes, response.path("UnprocessedItems"));
        } catch (RuntimeException malformed) {
            return unprocessed;
        }
        writes.keys.forEach((table, keys) -> keys.forEach(key -> unprocessed.add(table.table().name() + '\u0001'
                + ChangeHistory.keyString(key, table.table().keyAttributes()))));
        return unprocessed;
    }
}
