package dev.ddbcdc.camel.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The DynamoDB table both checkpoint stores use: one string partition key {@value #KEY}, no sort key, the value in
 * {@value #VALUE}. Created at start if missing (on-demand billing, so it costs nothing while idle), or used as given;
 * an existing table's key schema is checked, so a store never writes into a table made for something else.
 */
public final class DynamoDbCheckpointTable {

    /** The partition key attribute: the checkpoint key (the idempotent repository's key with its prefix). */
    public static final String KEY = "id";
    /** The value attribute of a checkpoint. */
    public static final String VALUE = "v";
    /** DynamoDB's limit for a partition key value, in bytes (UTF-8). */
    static final int MAX_KEY_BYTES = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCheckpointTable.class);
    private static final Duration WAIT_POLL = Duration.ofSeconds(1);
    private static final int WAIT_ATTEMPTS = 600; // ten minutes: a new on-demand table is usually ACTIVE in seconds

    private final DynamoDbClient client;
    private final String name;

    public DynamoDbCheckpointTable(DynamoDbClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Makes sure the table exists with the expected key schema and is ACTIVE: creates it when missing and
     * {@code create} is set, waits while it is being created.
     *
     * @return whether this call created the table
     */
    public boolean prepare(boolean create) {
        TableDescription table = describe();
        if (table == null) {
            if (!create) {
                throw new IllegalStateException("DynamoDB checkpoint table " + name + " does not exist and createTable"
                                                + "=false. Create it (" + createCommand() + ") or set createTable=true"
                                                + " to let the repository create it");
            }
            boolean created = create();
            awaitActive();
            checkKeySchema(describe()); // another instance may have created it meanwhile, in whatever shape
            return created;
        }
        checkKeySchema(table);
        if (table.tableStatus() == TableStatus.CREATING) {
            awaitActive();
        }
        return false;
    }

    private TableDescription describe() {
        try {
            return client.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    /** Creates the table; {@code false} when another instance created it meanwhile. */
    private boolean create() {
        try {
            client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(KEY)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build()));
            LOG.info("Created DynamoDB checkpoint table {} (partition key {}, on-demand billing)", name, KEY);
            return true;
        } catch (ResourceInUseException e) {
            LOG.debug("DynamoDB checkpoint table {} was created by another instance meanwhile", name);
            return false;
        }
    }

    private void awaitActive() {
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client)
                .overrideConfiguration(c -> c.maxAttempts(WAIT_ATTEMPTS)
                        .backoffStrategy(FixedDelayBackoffStrategy.create(WAIT_POLL)))
                .build()) {
            WaiterResponse<DescribeTableResponse> response = waiter.waitUntilTableExists(b -> b.tableName(name));
            if (response.matched().exception().isPresent()) {
                throw new IllegalStateException("DynamoDB checkpoint table " + name + " did not become ACTIVE",
                        response.matched().exception().get());
            }
        }
    }

    private void checkKeySchema(TableDescription table) {
        List<KeySchemaElement> keys = table.keySchema();
        boolean expected = keys.size() == 1 && keys.get(0).keyType() == KeyType.HASH
                           && KEY.equals(keys.get(0).attributeName())
                           && table.attributeDefinitions().stream().anyMatch(
                                   a -> KEY.equals(a.attributeName()) && a.attributeType() == ScalarAttributeType.S);
        if (!expected) {
            Map<String, String> types = table.attributeDefinitions().stream()
                    .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
            String found = keys.stream().map(k -> k.attributeName() + " (" + k.keyTypeAsString() + ", "
                                                  + types.get(k.attributeName()) + ")")
                    .collect(Collectors.joining(", "));
            throw new IllegalStateException("DynamoDB table " + name + " cannot hold checkpoints: its key is " + found
                                            + ", but a checkpoint table has a single string partition key named '"
                                            + KEY + "' and no sort key. Set tableName to a table of that shape, or to"
                                            + " a new name with createTable=true (" + createCommand() + ")");
        }
    }

    /**
     * Enables DynamoDB's TTL deletion on {@code attribute} unless TTL is already on. Tolerant: TTL only saves storage
     * (readers treat an expired item as absent whether or not DynamoDB deleted it yet), so a refusal is logged.
     */
    public void enableTimeToLive(String attribute) {
        try {
            TimeToLiveDescription ttl = client.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
            TimeToLiveStatus status = ttl == null ? null : ttl.timeToLiveStatus();
            if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
                if (!attribute.equals(ttl.attributeName())) {
                    LOG.warn("DynamoDB table {} expires items by attribute {}, not {}: expired idempotent keys are"
                             + " ignored but not deleted by DynamoDB", name, ttl.attributeName(), attribute);
                }
                return;
            }
            client.updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(s -> s.attributeName(attribute).enabled(true)));
            LOG.info("Enabled TTL on attribute {} of DynamoDB table {}", attribute, name);
        } catch (RuntimeException e) {
            LOG.warn("Could not enable TTL on attribute {} of DynamoDB table {} ({}): expired idempotent keys are"
                     + " ignored but stay in the table until TTL is enabled (aws dynamodb update-time-to-live"
                     + " --table-name {} --time-to-live-specification Enabled=true,AttributeName={})",
                    attribute, name, e.getMessage(), name, attribute);
        }
    }

    /** The item key of a checkpoint key; refuses keys DynamoDB cannot hold. */
    public static Map<String, AttributeValue> key(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("A checkpoint key must not be empty");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("Checkpoint key longer than DynamoDB's " + MAX_KEY_BYTES
                                               + " bytes for a partition key: " + id);
        }
        return Map.of(KEY, AttributeValue.fromS(id));
    }

    private String createCommand() {
        return "aws dynamodb create-table --table-name " + name + " --attribute-definitions AttributeName=" + KEY
               + ",AttributeType=S --key-schema AttributeName=" + KEY + ",KeyType=HASH --billing-mode PAY_PER_REQUEST";
    }

    @Override
    public String toString() {
        return "DynamoDbCheckpointTable[" + name + "]";
    }
}
