package dev.ddbcdc.camel;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lanes per shard: changes of one item in order, different items side by side, the checkpoint exact. */
class LanesTest {

    static final int KEYS = 8;
    static final int VERSIONS = 12;

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    @Test
    void changesOfOneItemStayInOrderUnderRandomRouteDelaysWhileItemsRunSideBySide() throws Exception {
        String table = "lanes";
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        for (int v = 1; v <= VERSIONS; v++) {
            for (int k = 0; k < KEYS; k++) {
                int version = v;
                String key = "item" + k;
                ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(key),
                        "v", AttributeValue.fromN(Integer.toString(version)))));
            }
        }
        File checkpoints = dir.resolve("lanes.dat").toFile();
        String uri = CdcHarness.uri(ddb, table, "startPosition=TRIM_HORIZON&lanesPerShard=4"
                                               + "&checkpointRepository=#checkpoints");
        AtomicInteger inRoute = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", new FileCheckpointRepository(checkpoints))) {
            cdc.behaviour(exchange -> {
                mostAtOnce.accumulateAndGet(inRoute.incrementAndGet(), Math::max);
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 15));
                inRoute.decrementAndGet();
            });
            cdc.start(uri);
            List<Exchange> received = cdc.await(KEYS * VERSIONS, Duration.ofSeconds(60));
            Map<String, List<Integer>> versions = new HashMap<>();
            for (Exchange e : received) {
                Map<?, ?> item = e.getMessage().getBody(Map.class);
                versions.computeIfAbsent((String) item.get("pk"), k -> new ArrayList<>())
                        .add(((Number) item.get("v")).intValue());
            }
            List<Integer> inOrder = new ArrayList<>();
            for (int v = 1; v <= VERSIONS; v++) {
                inOrder.add(v);
            }
            versions.forEach((key, seen) -> assertEquals(inOrder, seen, "per-key order of " + key));
            assertEquals(KEYS, versions.size());
            assertTrue(mostAtOnce.get() > 1, "items ran side by side: at most " + mostAtOnce.get());
            Thread.sleep(300); // the last acknowledgements stored
        }
        try (CdcHarness restarted = new CdcHarness().bind("checkpoints", new FileCheckpointRepository(checkpoints))) {
            restarted.start(uri);
            restarted.assertNoMoreThan(0, Duration.ofSeconds(1)); // the checkpoint passed every completed record
        }
    }
}
