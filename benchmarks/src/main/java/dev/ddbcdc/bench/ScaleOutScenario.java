package dev.ddbcdc.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.ddbcdc.localaws.LocalAws;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.h2.tools.Server;

/**
 * Scenario 8, scale-out (issue 14): the same simulated stream of {@value #SHARDS} open shards read by one member and
 * by {@value #MEMBERS} members with {@code clusterMode=BUCKETS}, into a route that sleeps {@value #ROUTE_MILLIS} ms
 * per record. Each member is a JVM of its own (as a pod is) with the same fake stream, its checkpoints in one H2
 * database served from this JVM, its cluster service (camel-kubernetes' Kubernetes Leases) on the fabric8 Kubernetes
 * mock server in this JVM, which holds a Running and Ready pod per member. Once the {@value #BUCKETS} buckets are
 * spread (every member leads {@code floor(K/n)} or one more), a settling time has passed and the members have run
 * for a warm-up time, every member counts the records it delivers over the same window; then its used heap after full
 * collections. Targets: {@value #MEMBERS}
 * members deliver at least {@value #SCALE_OUT}x the records/s of one, and the heap each holds stays within
 * {@value #FLAT_HEAP}x of the single member's.
 */
final class ScaleOutScenario implements Scenario {

    static final int SHARDS = 64;
    static final int MEMBERS = 3;
    static final int BUCKETS = 16;
    static final int ROUTE_MILLIS = 5;
    /** Per member: shards read at once, and lanes per shard; the member's ceiling is their product per route time. */
    static final int MAX_CONCURRENT_SHARDS = 4;
    static final int LANES = 1;
    static final double SCALE_OUT = 2.5;
    static final double FLAT_HEAP = 1.25;
    /** The Kubernetes Leases' timings (the service requires lease > renew deadline > 1.2 x retry period). */
    static final long LEASE_MILLIS = 4000;
    static final long RENEW_DEADLINE_MILLIS = 3000;
    static final long RETRY_PERIOD_MILLIS = 1000;
    static final String HEAP_CAP = "-Xmx256m";
    /** Records in each shard: more than any member reads in a run, so no shard runs dry while it is measured. */
    static final int RECORDS_PER_SHARD = 1_000_000;
    static final long SPREAD_TIMEOUT_MILLIS = 180_000;
    static final String CLUSTER_LABEL_VALUE = "scaleout-cdc";
    /** Held: java.util.logging keeps its loggers weakly, and would forget the level. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    @Override
    public String id() {
        return "scaleout";
    }

    @Override
    public boolean needsLocalAws() {
        return false;
    }

    /** The endpoint options every member uses. */
    static String options() {
        return "clusterMode=BUCKETS&shardBuckets=" + BUCKETS + "&maxConcurrentShards=" + MAX_CONCURRENT_SHARDS
               + "&lanesPerShard=" + LANES;
    }

    /** Records/s one member can deliver at most: its records in the route at once, each taking the route's time. */
    static double memberCeiling() {
        return MAX_CONCURRENT_SHARDS * LANES * 1000.0 / ROUTE_MILLIS;
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING); // it logs every request at INFO
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        kubernetes.init();
        try (KubernetesClient client = kubernetes.createClient()) {
            Cluster cluster = new Cluster(h2, kubernetes, client, scale);
            Samples one = new Samples();
            Samples many = new Samples();
            Samples heapOne = new Samples();
            Samples heapMany = new Samples();
            Samples usedOne = new Samples();
            Samples usedMany = new Samples();
            Samples spreadOne = new Samples();
            Samples spreadMany = new Samples();
            List<String> notes = new ArrayList<>();
            for (int rep = 0; rep < scale.repetitions(); rep++) {
                Run single = cluster.run(1);
                Run three = cluster.run(MEMBERS);
                one.add(single.recordsPerSecond());
                many.add(three.recordsPerSecond());
                heapOne.add(single.largestHeldMb());
                heapMany.add(three.largestHeldMb());
                usedOne.add(single.largestUsedMb());
                usedMany.add(three.largestUsedMb());
                spreadOne.add(single.spreadSeconds());
                spreadMany.add(three.spreadSeconds());
                notes.add("Run " + (rep + 1) + ", 1 member: " + single.describe());
                notes.add("Run " + (rep + 1) + ", " + MEMBERS + " members: " + three.describe());
                System.err.printf(Locale.ROOT, "  scaleout run %d: 1 member %.0f records/s, %d members %.0f records/s"
                        + " (%.2fx); heap held %.1f MB against %.1f MB%n", rep + 1, single.recordsPerSecond(), MEMBERS,
                        three.recordsPerSecond(), three.recordsPerSecond() / single.recordsPerSecond(),
                        three.largestHeldMb(), single.largestHeldMb());
            }
            String name = "8. Scale-out";
            ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                    "A simulated stream (the fake behind the SDK's DynamoDbStreamsClient) of %d open shards, read from"
                    + " the oldest record by one member, then by %d members, into a route that sleeps %d ms per record;"
                    + " alternating. Each member is a JVM of its own (%s) with the same simulated stream (the records"
                    + " are the same in every member; each shard is read by the member that leads its bucket), the"
                    + " members of a run started together, with clusterMode=BUCKETS, shardBuckets=%d,"
                    + " maxConcurrentShards=%d and lanesPerShard=%d (otherwise defaults): a member has at most %d"
                    + " records in the route at once and delivers at most %s records/s, so one member is bounded by"
                    + " its own concurrency, not by the stream. Checkpoints in one H2 database (JdbcStateRepository, a"
                    + " conditional write per record) on a TCP server in the harness JVM; cluster service:"
                    + " camel-kubernetes' Kubernetes Leases (lease %d ms, renew deadline %d ms, retry period %d ms;"
                    + " bucketRebalanceInterval at its default) on the fabric8 Kubernetes mock server in the harness"
                    + " JVM, with a Running and Ready pod per member; the members, the H2 server and the mock share"
                    + " the machine's cores. Measured once the buckets are spread (each member leads floor(%d/n) or"
                    + " one more), %d s more have passed and the members have run for at least %d s (the same JIT"
                    + " warm-up for one member and for %d): the records every member delivers over the same %d s"
                    + " window (their sum for %d members); then each member's used heap after full collections, minus"
                    + " the same before its route started (the heap the route, the consumer and its cluster service"
                    + " hold; for %d members the largest of them).", SHARDS, MEMBERS, ROUTE_MILLIS, HEAP_CAP, BUCKETS,
                    MAX_CONCURRENT_SHARDS, LANES, MAX_CONCURRENT_SHARDS * LANES, Format.number(memberCeiling()),
                    LEASE_MILLIS, RENEW_DEADLINE_MILLIS, RETRY_PERIOD_MILLIS, BUCKETS, scale.scaleOutSettleSeconds(),
                    scale.scaleOutWarmUpSeconds(), MEMBERS, scale.windowSeconds(), MEMBERS, MEMBERS));
            result.figure(new Figure(name, "records/s, " + MEMBERS + " members (sum)", "records/s", many, "1 member",
                    one, Target.ratioAtLeast(SCALE_OUT), ROUTE_MILLIS + " ms route per record, " + SHARDS
                                                          + " shards"));
            result.figure(new Figure(name, "heap held per member, " + MEMBERS + " members (largest)", "MB", heapMany,
                    "1 member", heapOne, Target.ratioAtMost(FLAT_HEAP), "used after full GC, minus before the start"));
            result.figure(new Figure(name, "used heap per member, " + MEMBERS + " members (largest)", "MB", usedMany,
                    "1 member", usedOne, Target.none(), "the whole JVM, after full GC"));
            result.figure(new Figure(name, "seconds until the buckets are spread, " + MEMBERS + " members", "s",
                    spreadMany, "1 member", spreadOne, Target.none(), "from the members' start"));
            result.note(String.format(Locale.ROOT, "The ceiling of one member is %s records/s (%d records in the"
                    + " route at once, %d ms each); of %d members, %s records/s. A member's share of the %d shards"
                    + " follows the buckets it leads (a shard's bucket: CRC-32 of its id mod %d).",
                    Format.number(memberCeiling()), MAX_CONCURRENT_SHARDS * LANES, ROUTE_MILLIS, MEMBERS,
                    Format.number(MEMBERS * memberCeiling()), SHARDS, BUCKETS));
            result.note("Per member: buckets led, records/s over the window, most records in the route at once,"
                        + " checkpoint store reads/s and writes/s and CPU (share of one core) over the window, heap"
                        + " held and used (MB), shards being read at the window's end.");
            result.notes.addAll(notes);
            return result;
        } finally {
            kubernetes.destroy();
            h2.stop();
        }
    }

    /** Whether {@code buckets} (led per member) are spread: all led, each member floor(K/n) or one more. */
    static boolean spread(List<Integer> buckets, int total) {
        if (buckets.isEmpty() || buckets.stream().mapToInt(Integer::intValue).sum() != total) {
            return false;
        }
        int low = total / buckets.size();
        int high = low + (total % buckets.size() == 0 ? 0 : 1);
        return buckets.stream().allMatch(b -> b >= low && b <= high);
    }

    /** What one run measured: each member's result, and how long the buckets took to spread. */
    record Run(List<Map<String, Object>> members, double spreadSeconds) {

        double recordsPerSecond() {
            return sum("recordsPerSecond");
        }

        double sum(String key) {
            return members.stream().mapToDouble(m -> ChildJvm.number(m, key)).sum();
        }

        double largestHeldMb() {
            return members.stream().mapToDouble(m -> ChildJvm.number(m, "heapHeldMb")).max().orElse(Double.NaN);
        }

        double largestUsedMb() {
            return members.stream().mapToDouble(m -> ChildJvm.number(m, "heapUsedMb")).max().orElse(Double.NaN);
        }

        String describe() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "%s records/s in all, spread after %.1f s;", Format.number(recordsPerSecond()), spreadSeconds));
            for (Map<String, Object> m : members) {
                text.append(String.format(Locale.ROOT, " [%d buckets, %s records/s, at most %.0f in the route,"
                        + " checkpoints %s reads/s %s writes/s, CPU %.0f%%, heap held %.1f used %.1f, %d shards read]",
                        ((List<?>) m.get("bucketsAtEnd")).size(), Format.number(ChildJvm.number(m, "recordsPerSecond")),
                        ChildJvm.number(m, "maxInRoute"), Format.number(ChildJvm.number(m, "checkpointReadsPerSecond")),
                        Format.number(ChildJvm.number(m, "checkpointWritesPerSecond")),
                        100 * ChildJvm.number(m, "cpuShare"), ChildJvm.number(m, "heapHeldMb"),
                        ChildJvm.number(m, "heapUsedMb"), ((List<?>) m.get("shardsReading")).size()));
            }
            return text.toString();
        }
    }

    /** The shared pieces of the runs: the H2 server, the Kubernetes API, the sizes. */
    private static final class Cluster {

        private final Server h2;
        private final KubernetesMockServer kubernetes;
        private final KubernetesClient client;
        private final Scale scale;
        private final long created = System.currentTimeMillis();
        private int runs;

        Cluster(Server h2, KubernetesMockServer kubernetes, KubernetesClient client, Scale scale) {
            this.h2 = h2;
            this.kubernetes = kubernetes;
            this.client = client;
            this.scale = scale;
        }

        /**
         * One run of {@code n} members on a fresh checkpoint database and a fresh Kubernetes namespace: starts them,
         * waits until the buckets are spread, the settling time passed and the members ran for the warm-up time,
         * measures the window in every member at once, stops them.
         */
        Run run(int n) throws Exception {
            int id = ++runs;
            String namespace = "scaleout-" + id;
            String checkpoints = "jdbc:h2:tcp://localhost:" + h2.getPort() + "/mem:scaleout-" + id + "-"
                                 + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            List<ChildJvm.Running> members = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    runningReadyPod(namespace, "member-" + i);
                }
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    members.add(ChildJvm.start(ScaleOutMember.class, "member-" + i, List.of(HEAP_CAP), List.of(
                            Args.of("pod", "member-" + i), Args.of("k8s", kubernetes.url("/")),
                            Args.of("k8sNamespace", namespace), Args.of("clusterLabel", CLUSTER_LABEL_VALUE),
                            Args.of("checkpoints", checkpoints), Args.of("shards", SHARDS),
                            Args.of("recordsPerShard", RECORDS_PER_SHARD), Args.of("created", created),
                            Args.of("routeMillis", ROUTE_MILLIS), Args.of("leaseMillis", LEASE_MILLIS),
                            Args.of("renewDeadlineMillis", RENEW_DEADLINE_MILLIS),
                            Args.of("retryPeriodMillis", RETRY_PERIOD_MILLIS), Args.of("options", options()))));
                }
                double spreadSeconds = awaitSpread(members, start);
                settle(members, scale.scaleOutSettleSeconds(), start + scale.scaleOutWarmUpSeconds() * 1_000_000_000L);
                long window = scale.windowSeconds() * 1000L;
                for (ChildJvm.Running member : members) {
                    member.send(ScaleOutMember.WINDOW + " " + window);
                }
                List<Map<String, Object>> results = new ArrayList<>();
                for (ChildJvm.Running member : members) {
                    results.add(member.awaitResult(window / 1000 + 120));
                }
                for (ChildJvm.Running member : members) {
                    member.send(ScaleOutMember.STOP);
                }
                for (ChildJvm.Running member : members) {
                    member.awaitExit(120);
                }
                check(n, results);
                return new Run(results, spreadSeconds);
            } finally {
                members.forEach(ChildJvm.Running::close);
            }
        }

        /** Waits until every member reported its buckets and they are spread; returns the seconds it took. */
        private double awaitSpread(List<ChildJvm.Running> members, long start) throws InterruptedException {
            long deadline = start + SPREAD_TIMEOUT_MILLIS * 1_000_000L;
            while (System.nanoTime() < deadline) {
                List<Integer> buckets = buckets(members);
                if (buckets != null && spread(buckets, BUCKETS)) {
                    return (System.nanoTime() - start) / 1e9;
                }
                for (ChildJvm.Running member : members) {
                    if (!member.isAlive()) {
                        throw new IllegalStateException(member.name() + " ended before the buckets were spread");
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("The buckets were not spread over " + members.size() + " members within "
                                            + SPREAD_TIMEOUT_MILLIS / 1000 + " s: " + statuses(members));
        }

        /**
         * Waits {@code seconds} with the buckets spread (starting over when they move), and at least until
         * {@code notBefore} ({@link System#nanoTime()}).
         */
        private void settle(List<ChildJvm.Running> members, int seconds, long notBefore) throws InterruptedException {
            long deadline = System.nanoTime() + SPREAD_TIMEOUT_MILLIS * 1_000_000L;
            long since = System.nanoTime();
            List<Integer> last = buckets(members);
            while (System.nanoTime() - since < seconds * 1_000_000_000L || System.nanoTime() < notBefore) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The buckets did not stay spread for " + seconds + " s: "
                                                    + statuses(members));
                }
                Thread.sleep(100);
                List<Integer> now = buckets(members);
                if (now == null || !spread(now, BUCKETS) || !now.equals(last)) {
                    since = System.nanoTime();
                }
                last = now;
            }
        }

        private static List<Integer> buckets(List<ChildJvm.Running> members) {
            List<Integer> buckets = new ArrayList<>();
            for (ChildJvm.Running member : members) {
                Object led = member.status().get("buckets");
                if (!(led instanceof Number number)) {
                    return null;
                }
                buckets.add(number.intValue());
            }
            return buckets;
        }

        private static String statuses(List<ChildJvm.Running> members) {
            StringBuilder text = new StringBuilder();
            for (ChildJvm.Running member : members) {
                text.append(member.name()).append(' ').append(member.status()).append("; ");
            }
            return text.toString();
        }

        /** Every bucket led by one member during the whole window, and no shard read by two members. */
        private static void check(int n, List<Map<String, Object>> results) {
            Set<Object> buckets = new HashSet<>();
            Set<Object> shards = new HashSet<>();
            for (Map<String, Object> result : results) {
                if (!result.get("bucketsAtStart").equals(result.get("bucketsAtEnd"))) {
                    throw new IllegalStateException("A member's buckets moved during the window: " + results);
                }
                for (Object bucket : (List<?>) result.get("bucketsAtEnd")) {
                    if (!buckets.add(bucket)) {
                        throw new IllegalStateException("Bucket " + bucket + " led by two of " + n + " members: "
                                                        + results);
                    }
                }
                for (Object shard : (List<?>) result.get("shardsReading")) {
                    if (!shards.add(shard)) {
                        throw new IllegalStateException("Shard " + shard + " read by two of " + n + " members: "
                                                        + results);
                    }
                }
            }
            if (buckets.size() != BUCKETS) {
                throw new IllegalStateException("Only " + buckets.size() + " of " + BUCKETS + " buckets led: "
                                                + results);
            }
        }

        /** A pod as the kubelet reports a started and ready one, with the members' cluster label. */
        private void runningReadyPod(String namespace, String name) {
            Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                    .withLabels(Map.of(ScaleOutMember.CLUSTER_LABEL, CLUSTER_LABEL_VALUE)).endMetadata()
                    .withNewSpec().addNewContainer().withName("cdc").withImage("cdc:1").endContainer().endSpec()
                    .withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewContainerStatus().withName("cdc").withReady(true).withNewState().withNewRunning()
                    .endRunning().endState().endContainerStatus()
                    .endStatus().build();
            client.pods().inNamespace(namespace).resource(pod).create();
        }
    }
}
