package dev.ddbcdc.camel.cluster;

import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.KubernetesTestApi;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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

    static final long LEASE_MILLIS = KubernetesTestApi.LEASE_MILLIS;
    static final long RENEW_DEADLINE_MILLIS = KubernetesTestApi.RENEW_DEADLINE_MILLIS;
    static final long RETRY_PERIOD_MILLIS = KubernetesTestApi.RETRY_PERIOD_MILLIS;
    static final String NAMESPACE = KubernetesTestApi.K8S_NAMESPACE;
    static final Map<String, String> LABELS = KubernetesTestApi.CLUSTER_LABELS;

    private final KubernetesTestApi api;

    private KubernetesCluster(KubernetesTestApi api) {
        this.api = api;
    }

    /** Starts the mock server on a free loopback port. */
    static KubernetesCluster start() {
        return new KubernetesCluster(new KubernetesTestApi());
    }

    /** The members' cluster spec, {@code kubernetes:<url>|<namespace>|<lease>|<renew>|<retry>}. */
    String spec() {
        return "kubernetes:" + String.join("|", api.url(), NAMESPACE, Long.toString(LEASE_MILLIS),
                Long.toString(RENEW_DEADLINE_MILLIS), Long.toString(RETRY_PERIOD_MILLIS));
    }

    /** The Pod name of member {@code id}. */
    static String podName(int id) {
        return "member-" + id;
    }

    /** The cluster service of member {@code id} from the part of a spec after {@code kubernetes:}. */
    static KubernetesClusterService service(String spec, int id) {
        String[] f = spec.split("\\|");
        return KubernetesTestApi.service(f[0], f[1], podName(id), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]));
    }

    /** Creates member {@code id}'s Pod as the kubelet reports a started and ready one, with the cluster labels. */
    void runningReadyPod(int id) {
        api.runningReadyPod(podName(id), LABELS);
    }

    /** Deletes member {@code id}'s Pod, as Kubernetes does once its container died. */
    void deletePod(int id) {
        api.deletePod(podName(id));
    }

    List<Lease> leases() {
        return api.leases();
    }

    @Override
    public void close() {
        api.close();
    }
}
