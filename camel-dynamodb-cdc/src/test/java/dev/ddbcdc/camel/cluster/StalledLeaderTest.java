package dev.ddbcdc.camel.cluster;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.ddbcdc.camel.checkpoint.CheckpointValues;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stalled leader (SIGSTOP: a long GC pause, a frozen VM) that wakes up after another member took its place. Three
 * members on ZooKeeper, checkpoints in H2 (server mode), stream only, a writer changing the table. Each round: the
 * leader is made to hold a stream record in its route (the exchange in flight, its sink line not yet written), is
 * suspended, its ZooKeeper session expires, a standby takes the lead with a higher epoch, delivers the held record and
 * more, and stores a position of that shard beyond the held record; then the stalled JVM is resumed. Its held exchange
 * completes and its checkpoint write must be refused by the store (the epoch fence), counted
 * ({@code getRefusedCheckpointWrites()}), and it must go to STANDBY. A new member is started at each stall (Camel's
 * ZooKeeper cluster view does not re-enter the election once its session expired, so the woken member would stand by
 * for good) and the woken one is stopped after the checks.
 * <p>
 * A thread reads every row of the checkpoint table every 20 ms throughout: no stored position may ever move
 * backwards. At the end the {@link ClusterAudit} checks run, allowing each stalled leader the one record it held.
 * {@value #STALLS} rounds in the normal run; {@code -Dreliability.soak=true} makes {@code reliability.cluster.stalls}
 * (default 20).
 */
class StalledLeaderTest {

    static final int STALLS = 3;
    static final int MEMBERS = 3;
    static final String TABLE = "stalled";

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    static TestingServer zooKeeper;
    static Server h2;

    /** Kept when the test fails: the members' logs, status files and sinks. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

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

    /** One round: who stalled, who took over, how long it took, what the stalled one reported after waking. */
    record Stall(int stalled, int next, long takeoverMillis, String held, long refused, long wokeToStandbyMillis) {
    }

    @Test
    void aStalledLeaderThatWakesUpIsFencedOffAndNoPositionMovesBackwards() throws Exception {
        long started = System.nanoTime();
        int stalls = ClusterScenario.SOAK ? Integer.getInteger("reliability.cluster.stalls", 20) : STALLS;
        long seed = Long.getLong("reliability.cluster.seed", System.currentTimeMillis() % 100_000);
        System.out.println("StalledLeaderTest seed " + seed + " stalls " + stalls);
        Random random = new Random(seed);
        LocalAws aws = local.get();
        ClusterScenario.createTable(aws, TABLE, null);
        TableWriter writer = new TableWriter(aws.dynamoDbLocal().client(), TABLE, seed, 300, 30);
        writer.fill(100);
        writer.start();

        String store = CheckpointStore.h2(h2, TABLE);
        List<Stall> rounds = new ArrayList<>();
        List<TableWriter.Write> writes;
        long missing;
        PositionSampler sampler = new PositionSampler(store, 20);
        // batches of several records (a poll every 300 ms): the held record has more behind it in its batch, which a
        // deposed leader must not deliver
        String uri = ClusterScenario.uri(aws, TABLE, null).replace("idlePollDelay=50", "idlePollDelay=300");
        ClusterRun run = new ClusterRun(dir, uri, ClusterScenario.zooKeeper(zooKeeper), store);
        try {
            for (int i = 0; i < MEMBERS; i++) {
                run.add();
            }
            for (Member member : run.members()) {
                member.awaitStarted(Duration.ofSeconds(60));
            }
            ClusterRun.Takeover current = run.awaitLeader(0, null, Duration.ofSeconds(30));
            for (int round = 0; round < stalls; round++) {
                Member leader = current.member();
                run.awaitPhase(leader, Phase.STREAMING, Duration.ofSeconds(30));
                ClusterRun.awaitSinkLines(leader, leader.sinkLines() + 1, Duration.ofSeconds(30));
                Thread.sleep(random.nextInt(500));
                long refusedBefore = leader.latest().refused();
                int heldBefore = leader.held().size();
                leader.hold();
                awaitHeld(leader, heldBefore, Duration.ofSeconds(10));
                String held = leader.held().get(heldBefore);
                long suspended = leader.suspend();
                leader.release(); // seen only once it runs again
                // camel-zookeeper's cluster view never re-enters the election after its session expired, so the stalled
                // member will stand by for good: a new member keeps the cluster at three candidates
                Member replacement = run.add();
                ClusterRun.Takeover next = run.awaitLeader(suspended, leader, Duration.ofSeconds(30));
                long takeover = (next.micros() - suspended) / 1000;
                // the new leader delivers the held record and stores a position of its shard beyond it
                awaitStoredBeyond(store, held, next.member(), Duration.ofSeconds(30));
                ClusterRun.awaitSinkLines(next.member(), next.member().sinkLines() + 1, Duration.ofSeconds(30));
                long resumed = Member.nowMicros();
                leader.resume();
                MemberStatus woke = awaitStandby(leader, resumed, Duration.ofSeconds(20));
                Thread.sleep(200); // a refused write after the STANDBY state would still show in the count
                long refused = leader.latest().refused() - refusedBefore;
                Stall stall = new Stall(leader.id(), next.member().id(), takeover, held, refused,
                        (woke.micros() - resumed) / 1000);
                rounds.add(stall);
                System.out.println("stall " + (round + 1) + ": " + stall);
                replacement.awaitStarted(Duration.ofSeconds(60));
                leader.process().stop(); // a deposed member stops in order
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
        ClusterAudit cluster = ClusterAudit.ofRun(audit, merged, ClusterAudit.leaderships(run.members()), 1, sampler);
        for (Stall stall : rounds) {
            if (stall.refused() < 1) {
                audit.violation("stalled member " + stall.stalled() + " woke up without a refused checkpoint write: "
                                + stall);
            }
        }
        String figures = String.format(Locale.ROOT, "STALL FIGURES seed=%d stalls=%d %s writes=%d missing=%d"
                + " sinkLines=%d duplicates=%d lateDeliveries=%d positionSamples=%d positionChanges=%d violations=%d"
                + " seconds=%.1f", seed, rounds.size(), rounds, writes.size(), missing, merged.size(),
                cluster.duplicates(), cluster.maxLate(), sampler.samples(), sampler.changes(),
                audit.violations().size(), (System.nanoTime() - started) / 1e9);
        System.out.println(figures);
        assertEquals(List.of(), audit.violations(), figures);
        assertEquals(stalls, rounds.size());
        assertTrue(sampler.samples() > 100, figures);
    }

    static void awaitHeld(Member member, int before, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (member.held().size() <= before) {
            member.process().requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(member + " held no record within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the stored position of the held record's shard is beyond it (or the shard's END). */
    static void awaitStoredBeyond(String store, String held, Member leader, Duration timeout) throws Exception {
        String shard = held.split(" ")[0];
        BigInteger sequence = new BigInteger(held.split(" ")[1]);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map.Entry<String, String> row : CheckpointStore.rows(store).entrySet()) {
                if (row.getKey().endsWith("/" + shard)) {
                    String position = CheckpointValues.read(row.getKey(), row.getValue());
                    String acknowledged = position.startsWith("seq:") ? position.substring(4).split("@")[0] : null;
                    if ("END".equals(position) || acknowledged != null
                                                  && new BigInteger(acknowledged).compareTo(sequence) > 0) {
                        return;
                    }
                }
            }
            leader.process().requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no position of " + shard + " beyond " + sequence + " stored within "
                                         + timeout);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until {@code member} reports STANDBY, not leading, after {@code sinceMicros}. */
    static MemberStatus awaitStandby(Member member, long sinceMicros, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (MemberStatus state : member.states()) {
                if (state.micros() >= sinceMicros && !state.leader() && state.phase() == Phase.STANDBY) {
                    return state;
                }
            }
            member.process().requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(member + " did not go to STANDBY within " + timeout + " after it woke up: "
                                         + member.latest() + "\n" + member.process().logTail());
            }
            Thread.sleep(10);
        }
    }
}
