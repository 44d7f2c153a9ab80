package dev.ddbcdc.camel;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

/** Writes spread over several shard generations arrive complete and, per key, in the order they were made. */
class ShardLineageConsumerTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    @Test
    void everyChangeArrivesInPerKeyOrderAcrossRollovers() throws Exception {
        String streamArn = Tables.createWithStream(ddb.client(), "lineage", StreamViewType.NEW_IMAGE);
        int keys = 20;
        int generations = 5;
        int versionsPerGeneration = 3;
        try (CdcHarness cdc = new CdcHarness().start(CdcHarness.uri(ddb, "lineage",
                "startPosition=TRIM_HORIZON&maxRecordsPerRequest=7"))) {
            int version = 0;
            for (int g = 0; g < generations; g++) {
                for (int v = 0; v < versionsPerGeneration; v++) {
                    version++;
                    for (int k = 0; k < keys; k++) {
                        int value = version;
                        int key = k;
                        ddb.client().putItem(b -> b.tableName("lineage").item(Map.of("pk",
                                AttributeValue.fromS("key" + Math.floorMod(value * 7 + key, keys)), "v",
                                AttributeValue.fromN(Integer.toString(value)))));
                    }
                }
                ddb.triggerShardRollovers();
            }
            int expected = keys * generations * versionsPerGeneration;
            List<Exchange> events = cdc.await(expected, Duration.ofSeconds(60));
            cdc.assertNoMoreThan(expected, Duration.ofMillis(500));

            Map<String, List<Integer>> perKey = new HashMap<>();
            Set<String> shards = new HashSet<>();
            for (Exchange e : events) {
                String pk = e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
                int v = ((BigDecimal) e.getMessage().getBody(Map.class).get("v")).intValueExact();
                perKey.computeIfAbsent(pk, x -> new ArrayList<>()).add(v);
                shards.add(e.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID, String.class));
            }
            assertEquals(keys, perKey.size());
            List<Integer> all = new ArrayList<>();
            for (int v = 1; v <= generations * versionsPerGeneration; v++) {
                all.add(v);
            }
            perKey.forEach((pk, versions) -> assertEquals(all, versions, "versions of " + pk + " in order, complete"));
            assertTrue(shards.size() >= generations, "records came from " + shards.size() + " shards");
            assertTrue(Tables.shards(ddb.streamsClient(), streamArn).size() > generations);
        }
    }
}
