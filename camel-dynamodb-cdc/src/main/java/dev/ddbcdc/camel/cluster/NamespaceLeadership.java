package dev.ddbcdc.camel.cluster;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's leadership of its namespace in a Camel cluster service (ZooKeeper, Kubernetes Leases, a file lock:
 * any implementation). The cluster service says who leads; this class turns its events into exactly one
 * {@link Listener#elected()} and one {@link Listener#deposed()} per leadership, on one thread of its own, in order.
 * <p>
 * Every event, whatever it says, only schedules a reconciliation that reads the view's current state, so events that
 * arrive late, twice or out of order cannot start a second reading. A fenced write refused by the checkpoint store
 * ({@link #fenced()}) deposes this instance even while its view still says it leads (a stalled JVM whose session
 * expired while it was stopped); it leads again only after the view has seen another leader or none.
 */
public final class NamespaceLeadership implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceLeadership.class);

    /** What the consumer does when it takes and loses the lead. Both run on the leadership thread. */
    public interface Listener {
        void elected();

        void deposed();
    }

    private final CamelClusterService service;
    private final String namespace;
    private final ExecutorService serial;
    private final Listener listener;
    private volatile CamelClusterView view;
    private volatile boolean running;
    /** Written and read on the leadership thread only. */
    private boolean leading;
    private volatile boolean fencedOut;

    /** @param serial a single-thread executor; every transition runs there */
    public NamespaceLeadership(CamelClusterService service, String namespace, ExecutorService serial, Listener listener) {
        this.service = service;
        this.namespace = namespace;
        this.serial = serial;
        this.listener = listener;
    }

    /** Joins the namespace; the listener hears {@code elected()} once the cluster service makes this one the leader. */
    public void start() throws Exception {
        running = true;
        CamelClusterView joined = service.getView(namespace);
        view = joined;
        joined.addEventListener(this);
        serial.submit(this::reconcile);
    }

    @Override
    public void leadershipChanged(CamelClusterView changed, CamelClusterMember leader) {
        if (leader == null || !leader.isLocal()) {
            fencedOut = false;
        }
        if (running) {
            serial.submit(this::reconcile);
        }
    }

    /** The checkpoint store refused a write of this leader's epoch: another instance leads. */
    public void fenced() {
        fencedOut = true;
        if (running) {
            serial.submit(this::reconcile);
        }
    }

    private void reconcile() {
        CamelClusterView current = view;
        boolean lead = running && current != null && !fencedOut && current.getLocalMember().isLeader();
        if (lead == leading) {
            return;
        }
        leading = lead;
        if (lead) {
            LOG.info("Cluster namespace {}: this instance ({}) leads", namespace, memberId());
            listener.elected();
        } else {
            LOG.info("Cluster namespace {}: this instance ({}) no longer leads{}", namespace, memberId(),
                    fencedOut ? " (its checkpoint write was refused: another instance took a newer epoch)" : "");
            listener.deposed();
        }
    }

    /**
     * Stops reading if leading ({@code deposed()} runs, waited for), and leaves the namespace, so another member can
     * take the lead.
     */
    public void stop(long awaitMillis) throws Exception {
        running = false;
        Future<?> last = serial.submit(this::reconcile);
        try {
            last.get(awaitMillis, TimeUnit.MILLISECONDS);
        } finally {
            CamelClusterView joined = view;
            view = null;
            if (joined != null) {
                joined.removeEventListener(this);
                service.releaseView(joined);
            }
        }
    }

    /** This member's id in the cluster service, or the service's id before the view exists. */
    public String memberId() {
        CamelClusterView current = view;
        return current != null ? current.getLocalMember().getId() : service.getId();
    }

    public String namespace() {
        return namespace;
    }

    /** Whether the cluster service says this member leads (its view; the consumer may still be taking over). */
    public boolean viewSaysLeader() {
        CamelClusterView current = view;
        return current != null && current.getLocalMember().isLeader();
    }
}
