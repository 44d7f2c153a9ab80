package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leader that stops in the middle of the snapshot hands it over: the standby goes on with the same export. */
class StandbySnapshotTest {

    static final int ITEMS = 2000;

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    @Test
    void theNewLeaderLoadsTheRestOfTheSameExportThenStreams() throws Exception {
        LocalAws aws = local.get();
        aws.createBucket("handover");
        String table = "handover";
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        SnapshotItems.fill(aws.dynamoDb(), table, ITEMS);
        String uri = CdcHarness.snapshotUri(aws, table, "handover",
                "checkpointRepository=#checkpoints&maxConcurrentDataFiles=2&clusterService=#cluster");
        int exportsBefore = aws.exports().exportRequestCount();
        try (ZooKeeperTestCluster zookeeper = new ZooKeeperTestCluster();
             CdcHarness second = new CdcHarness()) {
            CdcHarness first = new CdcHarness().bind("checkpoints", ZooKeeperTestCluster.sharedCheckpoints(table))
                    .bind("cluster", zookeeper.service("first"));
            // slow enough that the load is still going when the second member has joined (the reader is fast)
            first.behaviour(exchange -> Thread.sleep(5));
            first.start(uri);
            first.await(600, Duration.ofSeconds(60));
            second.bind("checkpoints", ZooKeeperTestCluster.sharedCheckpoints(table))
                    .bind("cluster", zookeeper.service("second")).start(uri);
            assertEquals(Phase.STANDBY, second.consumer().getPhase());
            first.close(); // graceful: what is in flight completes and is stored before the lead is handed over
            List<Exchange> before = SnapshotRestartTest.reads(first.received);
            assertTrue(before.size() < ITEMS, "stopped in the middle of the load: " + before.size());

            CdcHarness.awaitCondition(() -> SnapshotRestartTest.reads(second.received).size() >= ITEMS - before.size(),
                    Duration.ofSeconds(60), () -> "the new leader delivered "
                                                  + SnapshotRestartTest.reads(second.received).size() + " of "
                                                  + (ITEMS - before.size()));
            second.awaitPhase(Phase.STREAMING, Duration.ofSeconds(30));
            aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("after"),
                    "sk", AttributeValue.fromN("1"))));
            CdcHarness.awaitCondition(() -> second.received.stream().anyMatch(
                    e -> "INSERT".equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))),
                    Duration.ofSeconds(30), () -> "the change after the snapshot");

            List<Exchange> after = SnapshotRestartTest.reads(second.received);
            Set<String> overlap = new HashSet<>(SnapshotRestartTest.positions(before));
            overlap.retainAll(SnapshotRestartTest.positions(after));
            assertEquals(Set.of(), overlap, "items the first leader acknowledged were delivered again");
            assertEquals(ITEMS, before.size() + after.size(), "every item delivered exactly once");
            assertEquals(exportsBefore + 1, aws.exports().exportRequestCount(), "one export for both leaders");
            assertEquals(2, second.consumer().getEpoch());
        }
    }
}
