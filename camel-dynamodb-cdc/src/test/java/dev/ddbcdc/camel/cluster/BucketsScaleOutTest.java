package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
import software.amazon.awssdk.services.dynamodb.model.Shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, shards spread over instances in buckets, on Kubernetes Leases: members ({@link ClusterChild}, each a JVM of
 * its own) with {@code clusterMode=BUCKETS&shardBuckets=8} and camel-kubernetes' {@code KubernetesClusterService}
 * against the fabric8 Kubernetes mock server of the test JVM ({@link KubernetesCluster}; each member's Pod is created
 * Running and Ready before it starts and deleted when it is killed), checkpoints shared in H2, stream only from the
 * oldest record, a writer changing the table throughout and shard rollovers forced so that parents and children fall in
 * buckets of different members. Each member joins one cluster namespace per bucket; the consumer's
 * {@code RebalancingCamelClusterService} spreads them (with three members 2 or 3 buckets each).
 * <ol>
 * <li>Three members: the 8 buckets are spread over them.</li>
 * <li>The member leading the open shard's bucket is killed (SIGKILL) and its Pod deleted: its buckets must be led by
 * the others within twice the lease duration plus 2 s (the members' views drop the Pod within a retry period, the
 * rebalancer opens the orphaned buckets within its period, and a member that takes a Lease whose holder is gone leads
 * one lease duration later).</li>
 * <li>A fourth member starts: it must lead a bucket within three rebalance periods plus a lease duration of its
 * route's start (the others see its Pod within a retry period, give up their excess buckets at their next rebalance
 * and let each Lease go a lease duration later; its Pod is Ready before its JVM starts, so they may begin while it
 * starts) and the buckets are spread over the three again.</li>
 * </ol>
 * <p>
 * {@code ownLeaseRetaken} counts the times a member took a Lease it still held ("Leadership is already owned by current
 * pod"): what happened when the consumer rejoined a namespace it had just lost by rebalancing, which stopped
 * camel-kubernetes' view before it let the Lease go, so each hand-over took two more lease durations (the join took
 * 6.8-8.6 s). {@code NamespaceLeadership} no longer rejoins a view the rebalancing disabled; the count, now 0, is
 * printed to show it. The members log camel-kubernetes' elections (INFO) and the rebalancing's decisions (DEBUG).
 * <p>
 * Checked at the end, once every change was delivered: every change delivered, per-key order, the sinks replayed by
 * document version equal the table ({@link CrashAudit}); no record of a child shard delivered before the last of its
 * parent's, whoever read them ({@link ClusterAudit#childrenAfterTheirParents}, the lineage from DescribeStream, at
 * least one parent and child in different buckets); one leader per bucket at a time, every record delivered by the
 * leader of its shard's bucket, one reader per shard at a time ({@link BucketAudit}); no stored position moving
 * backwards, the buckets' epochs included ({@link PositionSampler}).
 * <p>
 * What a member may deliver after it lost a bucket ({@value #ALLOWED_LATE} record per shard and lost lead): a killed
 * member delivers nothing after its death, and the next leader starts after it, so a kill allows none. A live member
 * whose bucket the rebalancer moves stops reading it when its leadership ends: its shard readers check before each
 * record, so what it delivers after that is only what it had in flight, and the member's route is synchronous (one
 * exchange per shard reader at a time), so at most one record per shard. On Kubernetes the next leader cannot start
 * before a lease duration after the hand-over began (the old holder keeps the Lease that long, its own leadership ends
 * a renew deadline after its last renewal), so in practice none is late at all; the count is printed
 * ({@code lateAfterEnd}, {@code overlapLate}).
 */
class BucketsScaleOutTest {

    static final int BUCKETS = 8;
    static final long REBALANCE_MILLIS = 2000;
    static final long LEASE_MILLIS = KubernetesCluster.LEASE_MILLIS;
    static final int ALLOWED_LATE = 1;
    static final String TABLE = "buckets";

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    static Server h2;
    static KubernetesCluster kubernetes;

    /** Kept when the test fails: the members' logs, status files and sinks. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        h2 = CheckpointStore.startH2Server();
        kubernetes = KubernetesCluster.start();
    }

    @AfterAll
    static void stopServers() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    @Test
    void bucketsAreSpreadTakenOverFromAKilledMemberAndSharedWithANewOne() throws Exception {
        long started = System.nanoTime();
        long seed = Long.getLong("reliability.cluster.seed", System.currentTimeMillis() % 100_000);
        System.out.println("BucketsScaleOutTest seed " + seed);
        LocalAws aws = local.get();
        ClusterScenario.createTable(aws, TABLE, null);
        TableWriter writer = new TableWriter(aws.dynamoDbLocal().client(), TABLE, seed, 300, 20);
        writer.fill(100);
        writer.start();

        ShardBuckets buckets = new ShardBuckets(BUCKETS);
        String store = CheckpointStore.h2(h2, TABLE);
        String uri = ClusterScenario.uri(aws, TABLE, null) + "&clusterMode=BUCKETS&shardBuckets=" + BUCKETS
                     + "&bucketRebalanceInterval=" + REBALANCE_MILLIS;
        PositionSampler sampler = new PositionSampler(store, 50);
        ClusterRun run = new ClusterRun(dir, uri, kubernetes.spec(), store);
        int rollovers = 0;
        long spreadMillis;
        long takeoverMillis;
        long respreadAfterKillMillis;
        long jvmStartMillis;
        long joinMillis;
        long respreadAfterJoinMillis;
        List<String> victimUnits;
        List<TableWriter.Write> writes;
        long missing;
        try {
            for (int i = 0; i < 3; i++) {
                start(run);
            }
            for (Member member : run.members()) {
                member.awaitStarted(Duration.ofSeconds(60));
            }
            spreadMillis = awaitSpread(run, buckets, Duration.ofSeconds(40));
            rollovers += rollover(aws);
            Thread.sleep(1000);
            rollovers += rollover(aws);
            awaitDelivered(run, writer, Duration.ofSeconds(20));

            // the member leading the open shard's bucket dies, and Kubernetes deletes its Pod
            Member victim = leaderOfOpenShard(run, aws, buckets);
            victimUnits = victim.latest().units();
            long killed = victim.kill();
            kubernetes.deletePod(victim.id());
            takeoverMillis = awaitTakenOver(run, victimUnits, killed, Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "killed %s leading %s; its buckets led by the others %d ms later%n",
                    victim, victimUnits, takeoverMillis);
            respreadAfterKillMillis = awaitSpread(run, buckets, Duration.ofSeconds(30));
            rollovers += rollover(aws);

            // a fourth member joins
            long starting = Member.nowMicros();
            Member joined = start(run);
            joined.awaitStarted(Duration.ofSeconds(60));
            long joinedMicros = firstState(joined, Duration.ofSeconds(10)).micros();
            jvmStartMillis = (joinedMicros - starting) / 1000;
            joinMillis = awaitLeadsAny(joined, joinedMicros, Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "%s started in %d ms and led a bucket %d ms after its route started%n",
                    joined, jvmStartMillis, joinMillis);
            respreadAfterJoinMillis = awaitSpread(run, buckets, Duration.ofSeconds(30));
            rollovers += rollover(aws);
            awaitDelivered(run, writer, Duration.ofSeconds(20));
            // at least one parent and child in different buckets: a rollover more until there is one
            while (crossBucketPairs(ClusterScenario.shards(aws, TABLE), buckets) == 0 && rollovers < 12) {
                rollovers += rollover(aws);
                Thread.sleep(500);
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
        List<Shard> shards = ClusterScenario.shards(aws, TABLE);
        Map<String, String> parents = ClusterScenario.parents(shards);
        long crossBucketPairs = crossBucketPairs(shards, buckets);
        CrashAudit audit = ClusterScenario.audit(aws, TABLE, store, merged, writes, false);
        ClusterAudit cluster = new ClusterAudit(audit);
        cluster.countDuplicates(merged);
        int lineagePairs = cluster.childrenAfterTheirParents(merged, parents);
        sampler.violations().forEach(audit::violation);
        BucketAudit bucketAudit = new BucketAudit(audit);
        List<BucketAudit.Tenure> tenures = BucketAudit.tenures(run.members(), Member.nowMicros());
        long shortestGapMillis = bucketAudit.oneLeaderPerUnitAtATime(tenures);
        bucketAudit.shardsReadByTheirBucketsLeaders(merged, tenures, s -> buckets.unit(buckets.bucketOf(s)),
                ALLOWED_LATE, cluster);
        Set<Integer> readers = new TreeSet<>();
        merged.forEach(l -> readers.add(l.run()));
        // a member that took a Lease again that it still held: its view was restarted while it gave the Lease up
        int ownLeaseRetaken = countInLogs(run.members(), "Leadership is already owned by current pod");

        String figures = String.format(Locale.ROOT, "BUCKETS FIGURES seed=%d members=%d buckets=%d spreadMs=%d"
                + " takeoverMs=%d (of %s) respreadAfterKillMs=%d joinMs=%d (JVM start %d ms) respreadAfterJoinMs=%d"
                + " ownLeaseRetaken=%d rollovers=%d shards=%d crossBucketPairs=%d lineagePairsChecked=%d readers=%s"
                + " tenures=%d shortestHandOverGapMs=%d writes=%d missing=%d sinkLines=%d duplicates=%d"
                + " lateAfterEnd=%d overlapLate=%d positionSamples=%d positionChanges=%d violations=%d seconds=%.1f",
                seed, run.members().size(), BUCKETS, spreadMillis, takeoverMillis, victimUnits,
                respreadAfterKillMillis, joinMillis, jvmStartMillis, respreadAfterJoinMillis, ownLeaseRetaken,
                rollovers, shards.size(), crossBucketPairs, lineagePairs, readers, tenures.size(), shortestGapMillis,
                writes.size(), missing, merged.size(), cluster.duplicates(), bucketAudit.lateAfterEnd(),
                cluster.maxLate(), sampler.samples(), sampler.changes(), audit.violations().size(),
                (System.nanoTime() - started) / 1e9);
        System.out.println(figures);
        assertEquals(List.of(), audit.violations(), figures);
        assertTrue(takeoverMillis <= 2 * LEASE_MILLIS + 2000, "the killed member's buckets led by the others within"
                                                              + " twice the lease + 2 s: " + figures);
        assertTrue(joinMillis <= 3 * REBALANCE_MILLIS + LEASE_MILLIS, "the new member leads a bucket within three"
                                                                      + " rebalance periods + the lease: " + figures);
        assertTrue(crossBucketPairs >= 1, "a parent and its child in different buckets: " + figures);
        assertTrue(lineagePairs >= 1, "records of a parent and of its child delivered: " + figures);
        // the killed member read the open shard's bucket, and its successor the records written there after the kill;
        // how many more members read records depends on which buckets DynamoDB Local's single chain of shards falls in
        assertTrue(readers.size() >= 2, "the records were read by several members: " + figures);
        assertTrue(sampler.samples() > 100, figures);
    }

    /** Creates the next member's Pod, Running and Ready, then starts the member. */
    private static Member start(ClusterRun run) throws IOException {
        kubernetes.runningReadyPod(run.nextId());
        return run.add();
    }

    /** Closes the open shards; returns 1. */
    private static int rollover(LocalAws aws) {
        aws.dynamoDbLocal().triggerShardRollovers();
        return 1;
    }

    /** Parent and child pairs of the stream whose two shards are in different buckets. */
    static long crossBucketPairs(List<Shard> shards, ShardBuckets buckets) {
        return ClusterScenario.parents(shards).entrySet().stream()
                .filter(e -> buckets.bucketOf(e.getKey()) != buckets.bucketOf(e.getValue())).count();
    }

    /**
     * Waits until the buckets are spread over the alive members (each leads {@code floor(K/n)} or one more, every
     * bucket led by one of them, none by two), as their last states say; returns how long it took (ms).
     */
    static long awaitSpread(ClusterRun run, ShardBuckets buckets, Duration timeout) throws Exception {
        long from = System.nanoTime();
        long deadline = from + timeout.toNanos();
        Set<String> all = new TreeSet<>();
        for (int b = 0; b < buckets.count(); b++) {
            all.add(buckets.unit(b));
        }
        while (true) {
            List<Member> alive = run.alive();
            Map<String, List<Member>> leaders = run.unitLeaders();
            int low = buckets.count() / alive.size();
            boolean spread = leaders.keySet().equals(all) && leaders.values().stream().allMatch(l -> l.size() == 1);
            for (Member member : alive) {
                int led = member.latest() == null ? 0 : member.latest().units().size();
                spread &= led >= low && led <= low + 1;
            }
            if (spread) {
                long millis = (System.nanoTime() - from) / 1_000_000;
                System.out.println("buckets spread over " + alive.size() + " members after " + millis + " ms: "
                                   + leaders);
                return millis;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the buckets were not spread over " + alive.size() + " members within "
                                         + timeout + ": " + leaders + "; " + run.describe());
            }
            Thread.sleep(50);
        }
    }

    /** The alive member whose last state says it leads the bucket of the first open shard. */
    static Member leaderOfOpenShard(ClusterRun run, LocalAws aws, ShardBuckets buckets) throws IOException {
        Shard open = ClusterScenario.shards(aws, TABLE).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).findFirst()
                .orElseThrow(() -> new AssertionError("no open shard"));
        String unit = buckets.unit(buckets.bucketOf(open.shardId()));
        List<Member> leaders = run.unitLeaders().getOrDefault(unit, List.of());
        assertEquals(1, leaders.size(), "one leader of " + unit + " (open shard " + open.shardId() + "): "
                                        + run.describe());
        return leaders.get(0);
    }

    /**
     * Waits until each of {@code units} is led by an alive member since {@code sinceMicros}; returns the time until the
     * last of them was (ms).
     */
    static long awaitTakenOver(ClusterRun run, List<String> units, long sinceMicros, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long last = 0;
            List<String> notYet = new ArrayList<>();
            for (String unit : units) {
                long first = Long.MAX_VALUE;
                for (Member member : run.alive()) {
                    for (MemberStatus state : member.states()) {
                        if (state.micros() >= sinceMicros && state.units().contains(unit)) {
                            first = Math.min(first, state.micros());
                            break;
                        }
                    }
                }
                if (first == Long.MAX_VALUE) {
                    notYet.add(unit);
                } else {
                    last = Math.max(last, first);
                }
            }
            if (notYet.isEmpty()) {
                return (last - sinceMicros) / 1000;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(notYet + " not led by another member within " + timeout + "; "
                                         + run.describe());
            }
            Thread.sleep(20);
        }
    }

    /** The first state {@code member} reported (the reporter starts right after its route). */
    static MemberStatus firstState(Member member, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (member.states().isEmpty()) {
            member.process().requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(member + " reported no state within " + timeout);
            }
            Thread.sleep(5);
        }
        return member.states().get(0);
    }

    /** Waits until {@code member} reports leading a unit; returns how long after {@code sinceMicros} (ms). */
    static long awaitLeadsAny(Member member, long sinceMicros, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (MemberStatus state : member.states()) {
                if (!state.units().isEmpty()) {
                    return (state.micros() - sinceMicros) / 1000;
                }
            }
            member.process().requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(member + " led no bucket within " + timeout + "\n"
                                         + member.process().logTail());
            }
            Thread.sleep(20);
        }
    }

    /** How many times {@code text} occurs in the members' logs. */
    static int countInLogs(List<Member> members, String text) throws IOException {
        int count = 0;
        for (Member member : members) {
            String log = member.process().log();
            for (int at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
                count++;
            }
        }
        return count;
    }

    /** Waits until every write made so far is in some member's sink. */
    static void awaitDelivered(ClusterRun run, TableWriter writer, Duration timeout) throws Exception {
        long missing = run.awaitCaughtUp(writer.written(), timeout);
        assertEquals(0, missing, "writes not delivered within " + timeout + "; " + run.describe());
    }
}
