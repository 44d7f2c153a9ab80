package dev.ddbcdc.camel.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import org.apache.camel.RuntimeCamelException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Checkpoints in a DynamoDB table, for users who have DynamoDB anyway: one item per key (partition key
 * {@value DynamoDbCheckpointTable#KEY}, value {@value DynamoDbCheckpointTable#VALUE}), written through at every
 * {@link #setState} and read with strongly consistent reads, so that every instance reads the last write of any
 * other (read-your-writes across hosts; an eventually consistent read could hand a restarted consumer an older
 * position).
 * <p>
 * Conditional writes ({@link #setStateIf}) are a single conditional PutItem or DeleteItem when the guard is the
 * written key (a compare-and-set), and otherwise one TransactWriteItems holding a ConditionCheck on the guard item
 * and the write: a new leader's write of its epoch and a deposed leader's fenced write are serialised by DynamoDB,
 * and the fenced write is refused once the guard holds another value.
 * <p>
 * A bean with a no-arg constructor: set {@code tableName} (default {@value DynamoDbStoreSupport#DEFAULT_TABLE}),
 * {@code createTable}, and the endpoint's connection options ({@code region}, credentials, {@code stsRoleArn}, ...)
 * or a ready {@code dynamoDbClient}. One table may also hold a {@link DynamoDbIdempotentRepository}'s keys (those
 * start with its key prefix).
 * <p>
 * As with any conditional write over a network, a write whose answer was lost and that the SDK retried may report
 * {@code false} although the first attempt landed; callers re-read the key, as a compare-and-set loop does anyway.
 */
public class DynamoDbStateRepository extends DynamoDbStoreSupport implements FencedStateRepository {

    private static final String KEY = DynamoDbCheckpointTable.KEY;
    private static final String VALUE = DynamoDbCheckpointTable.VALUE;
    private static final String SAME_VALUE = "#v = :expected";
    /** Transactions that conflict with a concurrent write of the same item are tried again this often. */
    private static final int CONFLICT_ATTEMPTS = 10;

    @Override
    public String getState(String key) {
        Map<String, AttributeValue> item;
        try {
            item = client().getItem(b -> b.tableName(getTableName()).key(DynamoDbCheckpointTable.key(key))
                    .consistentRead(true).projectionExpression("#v").expressionAttributeNames(Map.of("#v", VALUE)))
                    .item();
        } catch (RuntimeException e) {
            throw failure("read checkpoint", key, e);
        }
        AttributeValue value = item == null ? null : item.get(VALUE);
        return value == null ? null : value.s();
    }

    /** Writes the value through (a null value removes the key): when this returns, every strong read sees it. */
    @Override
    public void setState(String key, String value) {
        Map<String, AttributeValue> id = DynamoDbCheckpointTable.key(key);
        try {
            if (value == null) {
                client().deleteItem(b -> b.tableName(getTableName()).key(id));
            } else {
                client().putItem(b -> b.tableName(getTableName()).item(item(id, value)));
            }
        } catch (RuntimeException e) {
            throw failure("write checkpoint", key, e);
        }
    }

    @Override
    public boolean setStateIf(String guardKey, String guardValue, String key, String value) {
        FencedStateRepository.checkGuard(guardKey, guardValue, key);
        Map<String, AttributeValue> id = DynamoDbCheckpointTable.key(key);
        Map<String, AttributeValue> guardId = DynamoDbCheckpointTable.key(guardKey);
        for (int attempt = 1;; attempt++) {
            try {
                return guardKey.equals(key) ? compareAndSet(id, guardValue, value)
                        : fencedWrite(guardId, guardValue, id, value);
            } catch (ConditionalCheckFailedException e) {
                return false;
            } catch (TransactionCanceledException e) {
                if (hasReason(e, "ConditionalCheckFailed")) {
                    return false;
                }
                if (!hasReason(e, "TransactionConflict") || attempt >= CONFLICT_ATTEMPTS) {
                    throw guardedFailure(guardKey, key, e);
                }
            } catch (TransactionConflictException e) {
                if (attempt >= CONFLICT_ATTEMPTS) {
                    throw guardedFailure(guardKey, key, e);
                }
            } catch (RuntimeException e) {
                throw guardedFailure(guardKey, key, e);
            }
            pause(attempt);
        }
    }

    /** One conditional PutItem or DeleteItem: the item decides between racing writers. */
    private boolean compareAndSet(Map<String, AttributeValue> id, String expected, String value) {
        String condition = expected == null ? "attribute_not_exists(#id)" : SAME_VALUE;
        Map<String, String> names = expected == null ? Map.of("#id", KEY) : Map.of("#v", VALUE);
        Map<String, AttributeValue> values = expected == null ? null : Map.of(":expected", AttributeValue.fromS(expected));
        if (value == null) {
            client().deleteItem(b -> b.tableName(getTableName()).key(id).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } else {
            client().putItem(b -> b.tableName(getTableName()).item(item(id, value)).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        }
        return true;
    }

    /** One transaction: the guard item must hold {@code guardValue} while the other item is written. */
    private boolean fencedWrite(Map<String, AttributeValue> guardId, String guardValue, Map<String, AttributeValue> id,
                                String value) {
        TransactWriteItem check = TransactWriteItem.builder().conditionCheck(c -> c.tableName(getTableName())
                .key(guardId).conditionExpression(SAME_VALUE).expressionAttributeNames(Map.of("#v", VALUE))
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(guardValue)))).build();
        TransactWriteItem write = value == null
                ? TransactWriteItem.builder().delete(d -> d.tableName(getTableName()).key(id)).build()
                : TransactWriteItem.builder().put(p -> p.tableName(getTableName()).item(item(id, value))).build();
        client().transactWriteItems(b -> b.transactItems(check, write));
        return true;
    }

    private static Map<String, AttributeValue> item(Map<String, AttributeValue> id, String value) {
        Map<String, AttributeValue> item = new HashMap<>(id);
        item.put(VALUE, AttributeValue.fromS(value));
        return item;
    }

    private static boolean hasReason(TransactionCanceledException e, String code) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        if (reasons.stream().anyMatch(r -> code.equals(r.code()))) {
            return true;
        }
        // without reasons (some emulators), the message still lists them: "... reasons [ConditionalCheckFailed, None]"
        return reasons.isEmpty() && e.getMessage() != null && e.getMessage().contains(code);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCamelException("Interrupted while retrying a conditional checkpoint write", e);
        }
    }

    private RuntimeCamelException failure(String what, String key, RuntimeException cause) {
        return new RuntimeCamelException("Could not " + what + " " + key + " in DynamoDB table " + getTableName() + ": "
                                         + cause.getMessage(), cause);
    }

    private RuntimeCamelException guardedFailure(String guardKey, String key, RuntimeException cause) {
        return failure("write checkpoint", key + " guarded by " + guardKey, cause);
    }
}
