package dev.ddbcdc.camel;

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
 * A Kubernetes API in the test JVM: the fabric8 Kubernetes mock server in CRUD mode (it stores what it is sent: Pods
 * and {@code coordination.k8s.io/v1} Leases), the pods of the members as the kubelet reports started and ready ones,
 * and camel-kubernetes' cluster service of each member on it.
 * <p>
 * How camel-kubernetes 4.18 elects: every member reads the Lease {@code leaders-<namespace>} and lists the Pods of its
 * Kubernetes namespace that carry the cluster labels; the Running and Ready ones are the members. A Lease whose holder
 * is such a member is valid whatever its renew time says; a member takes a Lease that is empty (at once) or whose
 * holder is no longer a member (then waits one lease duration before it leads, for the old leader to stop).
 */
public final class KubernetesTestApi implements AutoCloseable {

    /** Short for a fast test; the service requires lease > renew deadline > jitter (1.2) x retry period. */
    public static final long LEASE_MILLIS = 3000;
    public static final long RENEW_DEADLINE_MILLIS = 2000;
    public static final long RETRY_PERIOD_MILLIS = 500;
    public static final String K8S_NAMESPACE = "orders";
    public static final Map<String, String> CLUSTER_LABELS = Map.of("app", "orders-cdc");

    final KubernetesMockServer server;
    final KubernetesClient client;

    public KubernetesTestApi() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        server.init();
        client = server.createClient();
    }

    /** A pod as the kubelet reports a started and ready one, carrying {@code labels}. */
    public void runningReadyPod(String name, Map<String, String> labels) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(K8S_NAMESPACE).withLabels(labels)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("cdc").withImage("orders-cdc:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("cdc").withReady(true).withNewState().withNewRunning().endRunning()
                .endState().endContainerStatus()
                .endStatus().build();
        client.pods().inNamespace(K8S_NAMESPACE).resource(pod).create();
    }

    /** Kubernetes removes a terminated pod. */
    public void deletePod(String name) {
        client.pods().inNamespace(K8S_NAMESPACE).withName(name).delete();
    }

    /**
     * The cluster service of one pod. Built on a {@link KubernetesConfiguration}: in camel-kubernetes 4.18 the
     * service's own {@code setMasterUrl}/{@code setNamespace} are applied only over a configuration given to its
     * constructor (without one it builds the default client, which finds the API from the environment, as in a pod).
     */
    KubernetesClusterService cluster(String podName) {
        return service(url(), K8S_NAMESPACE, podName, LEASE_MILLIS, RENEW_DEADLINE_MILLIS, RETRY_PERIOD_MILLIS);
    }

    /** The cluster service of one pod on the API at {@code masterUrl} (in this JVM or, for a child, the parent's). */
    public static KubernetesClusterService service(String masterUrl, String k8sNamespace, String podName,
                                                   long leaseMillis, long renewDeadlineMillis,
                                                   long retryPeriodMillis) {
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setMasterUrl(masterUrl);
        configuration.setNamespace(k8sNamespace);
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setId(podName);
        service.setPodName(podName);
        service.setClusterLabels(CLUSTER_LABELS);
        service.setLeaseDurationMillis(leaseMillis);
        service.setRenewDeadlineMillis(renewDeadlineMillis);
        service.setRetryPeriodMillis(retryPeriodMillis);
        return service;
    }

    public List<Lease> leases() {
        return client.leases().inNamespace(K8S_NAMESPACE).list().getItems();
    }

    /** The API's URL, for a cluster service built from it in another JVM. */
    public String url() {
        return server.url("/");
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
