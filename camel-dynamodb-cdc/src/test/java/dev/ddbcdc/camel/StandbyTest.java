package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.JdbcStateRepository;
import dev.ddbcdc.camel.checkpoint.LeaderEpoch;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of one route in one JVM, each with its own ZooKeeper cluster service on a real in-process ZooKeeper,
 * sharing checkpoints in one database: one reads, the other stands by and takes over from the stored positions.
 * (The child-JVM tests in the {@code cluster} package kill and stall real processes.)
 */
class StandbyTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;
    static ZooKeeperTestCluster zookeeper;

    @BeforeAll
    static void start() throws Exception {
        ddb = local.get();
        zookeeper = new ZooKeeperTestCluster();
    }

    @AfterAll
    static void stop() throws Exception {
        zookeeper.close();
    }

    static JdbcStateRepository sharedCheckpoints(String db) {
        return ZooKeeperTestCluster.sharedCheckpoints(db);
    }

    static ZooKeeperClusterService cluster(String member) {
        return zookeeper.service(member);
    }

    static void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    static Set<String> keys(List<Exchange> exchanges) {
        Set<String> keys = new HashSet<>();
        exchanges.forEach(e -> keys.add(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class)));
        return keys;
    }

    CdcHarness instance(String table, String member, String db) throws Exception {
        return new CdcHarness().bind("checkpoints", sharedCheckpoints(db)).bind("cluster", cluster(member))
                .bind(MetricsRegistration.REGISTRY_NAME, new SimpleMeterRegistry())
                .start(CdcHarness.uri(ddb, table, "startPosition=TRIM_HORIZON&checkpointRepository=#checkpoints"
                                                  + "&clusterService=#cluster"));
    }

    @Test
    void oneInstanceReadsTheOtherStandsByAndTakesOverFromTheStoredPositions() throws Exception {
        String table = "standby";
        String db = "standby-" + UUID.randomUUID();
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        try (CdcHarness first = instance(table, "first", db)) {
            first.awaitPhase(Phase.STREAMING, Duration.ofSeconds(20));
            try (CdcHarness second = instance(table, "second", db)) {
                second.awaitPhase(Phase.STANDBY, Duration.ofSeconds(10));
                assertTrue(first.consumer().isLeader());
                assertFalse(second.consumer().isLeader());
                assertEquals(1, first.consumer().getEpoch());
                HealthCheck.Result standby = HealthChecks.readiness(second);
                assertEquals(HealthCheck.State.UP, standby.getState(), "a standby is ready: " + standby.getDetails());
                assertEquals("STANDBY", standby.getDetails().get("phase"));
                assertEquals(false, standby.getDetails().get("cluster.leader"));

                for (int i = 0; i < 20; i++) {
                    put(table, "a" + i);
                }
                first.await(20, Duration.ofSeconds(20));
                second.assertNoMoreThan(0, Duration.ofMillis(500));
                assertConsoles(first, second);
                assertLeadershipMeters(first, 1, 1);
                assertLeadershipMeters(second, 0, 0);

                first.context.stop(); // leaves the namespace: the standby takes over at once
                second.awaitPhase(Phase.STREAMING, Duration.ofSeconds(20));
                assertEquals(2, second.consumer().getEpoch());
                for (int i = 0; i < 20; i++) {
                    put(table, "b" + i);
                }
                second.await(20, Duration.ofSeconds(20));
                Thread.sleep(300);
                Set<String> delivered = keys(first.received);
                delivered.addAll(keys(second.received));
                assertEquals(40, delivered.size(), "every change delivered by one of the two");
                assertTrue(keys(second.received).stream().allMatch(k -> k.startsWith("b")),
                        "the new leader resumed after what the first one acknowledged: " + keys(second.received));
            }
        }
    }

    /**
     * Another instance takes a newer epoch while this one's cluster service still says it leads (as after a stall):
     * this one's next checkpoint write is refused, it stops reading and gives the lead up in the cluster service; being
     * the only member, it is elected again and takes epoch 3, resuming from the stored positions.
     */
    @Test
    void aDeposedLeadersCheckpointWritesAreRefusedAndItStandsForElectionAgain() throws Exception {
        String table = "deposed";
        String db = "deposed-" + UUID.randomUUID();
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        JdbcStateRepository store = sharedCheckpoints(db);
        try (CdcHarness leader = instance(table, "leader", db)) {
            leader.awaitPhase(Phase.STREAMING, Duration.ofSeconds(20));
            put(table, "before");
            leader.await(1, Duration.ofSeconds(20));
            store.start();
            String streamArn = ddb.client().describeTable(b -> b.tableName(table)).table().latestStreamArn();
            String leaderKey = new CheckpointKeys("default", streamArn).leader();
            Map<String, String> positions = shardPositions(store, streamArn);
            LeaderEpoch taken = LeaderEpoch.take(store, leaderKey, "usurper", System.currentTimeMillis());
            assertEquals(2, taken.epoch());

            put(table, "after");
            CdcHarness.awaitCondition(() -> leader.consumer().getRefusedCheckpointWrites() >= 1,
                    Duration.ofSeconds(20), () -> "a refused checkpoint write");
            CdcHarness.awaitCondition(() -> leader.consumer().getEpoch() == 3, Duration.ofSeconds(20),
                    () -> "elected again, epoch " + leader.consumer().getEpoch());
            assertTrue(LeaderEpoch.epochOf(leaderKey, store.getState(leaderKey)) == 3
                       && store.getState(leaderKey).contains(" leader "), store.getState(leaderKey));
            put(table, "later");
            CdcHarness.awaitCondition(() -> keys(leader.received).contains("later"), Duration.ofSeconds(20),
                    () -> "the change after the new election: " + keys(leader.received));
            assertTrue(keys(leader.received).containsAll(Set.of("before", "after", "later")));
            Map<String, String> now = shardPositions(store, streamArn);
            positions.forEach((shard, position) -> assertTrue(now.get(shard).compareTo(position) >= 0,
                    "position of " + shard + " went back from " + position + " to " + now.get(shard)));
        }
    }

    /**
     * Taking over fails (here: the leader epoch in the store is unreadable): the cause is handled and shown (phase
     * FAILED, readiness DOWN), the lead is given up, and the instance stands for election again after a backoff; once
     * the cause is gone, it leads.
     */
    @Test
    void aFailedTakeoverIsReportedTheLeadGivenUpAndTriedAgain() throws Exception {
        String table = "takeover";
        String db = "takeover-" + UUID.randomUUID();
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        String streamArn = ddb.client().describeTable(b -> b.tableName(table)).table().latestStreamArn();
        String leaderKey = new CheckpointKeys("default", streamArn).leader();
        JdbcStateRepository store = sharedCheckpoints(db);
        store.start();
        store.setState(leaderKey, "v1 not-a-number");
        try (CdcHarness instance = instance(table, "only", db)) {
            instance.awaitPhase(Phase.FAILED, Duration.ofSeconds(20));
            HealthCheck.Result readiness = HealthChecks.readiness(instance);
            assertEquals(HealthCheck.State.DOWN, readiness.getState());
            assertTrue(instance.consumer().getFailure().contains("Could not take over as leader")
                       && instance.consumer().getFailure().contains(leaderKey), instance.consumer().getFailure());
            assertTrue(instance.handledMessages.stream().anyMatch(m -> m.contains("Could not take over")),
                    "passed to the exception handler: " + instance.handledMessages);
            assertFalse(instance.consumer().isLeader());

            store.setState(leaderKey, null); // the user removes the unreadable key, as the message says
            instance.awaitPhase(Phase.STREAMING, Duration.ofSeconds(20));
            assertEquals(1, instance.consumer().getEpoch());
            put(table, "after");
            instance.await(1, Duration.ofSeconds(20));
        }
    }

    /**
     * Camel's {@code master:} endpoint in front of the component works too: it starts the consumer only on the leader.
     * It takes no leader epoch, so nothing fences a deposed leader's late writes (docs/standby.md).
     */
    @Test
    void theMasterEndpointInFrontOfTheComponentWorksToo() throws Exception {
        String table = "master";
        String db = "master-" + UUID.randomUUID();
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        String uri = "master:" + table + "-ns:" + CdcHarness.uri(ddb, table,
                "startPosition=TRIM_HORIZON&checkpointRepository=#checkpoints");
        CdcHarness first = new CdcHarness().bind("checkpoints", sharedCheckpoints(db));
        ZooKeeperClusterService firstCluster = cluster("master-first");
        first.context.addService(firstCluster);
        try (CdcHarness second = new CdcHarness().bind("checkpoints", sharedCheckpoints(db))) {
            second.context.addService(cluster("master-second"));
            first.start(uri);
            CdcHarness.awaitCondition(() -> firstCluster.isLeader(table + "-ns"), Duration.ofSeconds(10),
                    () -> "the first instance leads");
            second.start(uri);
            for (int i = 0; i < 10; i++) {
                put(table, "a" + i);
            }
            first.await(10, Duration.ofSeconds(20));
            second.assertNoMoreThan(0, Duration.ofMillis(500));
            first.close();
            for (int i = 0; i < 10; i++) {
                put(table, "b" + i);
            }
            second.await(10, Duration.ofSeconds(30));
            Set<String> delivered = keys(first.received);
            delivered.addAll(keys(second.received));
            assertEquals(20, delivered.size(), "every change delivered by one of the two");
        } finally {
            first.close();
        }
    }

    private static void assertLeadershipMeters(CdcHarness instance, double leader, double epoch) throws Exception {
        MeterRegistry registry = instance.context.getRegistry().lookupByNameAndType(MetricsRegistration.REGISTRY_NAME,
                MeterRegistry.class);
        assertEquals(leader, registry.get("camel.dynamodb.cdc.cluster.leader").gauge().value());
        assertEquals(epoch, registry.get("camel.dynamodb.cdc.cluster.epoch").gauge().value());
        assertEquals(0, registry.get("camel.dynamodb.cdc.checkpoints.refused").functionCounter().count());
        assertEquals(leader, registry.get("camel.dynamodb.cdc.cluster.units.led").gauge().value(), "1 while leading");
        assertTrue(MetricsTest.documentedMeters().containsAll(MetricsTest.STANDBY_METERS));
    }

    /** The dev console, as Camel JBang and the management port call it, on the leader and on the standby. */
    @SuppressWarnings("unchecked")
    private static void assertConsoles(CdcHarness leader, CdcHarness standby) {
        Map<String, Object> json = (Map<String, Object>) console(leader).call(DevConsole.MediaType.JSON);
        Map<String, Object> status = ((List<Map<String, Object>>) json.get("consumers")).get(0);
        assertEquals("STREAMING", status.get("phase"));
        Map<String, Object> cluster = (Map<String, Object>) status.get("cluster");
        assertEquals(true, cluster.get("leader"));
        assertEquals(1L, cluster.get("epoch"));
        assertEquals("first", cluster.get("member"));
        List<Map<String, Object>> shards = (List<Map<String, Object>>) status.get("shards");
        assertFalse(shards.isEmpty(), "the leader lists the shards it reads: " + status);
        assertTrue(shards.stream().anyMatch(s -> String.valueOf(s.get("position")).startsWith("seq:")),
                "positions of acknowledged records: " + shards);
        String text = (String) console(leader).call(DevConsole.MediaType.TEXT);
        assertTrue(text.contains("phase STREAMING") && text.contains("leader true, epoch 1") && text.contains("Shard "),
                text);
        String standing = (String) console(standby).call(DevConsole.MediaType.TEXT);
        assertTrue(standing.contains("phase STANDBY") && standing.contains("leader false") && !standing.contains("Shard "),
                standing);
    }

    private static DevConsole console(CdcHarness harness) {
        DevConsoleRegistry registry = harness.context.getCamelContextExtension()
                .getContextPlugin(DevConsoleRegistry.class);
        DevConsole console = registry.resolveById("dynamodb-cdc");
        assertTrue(console != null, "the dynamodb-cdc dev console is found on the classpath");
        return console;
    }

    private static Map<String, String> shardPositions(JdbcStateRepository store, String streamArn) {
        CheckpointKeys keys = new CheckpointKeys("default", streamArn);
        Map<String, String> positions = new java.util.TreeMap<>();
        ddb.streamsClient().describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()
                .forEach(s -> positions.put(s.shardId(), String.valueOf(store.getState(keys.shard(s.shardId())))));
        return positions;
    }
}
