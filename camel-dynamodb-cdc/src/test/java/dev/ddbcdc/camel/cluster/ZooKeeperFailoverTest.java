package dev.ddbcdc.camel.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.crash.CrashAudit;
import dev.ddbcdc.camel.crash.SinkLine;
import dev.ddbcdc.camel.crash.TableWriter;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import org.apache.curator.test.TestingServer;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Several instances, one reader, on a real ZooKeeper: three members ({@link ClusterChild}, each a JVM of its own)
 * with Camel's {@code ZooKeeperClusterService} against a ZooKeeper {@link TestingServer} of the test JVM, checkpoints
 * shared in one store (a {@code JdbcStateRepository} on an H2 server of the test JVM; the DynamoDB store on DynamoDB
 * Local), snapshot then stream of one table while a writer keeps changing it. The leader is killed with SIGKILL at
 * seeded random points (during the export, during the load, during the stream) and a new member is started each time,
 * so that three stay alive. After each kill a standby must take the lead within the session timeout plus 2 s and go on
 * from the shared checkpoints (the same export, the data file lines, the shard positions).
 * <p>
 * Checked at the end ({@link ClusterAudit}): every change and every export item reached a sink, per-key order held,
 * the sinks replayed by document version equal the table, one export for all the leaders, no shard (or data file)
 * read by two members at once, leaderships that never overlapped with rising epochs, and no stored position that
 * ever moved backwards (sampled every 50 ms).
 * <p>
 * {@value #FAILOVERS} failovers per store in the normal run; {@code -Dreliability.soak=true} makes
 * {@code reliability.cluster.failovers} (default 60) with a larger table; {@code -Dreliability.cluster.seed=<n>}
 * repeats a scenario.
 */
class ZooKeeperFailoverTest {

    static final int FAILOVERS = 10;
    static final int SESSION_TIMEOUT_MS = ClusterScenario.SESSION_TIMEOUT_MS;
    static final int MEMBERS = 3;

    /** Where the members share their checkpoints. */
    enum Store {
        /** JdbcStateRepository on the H2 server of the test JVM. */
        JDBC,
        /** The component's DynamoDB store on DynamoDB Local (run once that class exists). */
        DYNAMODB
    }

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    static TestingServer zooKeeper;
    static Server h2;

    /** Kept when the test fails: the members' logs, status files and sinks. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    record Plan(long seed, int failovers, int exportKills, int loadKills, int items, int keys,
                double writesPerSecond, int exportDelayMillis, int maxStreamKillDelayMillis) {
        static Plan of(long seed) {
            if (ClusterScenario.SOAK) {
                return new Plan(seed, Integer.getInteger("reliability.cluster.failovers", 60), 2, 6, 8000, 10_000, 40,
                        4000, 3000);
            }
            return new Plan(seed, FAILOVERS, 1, 2, 1500, 1800, 30, 4000, 1000);
        }
    }

    @BeforeAll
    static void servers() throws Exception {
        zooKeeper = ClusterScenario.startZooKeeper();
        h2 = CheckpointStore.startH2Server();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    String store(Store store, String name) {
        return store == Store.JDBC ? CheckpointStore.h2(h2, name)
                : CheckpointStore.dynamoDb(name + "-checkpoints", local.get().dynamoDbEndpoint());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aKilledLeaderIsReplacedWithinTheSessionTimeoutAndNothingIsLost(Store kind) throws Exception {
        assumeTrue(kind != Store.DYNAMODB || CheckpointStore.dynamoDbStoreExists(),
                CheckpointStore.DYNAMODB_STORE + " is not there yet");
        long started = System.nanoTime();
        Plan plan = Plan.of(Long.getLong("reliability.cluster.seed", System.currentTimeMillis() % 100_000));
        System.out.println("ZooKeeperFailoverTest " + kind + " plan " + plan);
        Random random = new Random(plan.seed());
        LocalAws aws = local.get();
        String table = "failover_" + kind.name().toLowerCase(Locale.ROOT);
        String bucket = "failover-" + kind.name().toLowerCase(Locale.ROOT);
        ClusterScenario.createTable(aws, table, bucket);
        aws.exports().exportDelay(Duration.ofMillis(plan.exportDelayMillis())).dataFilesPerExport(4);
        int exportsBefore = aws.exports().exportRequestCount();
        TableWriter writer = new TableWriter(aws.dynamoDbLocal().client(), table, plan.seed(), plan.keys(),
                plan.writesPerSecond());
        writer.fill(plan.items());
        writer.start();

        String store = store(kind, table);
        String cluster = ClusterScenario.zooKeeper(zooKeeper);
        List<Long> takeoverMillis = new ArrayList<>();
        Map<Phase, Integer> killsByPhase = new EnumMap<>(Phase.class);
        List<SinkLine> merged;
        List<TableWriter.Write> writes;
        List<ClusterAudit.Leadership> leaderships;
        long missing;
        PositionSampler sampler = new PositionSampler(store, 50);
        ClusterRun run = new ClusterRun(dir, ClusterScenario.uri(aws, table, bucket), cluster, store);
        try {
            for (int i = 0; i < MEMBERS; i++) {
                run.add();
            }
            // the first leader is killed during the export: waiting for the others to start would take longer
            ClusterRun.Takeover current = run.awaitLeader(0, null, Duration.ofSeconds(60));
            for (int failover = 0; failover < plan.failovers(); failover++) {
                Member leader = current.member();
                if (failover < plan.exportKills()) {
                    run.awaitPhase(leader, Phase.EXPORTING, Duration.ofSeconds(30));
                    Thread.sleep(random.nextInt(plan.exportDelayMillis() / 4));
                } else if (failover < plan.exportKills() + plan.loadKills()) {
                    run.awaitPhase(leader, Phase.LOADING, Duration.ofSeconds(60));
                    ClusterRun.awaitSinkLines(leader, leader.sinkLines() + 1 + random.nextInt(150),
                            Duration.ofSeconds(30));
                } else {
                    run.awaitPhase(leader, Phase.STREAMING, Duration.ofSeconds(60));
                    ClusterRun.awaitSinkLines(leader, 1, Duration.ofSeconds(30));
                    Thread.sleep(random.nextInt(plan.maxStreamKillDelayMillis()));
                }
                List<Member> leaders = run.leaders();
                assertEquals(List.of(leader), leaders, "one leader before the kill: " + run.describe());
                Phase phase = leader.latest().phase();
                long killed = leader.kill();
                killsByPhase.merge(phase, 1, Integer::sum);
                Member replacement = run.add();
                ClusterRun.Takeover next = run.awaitLeader(killed, leader, Duration.ofSeconds(30));
                long millis = (next.micros() - killed) / 1000;
                takeoverMillis.add(millis);
                System.out.printf(Locale.ROOT, "failover %d: killed %s in %s after %d lines; %s took the lead"
                                               + " %d ms later%n", failover + 1, leader, phase, leader.sinkLines(),
                        next.member(), millis);
                for (Member member : run.alive()) {
                    member.awaitStarted(Duration.ofSeconds(60));
                }
                current = next;
            }
            writer.stop();
            writes = writer.written();
            missing = run.awaitCaughtUp(writes, Duration.ofSeconds(90));
            Thread.sleep(300);
        } finally {
            writer.stop();
            run.close();
            sampler.close();
        }
        merged = run.mergedSink();
        leaderships = ClusterAudit.leaderships(run.members());
        CrashAudit audit = ClusterScenario.audit(aws, table, store, merged, writes, true);
        ClusterAudit cluster2 = ClusterAudit.ofRun(audit, merged, leaderships, 0, sampler);

        long maxTakeover = takeoverMillis.stream().mapToLong(Long::longValue).max().orElse(0);
        String figures = String.format(Locale.ROOT, "FAILOVER FIGURES store=%s seed=%d members=%d failovers=%d"
                + " (by phase %s) takeover ms min/avg/max=%d/%.0f/%d leaderships=%d lastEpoch=%d writes=%d"
                + " missing=%d sinkLines=%d duplicates=%d (snapshot %d) lateDeliveries=%d positionSamples=%d"
                + " positionChanges=%d exports=%d violations=%d seconds=%.1f", kind, plan.seed(),
                run.members().size(), takeoverMillis.size(), killsByPhase,
                takeoverMillis.stream().mapToLong(Long::longValue).min().orElse(0),
                takeoverMillis.stream().mapToLong(Long::longValue).average().orElse(0), maxTakeover,
                leaderships.size(), leaderships.isEmpty() ? 0 : leaderships.get(leaderships.size() - 1).epoch(),
                writes.size(), missing, merged.size(), cluster2.duplicates(), cluster2.snapshotDuplicates(),
                cluster2.maxLate(), sampler.samples(), sampler.changes(),
                aws.exports().exportRequestCount() - exportsBefore, audit.violations().size(),
                (System.nanoTime() - started) / 1e9);
        System.out.println(figures);
        assertEquals(List.of(), audit.violations(), figures);
        assertTrue(takeoverMillis.size() >= FAILOVERS || ClusterScenario.SOAK, figures);
        assertTrue(maxTakeover <= SESSION_TIMEOUT_MS + 2000, "every takeover within the session timeout + 2 s: "
                                                              + takeoverMillis);
        assertTrue(killsByPhase.getOrDefault(Phase.EXPORTING, 0) >= 1, "a kill during the export: " + figures);
        assertTrue(killsByPhase.getOrDefault(Phase.LOADING, 0) >= 1, "a kill during the load: " + figures);
        assertEquals(1, aws.exports().exportRequestCount() - exportsBefore, "one export for all the leaders");
    }
}
