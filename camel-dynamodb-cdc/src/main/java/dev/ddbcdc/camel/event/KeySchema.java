package dev.ddbcdc.camel.event;

import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A table's key attributes, and the one rule for an item's primary key string: the partition key value, or the
 * partition and sort key values joined by {@code |} (see {@link AttributeValues#keyString(Object)}). Stream records
 * and snapshot items of one item get the same string.
 */
public final class KeySchema {

    private final String partitionKey;
    private final String sortKey;

    /** @param sortKey {@code null} when the table has only a partition key */
    public KeySchema(String partitionKey, String sortKey) {
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
    }

    /** The key schema of a described table. */
    public static KeySchema of(TableDescription table) {
        String partitionKey = null;
        String sortKey = null;
        for (KeySchemaElement key : table.keySchema()) {
            if (key.keyType() == KeyType.HASH) {
                partitionKey = key.attributeName();
            } else {
                sortKey = key.attributeName();
            }
        }
        return new KeySchema(partitionKey, sortKey);
    }

    public String partitionKey() {
        return partitionKey;
    }

    /** The sort key's attribute name, or null. */
    public String sortKey() {
        return sortKey;
    }

    public String primaryKey(Map<String, AttributeValue> keys) {
        return primaryKey(partitionKeyString(keys), sortKeyString(keys));
    }

    /** The partition key value as a string (the same rule as in the primary key string). */
    public String partitionKeyString(Map<String, ?> keys) {
        return AttributeValues.keyString(keys.get(partitionKey));
    }

    /** The sort key value as a string, or null when the table has no sort key. */
    public String sortKeyString(Map<String, ?> keys) {
        return sortKey == null ? null : AttributeValues.keyString(keys.get(sortKey));
    }

    /** The primary key string of an item in plain Java form. */
    public String primaryKeyOf(Map<String, Object> item) {
        return primaryKey(partitionKeyString(item), sortKeyString(item));
    }

    /** The primary key string made of the partition key string and the sort key string (null: no sort key). */
    public static String primaryKey(String partitionKeyString, String sortKeyString) {
        return sortKeyString == null ? partitionKeyString : partitionKeyString + "|" + sortKeyString;
    }

    /** The key attributes of an item in plain Java form; fails naming the attribute when one is missing. */
    public Map<String, Object> keysOf(Map<String, Object> item) {
        Map<String, Object> keys = new LinkedHashMap<>(4);
        keys.put(partitionKey, required(item, partitionKey));
        if (sortKey != null) {
            keys.put(sortKey, required(item, sortKey));
        }
        return keys;
    }

    /**
     * The key attributes of an item as DynamoDB gives it, partition key first (what a Scan's LastEvaluatedKey holds for
     * a page ending at the item); fails naming the attribute when one is missing.
     */
    public Map<String, AttributeValue> keyAttributesOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> keys = new LinkedHashMap<>(4);
        keys.put(partitionKey, required(item, partitionKey));
        if (sortKey != null) {
            keys.put(sortKey, required(item, sortKey));
        }
        return keys;
    }

    private static <V> V required(Map<String, V> item, String name) {
        V value = item.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the item has no key attribute '" + name + "'");
        }
        return value;
    }
}
