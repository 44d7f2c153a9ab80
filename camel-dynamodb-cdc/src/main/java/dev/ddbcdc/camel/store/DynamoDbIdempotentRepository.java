package dev.ddbcdc.camel.store;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.util.TimeUtils;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Camel's {@link IdempotentRepository} on a DynamoDB table (the same shape as {@link DynamoDbStateRepository}'s, and
 * it may be the same table): one item per key, its partition key {@code keyPrefix + key}, and a TTL attribute
 * ({@code ttlAttribute}, epoch seconds) {@code expireAfter} after it was added.
 * <p>
 * {@code expireAfter} defaults to 7 days: a key only has to outlive the time a record can be delivered again, and a
 * stream record lives at most 24 hours in the stream, while a snapshot's item ids are only needed during that
 * snapshot; 7 days leaves room for a consumer stopped over a long weekend without keeping keys forever.
 * <p>
 * DynamoDB's own TTL deletion is lazy (it may run days after the expiry time), so every read and conditional write
 * here compares the TTL attribute with the clock itself: an expired key counts as absent, whether DynamoDB deleted
 * it yet or not. {@link #add} is one conditional PutItem ({@code attribute_not_exists(id) OR ttl <= now}), so two
 * instances adding one key race safely: exactly one gets {@code true}.
 */
public class DynamoDbIdempotentRepository extends DynamoDbStoreSupport implements IdempotentRepository {

    public static final String DEFAULT_KEY_PREFIX = "idempotent/";
    public static final String DEFAULT_TTL_ATTRIBUTE = "expiresAt";
    public static final Duration DEFAULT_EXPIRE_AFTER = Duration.ofDays(7);

    private static final String KEY = DynamoDbCheckpointTable.KEY;

    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private String ttlAttribute = DEFAULT_TTL_ATTRIBUTE;
    private Duration expireAfter = DEFAULT_EXPIRE_AFTER;
    private Clock clock = Clock.systemUTC();

    @Override
    protected void doStart() throws Exception {
        if (keyPrefix == null) {
            throw new IllegalArgumentException("keyPrefix must not be null (use an empty string for no prefix)");
        }
        if (ttlAttribute == null || ttlAttribute.isBlank() || ttlAttribute.equals(KEY)) {
            throw new IllegalArgumentException("ttlAttribute must be an attribute name other than '" + KEY + "', was '"
                                               + ttlAttribute + "'");
        }
        super.doStart();
    }

    @Override
    void tablePrepared(DynamoDbCheckpointTable table, boolean created) {
        if (isCreateTable()) {
            table.enableTimeToLive(ttlAttribute);
        }
    }

    /** Adds the key unless it is there and not expired; {@code true} when this call added it. */
    @Override
    public boolean add(String key) {
        Map<String, AttributeValue> id = DynamoDbCheckpointTable.key(keyPrefix + key);
        long millis = clock.millis();
        long now = millis / 1000;
        // rounded up: a key lives at least expireAfter
        long expiresAt = (millis + expireAfter.toMillis() + 999) / 1000;
        Map<String, AttributeValue> item = new HashMap<>(id);
        item.put(ttlAttribute, AttributeValue.fromN(Long.toString(expiresAt)));
        try {
            client().putItem(b -> b.tableName(getTableName()).item(item)
                    .conditionExpression("attribute_not_exists(#id) OR #ttl <= :now")
                    .expressionAttributeNames(Map.of("#id", KEY, "#ttl", ttlAttribute))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (RuntimeException e) {
            throw failure("add", key, e);
        }
    }

    /** Whether the key is there and not expired (a strongly consistent read). */
    @Override
    public boolean contains(String key) {
        Map<String, AttributeValue> id = DynamoDbCheckpointTable.key(keyPrefix + key);
        try {
            Map<String, AttributeValue> item = client().getItem(b -> b.tableName(getTableName()).key(id)
                    .consistentRead(true)).item();
            return live(item);
        } catch (RuntimeException e) {
            throw failure("read", key, e);
        }
    }

    /** Removes the key; {@code true} when it was there and not expired. */
    @Override
    public boolean remove(String key) {
        Map<String, AttributeValue> id = DynamoDbCheckpointTable.key(keyPrefix + key);
        try {
            return live(client().deleteItem(b -> b.tableName(getTableName()).key(id)
                    .returnValues(ReturnValue.ALL_OLD)).attributes());
        } catch (RuntimeException e) {
            throw failure("remove", key, e);
        }
    }

    /** Keys are added only once their exchange completed, so there is nothing left to confirm. */
    @Override
    public boolean confirm(String key) {
        return true;
    }

    /**
     * Removes every key of this repository (those starting with {@code keyPrefix}), and no other item of the table:
     * a scan of the table, then one DeleteItem per key. Meant for tests and resets, not for a hot path.
     */
    @Override
    public void clear() {
        try {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = client().scan(b -> b.tableName(getTableName()).consistentRead(true)
                        .projectionExpression("#id").filterExpression("begins_with(#id, :prefix)")
                        .expressionAttributeNames(Map.of("#id", KEY))
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(keyPrefix)))
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    client().deleteItem(b -> b.tableName(getTableName()).key(Map.of(KEY, item.get(KEY))));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (RuntimeException e) {
            throw new RuntimeCamelException("Could not clear the idempotent keys " + keyPrefix + "* of DynamoDB table "
                                            + getTableName() + ": " + e.getMessage(), e);
        }
    }

    private boolean live(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return false;
        }
        AttributeValue expires = item.get(ttlAttribute);
        return expires == null || expires.n() == null || Long.parseLong(expires.n()) > nowSeconds();
    }

    private long nowSeconds() {
        return clock.millis() / 1000;
    }

    private RuntimeCamelException failure(String what, String key, RuntimeException cause) {
        return new RuntimeCamelException("Could not " + what + " idempotent key " + key + " in DynamoDB table "
                                         + getTableName() + ": " + cause.getMessage(), cause);
    }

    @Override
    String details() {
        return ", keyPrefix=" + keyPrefix + ", expireAfter=" + expireAfter;
    }

    // ---- options

    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** Prefix of this repository's keys in the table (default {@value #DEFAULT_KEY_PREFIX}); {@link #clear} removes only these. */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public String getTtlAttribute() {
        return ttlAttribute;
    }

    /** The TTL attribute, epoch seconds (default {@value #DEFAULT_TTL_ATTRIBUTE}). */
    public void setTtlAttribute(String ttlAttribute) {
        this.ttlAttribute = ttlAttribute;
    }

    /** How long a key is kept, as a {@link Duration}. */
    public Duration expireAfter() {
        return expireAfter;
    }

    /**
     * How long a key is kept after it was added (default 7 days): milliseconds ({@code 604800000}), an ISO-8601
     * duration ({@code P7D}, {@code PT12H}) or Camel's form ({@code 7d}, {@code 12h30m}).
     */
    public void setExpireAfter(String expireAfter) {
        this.expireAfter = parseDuration(expireAfter);
    }

    /** The clock expiry is computed with (default UTC system clock); for tests. */
    public void setClock(Clock clock) {
        this.clock = clock;
    }

    static Duration parseDuration(String text) {
        String value = text == null ? "" : text.trim();
        Duration duration;
        try {
            if (value.matches("\\d+")) {
                duration = Duration.ofMillis(Long.parseLong(value));
            } else if (value.startsWith("P") || value.startsWith("p")) {
                duration = Duration.parse(value);
            } else {
                duration = value.isEmpty() ? Duration.ZERO : Duration.ofMillis(TimeUtils.toMilliSeconds(value));
            }
        } catch (RuntimeException e) { // DateTimeParseException, NumberFormatException, and whatever TimeUtils throws
            duration = Duration.ZERO;
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("expireAfter must be a positive duration: milliseconds (604800000), ISO"
                                               + " (P7D, PT12H) or 7d / 12h30m; was '" + text + "'");
        }
        return duration;
    }
}
