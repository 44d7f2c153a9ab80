package dev.ddbcdc.camel.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.crash.CrashAudit;
import dev.ddbcdc.camel.crash.SinkLine;
import dev.ddbcdc.camel.crash.TableWriter;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Standby on one host with Camel's file-lock cluster service ({@code FileLockClusterService}, camel-file): two members
 * ({@link ClusterChild}), checkpoints in H2 (server mode), stream only, a writer changing the table. The leader is
 * killed with SIGKILL (the OS releases its file lock), the other member takes over from the shared checkpoints, and a
 * new member is started as the next standby; {@value #FAILOVERS} times ({@code reliability.cluster.failovers} with
 * {@code -Dreliability.soak=true}, default 20). Checked: nothing lost, per-key order, the sinks equal the table, one
 * reader per shard at a time, one leader at a time with rising epochs, no position moving backwards.
 */
class FileLockStandbyTest {

    static final int FAILOVERS = 3;
    static final String TABLE = "filelock";

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    static Server h2;

    /** Kept when the test fails: the members' logs, status files and sinks. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        h2 = CheckpointStore.startH2Server();
    }

    @AfterAll
    static void stopServers() {
        if (h2 != null) {
            h2.stop();
        }
    }

    @Test
    void theStandbyTakesOverWhenTheLockHolderIsKilled() throws Exception {
        long started = System.nanoTime();
        int failovers = ClusterScenario.SOAK ? Integer.getInteger("reliability.cluster.failovers", 20) : FAILOVERS;
        long seed = Long.getLong("reliability.cluster.seed", System.currentTimeMillis() % 100_000);
        System.out.println("FileLockStandbyTest seed " + seed + " failovers " + failovers);
        Random random = new Random(seed);
        LocalAws aws = local.get();
        ClusterScenario.createTable(aws, TABLE, null);
        TableWriter writer = new TableWriter(aws.dynamoDbLocal().client(), TABLE, seed, 300, 30);
        writer.fill(100);
        writer.start();

        String store = CheckpointStore.h2(h2, TABLE);
        Path locks = Files.createDirectories(dir.resolve("locks"));
        List<Long> takeoverMillis = new ArrayList<>();
        List<TableWriter.Write> writes;
        long missing;
        PositionSampler sampler = new PositionSampler(store, 50);
        ClusterRun run = new ClusterRun(dir, ClusterScenario.uri(aws, TABLE, null), "filelock:" + locks, store);
        try {
            run.add();
            run.add();
            for (Member member : run.members()) {
                member.awaitStarted(Duration.ofSeconds(60));
            }
            ClusterRun.Takeover current = run.awaitLeader(0, null, Duration.ofSeconds(30));
            for (int failover = 0; failover < failovers; failover++) {
                Member leader = current.member();
                run.awaitPhase(leader, Phase.STREAMING, Duration.ofSeconds(30));
                ClusterRun.awaitSinkLines(leader, 1, Duration.ofSeconds(30));
                Thread.sleep(random.nextInt(1000));
                assertEquals(List.of(leader), run.leaders(), "one leader before the kill: " + run.describe());
                long killed = leader.kill();
                Member replacement = run.add();
                ClusterRun.Takeover next = run.awaitLeader(killed, leader, Duration.ofSeconds(30));
                takeoverMillis.add((next.micros() - killed) / 1000);
                System.out.printf(Locale.ROOT, "failover %d: killed %s after %d lines; %s took the lead %d ms later%n",
                        failover + 1, leader, leader.sinkLines(), next.member(), takeoverMillis.get(failover));
                replacement.awaitStarted(Duration.ofSeconds(60));
                current = next;
            }
            writer.stop();
            writes = writer.written();
            missing = run.awaitCaughtUp(writes, Duration.ofSeconds(60));
            Thread.sleep(300);
        } finally {
            writer.stop();
            run.close();
            sampler.close();
        }
        List<SinkLine> merged = run.mergedSink();
        CrashAudit audit = ClusterScenario.audit(aws, TABLE, store, merged, writes, false);
        List<ClusterAudit.Leadership> leaderships = ClusterAudit.leaderships(run.members());
        ClusterAudit cluster = ClusterAudit.ofRun(audit, merged, leaderships, 0, sampler);
        String figures = String.format(Locale.ROOT, "FILELOCK FIGURES seed=%d failovers=%d takeover ms %s"
                + " leaderships=%d writes=%d missing=%d sinkLines=%d duplicates=%d positionSamples=%d violations=%d"
                + " seconds=%.1f", seed, takeoverMillis.size(), takeoverMillis, leaderships.size(), writes.size(),
                missing, merged.size(), cluster.duplicates(), sampler.samples(), audit.violations().size(),
                (System.nanoTime() - started) / 1e9);
        System.out.println(figures);
        assertEquals(List.of(), audit.violations(), figures);
        assertEquals(failovers, takeoverMillis.size());
        assertTrue(takeoverMillis.stream().allMatch(ms -> ms < 10_000), "every takeover within 10 s: " + figures);
    }
}
