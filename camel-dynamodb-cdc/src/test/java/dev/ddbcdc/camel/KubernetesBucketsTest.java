package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.cluster.ShardBuckets;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shards spread in buckets ({@code clusterMode=BUCKETS}) over two members in this JVM, each with camel-kubernetes'
 * cluster service on the fabric8 Kubernetes mock ({@link KubernetesTestApi}), wrapped by the consumer in Camel's
 * rebalancing cluster service: the four buckets and the snapshot's namespace are spread over both, one takes the
 * snapshot, each reads only its buckets' shards (a child after its parent in another bucket), and when one member
 * stops and its pod is removed, the other leads everything within twice the lease time. The multi-JVM test with kills is {@code cluster.BucketsScaleOutTest}.
 */
class KubernetesBucketsTest {

    static final int ITEMS = 60;
    static final int BUCKETS = 4;

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static KubernetesTestApi api;

    @BeforeAll
    static void start() {
        api = new KubernetesTestApi();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    CdcHarness member(LocalAws aws, String table, String pod, String db) throws Exception {
        api.runningReadyPod(pod, KubernetesTestApi.CLUSTER_LABELS);
        return new CdcHarness().bind("checkpoints", StandbyTest.sharedCheckpoints(db)).bind("cluster", api.cluster(pod))
                .start(CdcHarness.snapshotUri(aws, table, table, "checkpointRepository=#checkpoints"
                                                                 + "&clusterService=#cluster&clusterMode=BUCKETS"
                                                                 + "&shardBuckets=" + BUCKETS
                                                                 + "&bucketRebalanceInterval=300"));
    }

    @Test
    void bucketsAreSpreadOverTheMembersAndAllMoveToTheOtherWhenOneStops() throws Exception {
        LocalAws aws = local.get();
        String table = "spread";
        Tables.createWithStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        aws.createBucket(table);
        for (int i = 0; i < ITEMS; i++) {
            put(aws, "item-" + i, 0);
        }
        String db = "buckets-" + System.nanoTime();
        try (CdcHarness a = member(aws, table, "orders-cdc-0", db);
             CdcHarness b = member(aws, table, "orders-cdc-1", db)) {
            Set<String> units = new TreeSet<>(List.of("bucket-0", "bucket-1", "bucket-2", "bucket-3", "snapshot"));
            CdcHarness.awaitCondition(() -> spread(a, b, units), Duration.ofSeconds(30),
                    () -> "the 5 units spread over both: " + a.consumer().getBucketsLed() + " / "
                          + b.consumer().getBucketsLed());
            CdcHarness.awaitCondition(() -> snapshotItems(a, b) >= ITEMS, Duration.ofSeconds(60),
                    () -> "the snapshot's items: " + snapshotItems(a, b));
            CdcHarness.awaitCondition(() -> a.consumer().getPhase() == Phase.STREAMING
                                            && b.consumer().getPhase() == Phase.STREAMING, Duration.ofSeconds(30),
                    () -> "both streaming: " + a.consumer().getPhase() + " / " + b.consumer().getPhase());
            assertEquals(1, aws.exports().exportRequestCount(), "one export, by the member leading the snapshot");
            for (CdcHarness member : List.of(a, b)) {
                HealthCheck.Result ready = HealthChecks.readiness(member);
                assertEquals(HealthCheck.State.UP, ready.getState(), ready.getDetails().toString());
                assertEquals(String.join(",", member.consumer().getBucketsLed()), ready.getDetails().get("cluster.led"));
            }

            // changes across shard rollovers, so that children and parents land in different buckets
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 10; i++) {
                    put(aws, "item-" + i, round);
                }
                aws.dynamoDbLocal().triggerShardRollovers();
            }
            awaitChanges(a, b, 30);
            assertEachShardReadByOneMemberChildrenAfterParents(aws, table, List.of(a, b));

            // one member stops and Kubernetes removes its pod: the other member leads all of them once the leases of the
            // old holder, no longer a member, expired
            CdcHarness leaving = a.consumer().getBucketsLed().contains("snapshot") ? b : a;
            CdcHarness staying = leaving == a ? b : a;
            String leavingPod = leaving.consumer().getClusterMember();
            leaving.close();
            long stopped = System.nanoTime();
            api.deletePod(leavingPod);
            CdcHarness.awaitCondition(() -> staying.consumer().getBucketsLed().equals(new ArrayList<>(units)),
                    Duration.ofSeconds(15), () -> "all units on the staying member: "
                                                  + staying.consumer().getBucketsLed());
            long movedMillis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            System.out.println("BUCKETS moved " + movedMillis + " ms after the other member's pod was deleted");
            assertTrue(movedMillis <= 2 * KubernetesTestApi.LEASE_MILLIS + 1000, "moved in " + movedMillis + " ms");
            for (int i = 0; i < 10; i++) {
                put(aws, "item-" + i, 4);
            }
            awaitChanges(a, b, 40);
            staying.awaitPhase(Phase.STREAMING, Duration.ofSeconds(20));
            assertFalse(staying.consumer().getShards().isEmpty());
        }
    }

    static void put(LocalAws aws, String pk, int round) {
        aws.dynamoDb().putItem(r -> r.tableName("spread").item(Map.of("pk", AttributeValue.fromS(pk), "round",
                AttributeValue.fromN(Integer.toString(round)))));
    }

    static boolean spread(CdcHarness a, CdcHarness b, Set<String> units) {
        List<String> ofA = a.consumer().getBucketsLed();
        List<String> ofB = b.consumer().getBucketsLed();
        Set<String> all = new TreeSet<>(ofA);
        all.addAll(ofB);
        return all.equals(units) && ofA.size() + ofB.size() == units.size() && ofA.size() >= 2 && ofB.size() >= 2;
    }

    static long snapshotItems(CdcHarness a, CdcHarness b) {
        return all(a, b).stream().filter(e -> e.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID) == null)
                .count();
    }

    static List<Exchange> all(CdcHarness a, CdcHarness b) {
        List<Exchange> all = new ArrayList<>(a.received);
        all.addAll(b.received);
        return all;
    }

    /** Waits until {@code count} distinct stream changes (key and round) were delivered by the two members. */
    static void awaitChanges(CdcHarness a, CdcHarness b, int count) {
        CdcHarness.awaitCondition(() -> changes(a, b).size() >= count, Duration.ofSeconds(60),
                () -> "changes delivered: " + changes(a, b).size() + " of " + count);
    }

    static Set<String> changes(CdcHarness a, CdcHarness b) {
        Set<String> changes = new HashSet<>();
        for (Exchange e : all(a, b)) {
            if (e.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID) != null) {
                Map<?, ?> image = e.getMessage().getHeader(DynamoDbCdcConstants.NEW_IMAGE, Map.class);
                changes.add(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY) + "@"
                            + (image == null ? "?" : String.valueOf(image.get("round"))));
            }
        }
        return changes;
    }

    /**
     * Every shard's records were delivered by one member, and a child's first record after its parent's last: the
     * parent-before-child order holds across buckets. Asserts too that some parent and child are in different
     * buckets, or the test would prove nothing.
     */
    static void assertEachShardReadByOneMemberChildrenAfterParents(LocalAws aws, String table,
                                                                    List<CdcHarness> members) {
        ShardBuckets buckets = new ShardBuckets(BUCKETS);
        String streamArn = aws.dynamoDb().describeTable(r -> r.tableName(table)).table().latestStreamArn();
        List<Shard> shards = Tables.shards(aws.streams(), streamArn);
        Map<String, Integer> readers = new HashMap<>();
        Map<String, long[]> times = new HashMap<>(); // first and last delivery of each shard
        for (int m = 0; m < members.size(); m++) {
            for (Exchange e : members.get(m).received) {
                String shard = e.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID, String.class);
                if (shard == null) {
                    continue;
                }
                Integer before = readers.put(shard, m);
                assertTrue(before == null || before == m, "shard " + shard + " read by two members");
                long at = e.getClock().getCreated();
                times.merge(shard, new long[] {at, at}, (x, y) -> new long[] {Math.min(x[0], y[0]),
                        Math.max(x[1], y[1])});
            }
        }
        int crossing = 0;
        for (Shard shard : shards) {
            String parent = shard.parentShardId();
            if (parent == null || buckets.bucketOf(parent) == buckets.bucketOf(shard.shardId())) {
                continue;
            }
            crossing++;
            long[] child = times.get(shard.shardId());
            long[] parentTimes = times.get(parent);
            if (child != null && parentTimes != null) {
                assertTrue(child[0] >= parentTimes[1], "child " + shard.shardId() + " delivered before the end of its"
                                                       + " parent " + parent + " in another bucket");
            }
        }
        assertTrue(crossing > 0, "no parent and child in different buckets: " + shards);
    }
}
