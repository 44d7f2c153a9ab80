package dev.ddbcdc.example;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check the demo and the YAML test rely on: it must see every way a replica can differ from its table. */
class ReplicaComparisonTest {

    @RegisterExtension
    static LocalAwsExtension localAws = new LocalAwsExtension();

    @Test
    void namesEveryItemThatIsMissingExtraOrDifferent() throws Exception {
        DynamoDbClient client = localAws.get().dynamoDb();
        Tables.createWithStream(client, "compared", StreamViewType.NEW_AND_OLD_IMAGES);
        for (String id : List.of("same", "changed", "deleted-in-replica", "never-replicated")) {
            client.putItem(b -> b.tableName("compared").item(Map.of("pk", AttributeValue.fromS(id),
                    "qty", AttributeValue.fromN("1"))));
        }
        try (ReplicaDatabase replica = ReplicaDatabase.inMemory("replica-comparison-test")) {
            insert(replica, "same", "{\"pk\":\"same\",\"qty\":1}", false);
            insert(replica, "changed", "{\"pk\":\"changed\",\"qty\":2}", false);
            insert(replica, "deleted-in-replica", "{\"pk\":\"deleted-in-replica\"}", true);
            insert(replica, "only-in-replica", "{\"pk\":\"only-in-replica\",\"qty\":1}", false);

            ReplicaComparison comparison = ReplicaComparison.of(client, "compared", replica);

            assertFalse(comparison.equal());
            assertEquals(List.of(
                    "changed: the table has {\"pk\":\"changed\",\"qty\":1}, the replica {\"pk\":\"changed\",\"qty\":2}",
                    "deleted-in-replica: in the table, not in the replica",
                    "never-replicated: in the table, not in the replica",
                    "only-in-replica: in the replica, not in the table"), comparison.differences());
            assertEquals(4, comparison.tableItems());
            assertEquals(3, comparison.liveRows());
            assertEquals(1, comparison.tombstones());
            assertTrue(comparison.describe().startsWith("3 rows (and 1 tombstone), NOT equal to the table (4 items)"),
                    comparison.describe());
        }
    }

    @Test
    void keysATableWithASortKeyAsTheComponentDoes() throws Exception {
        DynamoDbClient client = localAws.get().dynamoDb();
        Tables.createWithSortKeyAndStream(client, "sorted", StreamViewType.NEW_AND_OLD_IMAGES);
        client.putItem(b -> b.tableName("sorted").item(Map.of("pk", AttributeValue.fromS("customer-1"),
                "sk", AttributeValue.fromN("10.0"), "total", AttributeValue.fromN("99.5"))));
        try (ReplicaDatabase replica = ReplicaDatabase.inMemory("replica-comparison-sort-key-test")) {
            // the component's CamelDynamoDbCdcPrimaryKey: partition|sort, numbers without trailing zeros
            // DynamoDB keeps numbers normalized (10.0 is stored as 10), in the stream as in a Scan
            insert(replica, "customer-1|10", "{\"pk\":\"customer-1\",\"sk\":10,\"total\":99.5}", false);

            ReplicaComparison comparison = ReplicaComparison.of(client, "sorted", replica);

            assertTrue(comparison.equal(), comparison.describe());
            assertEquals("1 row (and 0 tombstones), equal to the table", comparison.describe());
        }
    }

    private static void insert(ReplicaDatabase replica, String pk, String item, boolean deleted) throws Exception {
        try (Connection connection = replica.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO " + ReplicaDatabase.TABLE + " (pk, item, version, deleted) VALUES (?, ?, 1, ?)")) {
            insert.setString(1, pk);
            insert.setString(2, item);
            insert.setBoolean(3, deleted);
            insert.executeUpdate();
        }
    }
}
