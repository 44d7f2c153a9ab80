package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static dev.ddbcdc.camel.StandbyTest.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standby on the third engine: camel-kubernetes' Kubernetes Leases cluster service, against the fabric8
 * Kubernetes mock server in CRUD mode (a Kubernetes API in the test JVM that stores what it is sent: Pods and
 * {@code coordination.k8s.io/v1} Leases). Two instances, each with its own cluster service and pod name, share
 * checkpoints in one database and one DynamoDB Local table: one reads, the other stands by and takes over once the
 * leader's pod is gone.
 * <p>
 * How camel-kubernetes 4.18 elects: every member reads the Lease {@code leaders-<namespace>} and lists the Pods of its
 * Kubernetes namespace that carry the cluster labels; the Running and Ready ones are the members. A Lease whose holder
 * is such a member is valid whatever its renew time says; a member takes a Lease that is empty (at once) or whose
 * holder is no longer a member (then waits one lease duration before it leads, for the old leader to stop). A stopped
 * route releases its view but does not empty the Lease, so in Kubernetes the takeover starts when the old leader's pod
 * is deleted or no longer Ready; the test deletes the pod, as Kubernetes does when a pod terminates.
 */
class KubernetesStandbyTest {

    static final long LEASE_MILLIS = KubernetesTestApi.LEASE_MILLIS;
    static final long RETRY_PERIOD_MILLIS = KubernetesTestApi.RETRY_PERIOD_MILLIS;
    static final String K8S_NAMESPACE = KubernetesTestApi.K8S_NAMESPACE;
    static final Map<String, String> CLUSTER_LABELS = KubernetesTestApi.CLUSTER_LABELS;

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;
    static KubernetesTestApi api;
    static KubernetesMockServer kubernetes;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        ddb = local.get();
        api = new KubernetesTestApi();
        kubernetes = api.server;
        client = api.client;
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static void runningReadyPod(String name, Map<String, String> labels) {
        api.runningReadyPod(name, labels);
    }

    static KubernetesClusterService cluster(String podName) {
        return api.cluster(podName);
    }

    CdcHarness instance(String table, String podName, String db) throws Exception {
        return new CdcHarness().bind("checkpoints", StandbyTest.sharedCheckpoints(db)).bind("cluster", cluster(podName))
                .start(CdcHarness.uri(ddb, table, "startPosition=TRIM_HORIZON&checkpointRepository=#checkpoints"
                                                  + "&clusterService=#cluster"));
    }

    static void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    static List<Lease> leases() {
        return api.leases();
    }

    @Test
    void oneInstanceReadsTheOtherStandsByAndTakesOverOnceTheLeadersPodIsGone() throws Exception {
        String table = "k8s-standby";
        String db = "k8s-standby-" + UUID.randomUUID();
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
        runningReadyPod("orders-cdc-0", CLUSTER_LABELS);
        runningReadyPod("orders-cdc-1", CLUSTER_LABELS);
        runningReadyPod("billing-0", Map.of("app", "billing")); // ready, but without the cluster labels: no member

        try (CdcHarness a = instance(table, "orders-cdc-0", db); CdcHarness b = instance(table, "orders-cdc-1", db)) {
            CdcHarness.awaitCondition(() -> a.consumer().getPhase() == Phase.STREAMING
                                            || b.consumer().getPhase() == Phase.STREAMING, Duration.ofSeconds(20),
                    () -> "a leader; phases " + a.consumer().getPhase() + ", " + b.consumer().getPhase());
            CdcHarness leader = a.consumer().getPhase() == Phase.STREAMING ? a : b;
            CdcHarness standby = leader == a ? b : a;
            standby.awaitPhase(Phase.STANDBY, Duration.ofSeconds(10));
            assertTrue(leader.consumer().isLeader());
            assertFalse(standby.consumer().isLeader());
            assertEquals(1, leader.consumer().getEpoch());
            String leaderPod = leader.consumer().getClusterMember();
            String standbyPod = standby.consumer().getClusterMember();
            assertNotEquals(leaderPod, standbyPod);
            String namespace = leader.consumer().getClusterNamespace();
            assertEquals("dynamodb-cdc-default-" + table, namespace);
            assertEquals(namespace, standby.consumer().getClusterNamespace());

            // the Lease in the Kubernetes API names the leader's pod; the members are the labelled ready pods
            List<Lease> leases = leases();
            assertEquals(1, leases.size(), "one Lease in the namespace: " + leases);
            Lease lease = leases.get(0);
            assertEquals("leaders-" + namespace, lease.getMetadata().getName());
            assertEquals(leaderPod, lease.getSpec().getHolderIdentity());
            KubernetesClusterService standbyService = standby.context.getRegistry()
                    .lookupByNameAndType("cluster", KubernetesClusterService.class);
            CdcHarness.awaitCondition(() -> leaderPod.equals(leaderSeenBy(standbyService, namespace))
                                            && members(standbyService, namespace).size() == 2,
                    Duration.ofSeconds(5), () -> "the standby's view: leader " + leaderSeenBy(standbyService, namespace)
                                                 + ", members " + members(standbyService, namespace));
            assertEquals(Set.of("orders-cdc-0", "orders-cdc-1"), members(standbyService, namespace));

            for (int i = 0; i < 20; i++) {
                put(table, "a" + i);
            }
            leader.await(20, Duration.ofSeconds(20));
            standby.assertNoMoreThan(0, Duration.ofMillis(500));

            // the leader's route stops; its pod is still Running and Ready, so its Lease still counts
            leader.context.stop();
            Thread.sleep(LEASE_MILLIS + 2 * RETRY_PERIOD_MILLIS);
            assertEquals(Phase.STANDBY, standby.consumer().getPhase(),
                    "no takeover while the old leader's pod is ready");
            assertEquals(leaderPod, leases().get(0).getSpec().getHolderIdentity());

            // Kubernetes removes the terminated pod: the standby takes the Lease and, one lease duration later, leads
            long deleted = System.nanoTime();
            client.pods().inNamespace(K8S_NAMESPACE).withName(leaderPod).delete();
            standby.awaitPhase(Phase.STREAMING, Duration.ofMillis(2 * LEASE_MILLIS + 2000));
            long takeoverMillis = Duration.ofNanos(System.nanoTime() - deleted).toMillis();
            System.out.println("takeover " + takeoverMillis + " ms after the leader's pod was deleted");
            assertTrue(takeoverMillis <= 2 * LEASE_MILLIS + 1000, "takeover in " + takeoverMillis + " ms");
            assertTrue(standby.consumer().isLeader());
            assertEquals(2, standby.consumer().getEpoch());
            Lease taken = leases().get(0);
            assertEquals(standbyPod, taken.getSpec().getHolderIdentity());
            assertEquals(1, taken.getSpec().getLeaseTransitions());

            for (int i = 0; i < 20; i++) {
                put(table, "b" + i);
            }
            standby.await(20, Duration.ofSeconds(20));
            Thread.sleep(300);
            Set<String> delivered = keys(leader.received);
            delivered.addAll(keys(standby.received));
            assertEquals(40, delivered.size(), "every change delivered by one of the two");
            assertTrue(keys(standby.received).stream().allMatch(k -> k.startsWith("b")),
                    "the new leader resumed after what the first one acknowledged: " + keys(standby.received));
        }

        // what the API saw, as RBAC verbs: the cluster services' requests plus this test's own (creating the pods,
        // listing the Leases, deleting a pod); no watch, no patch (docs/standby.md lists the service account's rules)
        Set<String> verbs = new TreeSet<>();
        for (RecordedRequest request; (request = kubernetes.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
            verbs.add(verb(request));
        }
        Set<String> byTheTest = Set.of("create pods", "list leases", "delete pods");
        assertEquals(new TreeSet<>(Set.of("get leases", "create leases", "update leases", "list pods")),
                verbs.stream().filter(v -> !byTheTest.contains(v)).collect(Collectors.toCollection(TreeSet::new)),
                "the Kubernetes API requests of the cluster services");
    }

    /** A request to a namespaced resource as its RBAC verb and resource: "get leases", "list pods", "watch pods"... */
    static String verb(RecordedRequest request) {
        String path = request.getPath();
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        String[] segments = (path.contains("?") ? path.substring(0, path.indexOf('?')) : path).split("/");
        int at = List.of(segments).indexOf("namespaces");
        String resource = segments[at + 2];
        boolean named = segments.length > at + 3;
        String verb = switch (request.getMethod()) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            default -> request.getMethod().toLowerCase(java.util.Locale.ROOT);
        };
        return verb + " " + resource;
    }

    /** The members the service's view of {@code namespace} knows (the view the consumer joined; not retained). */
    private static Set<String> members(KubernetesClusterService service, String namespace) {
        return view(service, namespace).getMembers().stream().map(CamelClusterMember::getId).collect(Collectors.toSet());
    }

    private static String leaderSeenBy(KubernetesClusterService service, String namespace) {
        return view(service, namespace).getLeader().map(CamelClusterMember::getId).orElse(null);
    }

    private static CamelClusterView view(KubernetesClusterService service, String namespace) {
        try {
            CamelClusterView view = service.getView(namespace);
            service.releaseView(view);
            return view;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
