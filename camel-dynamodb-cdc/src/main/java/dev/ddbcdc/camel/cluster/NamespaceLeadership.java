package dev.ddbcdc.camel.cluster;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
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
 * expired while it was stopped): it gives the lead up in the cluster service, and leads again only once its view has
 * said it is not the leader and then elects it again.
 */
public final class NamespaceLeadership implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceLeadership.class);
    /** How long a view stopped while leading may take to let the lead go before this member joins again. */
    private static final long LET_GO_MILLIS = 10_000;
    private static final long LET_GO_POLL_MILLIS = 20;

    /** What the consumer does when it takes and loses the lead. Both run on the leadership thread. */
    public interface Listener {
        void elected();

        void deposed();
    }

    private final CamelClusterService service;
    private final String namespace;
    private final ScheduledExecutorService serial;
    private final Listener listener;
    private volatile CamelClusterView view;
    private volatile boolean running;
    /** Written and read on the leadership thread only. */
    private boolean leading;
    /** Set by a fenced write; cleared once the view has said this member does not lead. */
    private volatile boolean fencedOut;
    /** Set when taking over failed: the lead is given up, and this member joins again after {@link #rejoinDelay}. */
    private volatile boolean givenUp;
    private volatile long rejoinDelay;

    /** @param serial a single-thread scheduled executor; every transition runs there */
    public NamespaceLeadership(CamelClusterService service, String namespace, ScheduledExecutorService serial,
                               Listener listener) {
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

    /**
     * Taking over failed ({@code elected()} could not start reading): gives the lead up, so another member can try,
     * and stands for election again after {@code retryAfterMillis}. Called on the leadership thread.
     */
    public void giveUp(long retryAfterMillis) {
        givenUp = true;
        rejoinDelay = retryAfterMillis;
        serial.submit(this::reconcile);
    }

    private void reconcile() {
        CamelClusterView current = view;
        boolean viewSaysLeader = current != null && current.getLocalMember().isLeader();
        if (!viewSaysLeader) {
            fencedOut = false; // the lead was given up: the next election counts again
        }
        boolean lead = running && viewSaysLeader && !fencedOut && !givenUp;
        if (lead == leading) {
            return;
        }
        leading = lead;
        if (lead) {
            LOG.info("Cluster namespace {}: this instance ({}) leads", namespace, memberId());
            listener.elected();
        } else {
            LOG.info("Cluster namespace {}: this instance ({}) no longer leads{}", namespace, memberId(),
                    fencedOut ? " (its checkpoint write was refused: another instance took a newer epoch)"
                            : givenUp ? " (it could not take over; it stands for election again in " + rejoinDelay
                                        + " ms)" : "");
            listener.deposed();
            if (running && !givenUpByRebalancing(current)) {
                rejoin();
            }
        }
    }

    /**
     * Whether the lead went because a rebalancing service disabled the view (it spreads namespaces over members): the
     * view gives the lead up by itself and stands for election again once enabled, so it must not be restarted, which
     * would stop camel-kubernetes' view while it releases its Lease and make it take the Lease back.
     */
    private boolean givenUpByRebalancing(CamelClusterView current) {
        return current instanceof CamelPreemptiveClusterView preemptive && preemptive.isDisabled() && !fencedOut
               && !givenUp;
    }

    /**
     * Leaves the namespace and joins it again, so that this instance stands for election once more. Needed because
     * some cluster services do not queue a member again by themselves once it lost the lead (camel-zookeeper's view
     * after its session expired), and because a member whose write was fenced while its view still says it leads must
     * give the lead up for another member to take it. It joins again only once its view no longer says it leads (a
     * view stopped while leading lets go of the lead asynchronously, and a join before that would be lost).
     */
    private void rejoin() {
        try {
            service.stopView(namespace);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LET_GO_MILLIS);
            while (viewSaysLeader() && System.nanoTime() < deadline && running) {
                Thread.sleep(LET_GO_POLL_MILLIS);
            }
            if (viewSaysLeader()) {
                LOG.warn("Cluster namespace {}: the view of {} still says this instance leads {} ms after it was"
                         + " stopped; no other instance can take the lead until it lets go", namespace,
                        service.getId(), LET_GO_MILLIS);
            }
            if (givenUp) {
                serial.schedule(this::joinAgain, rejoinDelay, TimeUnit.MILLISECONDS);
            } else if (running) {
                service.startView(namespace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Cluster namespace {}: could not join again after losing the lead ({}); this instance stands by"
                     + " until its route restarts", namespace, e.getMessage(), e);
        }
    }

    private void joinAgain() {
        givenUp = false;
        if (!running) {
            return;
        }
        try {
            service.startView(namespace);
        } catch (Exception e) {
            LOG.warn("Cluster namespace {}: could not join again ({}); this instance stands by until its route"
                     + " restarts", namespace, e.getMessage(), e);
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
