package dev.ddbcdc.camel.cluster;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;

/**
 * The Kubernetes API of a cluster test: the fabric8 Kubernetes mock server in CRUD mode in the test JVM (it stores
 * the Pods and {@code coordination.k8s.io/v1} Leases it is sent, and refuses an update whose
 * {@code resourceVersion} is stale, as the API server does), and the test's hand on the Pods: a member's Pod is created
 * Running and Ready before the member starts, and deleted when the member is killed, as Kubernetes does when a
 * container dies. The members' cluster service is camel-kubernetes' {@code KubernetesClusterService} with the Pod name
 * {@code member-<id>} ({@link #service}); how it elects is told in {@code KubernetesStandbyTest}'s class comment.
 */
final class KubernetesCluster implements AutoCloseable {

    /** Short for a fast test; the service requires lease > renew deadline > jitter (1.2) x retry period. */
    static final long LEASE_MILLIS = 3000;
    static final long RENEW_DEADLINE_MILLIS = 2000;
    static final long RETRY_PERIOD_MILLIS = 500;
    static final String NAMESPACE = "orders";
    static final Map<String, String> LABELS = Map.of("app", "orders-cdc");

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private KubernetesCluster(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    /** Starts the mock server on a free loopback port. */
    static KubernetesCluster start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        server.init();
        return new KubernetesCluster(server);
    }

    /** The members' cluster spec, {@code kubernetes:<url>|<namespace>|<lease>|<renew>|<retry>}. */
    String spec() {
        return "kubernetes:" + String.join("|", server.url("/"), NAMESPACE, Long.toString(LEASE_MILLIS),
                Long.toString(RENEW_DEADLINE_MILLIS), Long.toString(RETRY_PERIOD_MILLIS));
    }

    /** The Pod name of member {@code id}. */
    static String podName(int id) {
        return "member-" + id;
    }

    /**
     * The cluster service of member {@code id} from the part of a spec after {@code kubernetes:}. Built on a
     * {@link KubernetesConfiguration}: the service's own master URL and namespace take effect only over one.
     */
    static KubernetesClusterService service(String spec, int id) {
        String[] f = spec.split("\\|");
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setMasterUrl(f[0]);
        configuration.setNamespace(f[1]);
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setId(podName(id));
        service.setPodName(podName(id));
        service.setClusterLabels(LABELS);
        service.setLeaseDurationMillis(Long.parseLong(f[2]));
        service.setRenewDeadlineMillis(Long.parseLong(f[3]));
        service.setRetryPeriodMillis(Long.parseLong(f[4]));
        return service;
    }

    /** Creates member {@code id}'s Pod as the kubelet reports a started and ready one, with the cluster labels. */
    void runningReadyPod(int id) {
        Pod pod = new PodBuilder().withNewMetadata().withName(podName(id)).withNamespace(NAMESPACE).withLabels(LABELS)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("cdc").withImage("orders-cdc:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("cdc").withReady(true).withNewState().withNewRunning().endRunning()
                .endState().endContainerStatus()
                .endStatus().build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    /** Deletes member {@code id}'s Pod, as Kubernetes does once its container died. */
    void deletePod(int id) {
        client.pods().inNamespace(NAMESPACE).withName(podName(id)).delete();
    }

    List<Lease> leases() {
        return client.leases().inNamespace(NAMESPACE).list().getItems();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
