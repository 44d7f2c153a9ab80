package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code snapshotOnly}: every item of the table once, as READ events, then phase DONE with readiness UP and nothing
 * more: not the changes made afterwards, not the items again after a restart (which goes to DONE at once). A table
 * without a stream is fine (this one has none).
 */
class SnapshotOnlyTest {

    static final int ITEMS = 300;

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    @TempDir
    Path dir;

    @Test
    void theSnapshotIsLoadedOnceThenTheConsumerIsDoneAlsoForATableWithoutAStream() throws Exception {
        LocalAws aws = local.get();
        aws.createBucket("only");
        String table = "snapshot_only";
        aws.dynamoDb().createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType("N").build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        SnapshotItems.fill(aws.dynamoDb(), table, ITEMS);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("cp.dat").toFile());
        String uri = CdcHarness.snapshotUri(aws, table, "only", "snapshotOnly=true&checkpointRepository=#checkpoints");
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            cdc.awaitPhase(Phase.DONE, Duration.ofSeconds(60));
            Set<String> keys = new HashSet<>();
            for (Exchange item : List.copyOf(cdc.received)) {
                assertEquals("READ", item.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
                assertTrue(keys.add(item.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)),
                        "delivered twice");
            }
            assertEquals(ITEMS, keys.size());
            HealthCheck.Result ready = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.UP, ready.getState(), "" + ready.getMessage());
            assertEquals("DONE", ready.getDetails().get("phase"));
            aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("later"),
                    "sk", AttributeValue.fromN("1"))));
            cdc.assertNoMoreThan(ITEMS, Duration.ofSeconds(1));
        }
        try (CdcHarness again = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            again.awaitPhase(Phase.DONE, Duration.ofSeconds(10));
            again.assertNoMoreThan(0, Duration.ofSeconds(1));
        }
    }

    @Test
    void snapshotOnlyNeedsASnapshot() {
        String message = StartupValidationTest.startFailure(new CdcHarness(), CdcHarness.snapshotUri(local.get(),
                "any", null, "snapshotOnly=true"));
        assertTrue(message.contains("snapshotOnly needs a snapshot: set exportS3Bucket"), message);
    }
}
