package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.store.DynamoDbIdempotentRepository;
import dev.ddbcdc.camel.store.DynamoDbStateRepository;
import dev.ddbcdc.camel.store.DynamoDbStoreSupport;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB stores as the route's {@code checkpointRepository} and {@code idempotentRepository}, both on one
 * table, configured by options as a user would: a restart (new repository instances, as on another host) resumes from
 * the checkpoints in DynamoDB, and a consumer without those checkpoints delivers nothing twice.
 */
class DynamoDbCheckpointStoreTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    static void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    static List<String> keys(List<Exchange> exchanges) {
        return exchanges.stream().map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class))
                .collect(Collectors.toList());
    }

    /** A route whose checkpoints and delivered ids live in the DynamoDB table {@code cdc-state}. */
    static CdcHarness harness() {
        return new CdcHarness().bind("checkpoints", store(new DynamoDbStateRepository()))
                .bind("delivered", store(new DynamoDbIdempotentRepository()));
    }

    static <T extends DynamoDbStoreSupport> T store(T store) {
        store.setTableName("cdc-state");
        store.setRegion("us-east-1");
        store.setUriEndpointOverride(ddb.endpoint().toString());
        store.setAccessKey(LocalDynamoDb.ACCESS_KEY);
        store.setSecretKey(LocalDynamoDb.SECRET_KEY);
        return store;
    }

    @Test
    void aRestartResumesFromTheCheckpointsInDynamoDb() throws Exception {
        Tables.createWithStream(ddb.client(), "orders_ddb", StreamViewType.NEW_IMAGE);
        String uri = CdcHarness.uri(ddb, "orders_ddb", "checkpointRepository=#checkpoints"
                                                       + "&idempotentRepository=#delivered&startPosition=TRIM_HORIZON");
        for (int i = 0; i < 3; i++) {
            put("orders_ddb", "first" + i);
        }
        try (CdcHarness first = harness().start(uri)) {
            assertEquals(List.of("first0", "first1", "first2"), keys(first.await(3, Duration.ofSeconds(20))));
        }
        put("orders_ddb", "while-down");

        try (CdcHarness second = harness().start(uri)) {
            List<Exchange> events = second.await(1, Duration.ofSeconds(20));
            second.assertNoMoreThan(1, Duration.ofMillis(800));
            assertEquals(List.of("while-down"), keys(events));
            assertEquals(0, second.consumer().getMetrics().recordsAlreadyDelivered.get(),
                    "the checkpoint, not the idempotent filter, skipped what was delivered");
        }

        Map<String, String> items = ddb.client().scan(b -> b.tableName("cdc-state").consistentRead(true)).items()
                .stream().collect(Collectors.toMap(i -> i.get("id").s(), i -> i.containsKey("v") ? i.get("v").s() : ""));
        assertTrue(items.entrySet().stream().anyMatch(e -> e.getKey().startsWith("dynamodb-cdc/")
                                                           && e.getValue().startsWith("v1 seq:")),
                "a shard checkpoint in the table: " + items.keySet());
        assertEquals(4, items.keySet().stream().filter(k -> k.startsWith("idempotent/dynamodb-cdc/event/")).count(),
                "one idempotent key per delivered record: " + items.keySet());

        // another consumer id has no checkpoints and reads the stream from its start: the delivered ids filter all
        try (CdcHarness fresh = harness().start(uri + "&consumerId=fresh")) {
            CdcHarness.awaitCondition(() -> fresh.consumer().getMetrics().recordsAlreadyDelivered.get() == 4,
                    Duration.ofSeconds(20), () -> "already delivered: "
                                                  + fresh.consumer().getMetrics().recordsAlreadyDelivered.get());
            fresh.assertNoMoreThan(0, Duration.ofMillis(300));
        }
    }
}
