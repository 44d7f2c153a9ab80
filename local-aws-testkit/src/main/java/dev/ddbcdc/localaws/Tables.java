package dev.ddbcdc.localaws;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Table helpers for tests and the demo: create tables with streams, enable PITR, list a stream's shards. */
public final class Tables {

    private Tables() {
    }

    /** Creates a table with a string partition key {@code pk} and a stream; returns the stream ARN. */
    public static String createWithStream(DynamoDbClient client, String table, StreamViewType viewType) {
        return create(client, table, viewType, false);
    }

    /** Creates a table with {@code pk} (S) and sort key {@code sk} (N) and a stream; returns the stream ARN. */
    public static String createWithSortKeyAndStream(DynamoDbClient client, String table, StreamViewType viewType) {
        return create(client, table, viewType, true);
    }

    /** Creates a table with a partition key {@code pk} and no stream. */
    public static void createWithoutStream(DynamoDbClient client, String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }

    private static String create(DynamoDbClient client, String table, StreamViewType viewType, boolean sortKey) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        attributes.add(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build());
        keys.add(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
        if (sortKey) {
            attributes.add(AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build());
            keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
        }
        return client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes).keySchema(keys)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType)))
                .tableDescription().latestStreamArn();
    }

    /**
     * Enables point-in-time recovery on a table (UpdateContinuousBackups), as exports to S3 require. Against the test
     * kit this must go through the {@link ExportEmulator} front ({@link LocalAws#dynamoDb()}); DynamoDB Local alone
     * does not know the operation.
     */
    public static void enablePointInTimeRecovery(DynamoDbClient client, String table) {
        client.updateContinuousBackups(b -> b.tableName(table)
                .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)));
    }

    /** All shards of a stream, following DescribeStream's pages. */
    public static List<Shard> shards(DynamoDbStreamsClient streams, String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String exclusiveStart = start;
            DescribeStreamResponse page = streams.describeStream(b -> b.streamArn(streamArn)
                    .exclusiveStartShardId(exclusiveStart));
            shards.addAll(page.streamDescription().shards());
            start = page.streamDescription().lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }
}
