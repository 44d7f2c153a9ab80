package dev.ddbcdc.camel.cluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.engine.CdcEngine;
import dev.ddbcdc.camel.stream.ShardOwnership;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelPreemptiveClusterService;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.cluster.RebalancingCamelClusterService;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clustered consumer whose shards are spread in buckets ({@code clusterMode=BUCKETS}): it joins one cluster
 * namespace per bucket ({@link ShardBuckets}) and, with a snapshot, one for the snapshot, each led through a
 * {@link Standby} of its own, with its own epoch in the checkpoint store. Camel's {@link RebalancingCamelClusterService}
 * spreads the namespaces over the members; each bucket's engine reads only that bucket's shards, a child whose parent
 * is in another bucket waiting for the parent's end in the shared store, and follows the snapshot the snapshot unit
 * takes.
 */
public final class Buckets implements Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Buckets.class);
    private static final String SNAPSHOT = "snapshot";

    /**
     * One unit: a bucket of shards (its {@code ownership}), or the snapshot ({@code ownership == null}).
     *
     * @param name      {@code bucket-07} or {@code snapshot}: its leader key and its name in logs and consoles
     * @param namespace its cluster namespace
     */
    public record Unit(String name, String namespace, ShardOwnership ownership) {
        public boolean isSnapshot() {
            return ownership == null;
        }
    }

    /** The engine of one unit's leadership, built by the consumer over the fenced checkpoints. */
    public interface UnitEngines {
        CdcEngine build(Unit unit, TableFacts table, StateRepository<String, String> fenced);
    }

    /** What the units share, from the consumer. */
    public record Setup(FencedStateRepository checkpoints, String consumerId, Supplier<TableFacts> describe,
                        UnitEngines engines, Standby.Failures failures, Clock clock) {
    }

    private final Setup setup;
    private final CamelClusterService service;
    private final RebalancingCamelClusterService ownRebalancer;
    private final List<Unit> units;
    private final String baseNamespace;
    /** Read by readiness checks and consoles while {@link #start} adds to it. */
    private final List<Standby> standbys = new CopyOnWriteArrayList<>();

    private Buckets(Setup setup, CamelClusterService service, RebalancingCamelClusterService ownRebalancer,
                    List<Unit> units, String baseNamespace) {
        this.setup = setup;
        this.service = service;
        this.ownRebalancer = ownRebalancer;
        this.units = units;
        this.baseNamespace = baseNamespace;
    }

    /**
     * The buckets over {@code service}: used as it is when it rebalances already, else wrapped in a rebalancing
     * service of this consumer's own that looks every {@code rebalanceMillis}.
     *
     * @throws IllegalArgumentException when the service cannot give a namespace up (ZooKeeper, file lock)
     */
    public static Buckets over(Setup setup, CamelClusterService service, CamelContext context, long rebalanceMillis,
                               ShardBuckets buckets, String baseNamespace, boolean snapshot) {
        RebalancingCamelClusterService own = null;
        CamelClusterService rebalancing = service;
        if (!(service instanceof RebalancingCamelClusterService)) {
            if (!(service instanceof CamelPreemptiveClusterService preemptive)) {
                throw new IllegalArgumentException("clusterMode=BUCKETS needs a cluster service that can give a"
                                                   + " namespace up to spread the buckets (a"
                                                   + " CamelPreemptiveClusterService: camel-kubernetes'"
                                                   + " KubernetesClusterService); "
                                                   + service.getClass().getName() + " is not one. Use clusterMode="
                                                   + "STANDBY with it, or the Kubernetes cluster service");
            }
            own = new OwnRebalancer(context, preemptive, rebalanceMillis);
            rebalancing = own;
        }
        List<Unit> units = new ArrayList<>();
        if (snapshot) {
            units.add(new Unit(SNAPSHOT, ShardBuckets.snapshotNamespace(baseNamespace), null));
        }
        for (int bucket = 0; bucket < buckets.count(); bucket++) {
            units.add(new Unit(buckets.unit(bucket), buckets.namespace(baseNamespace, bucket),
                    buckets.ownership(bucket)));
        }
        return new Buckets(setup, rebalancing, own, units, baseNamespace);
    }

    /** Joins every unit's namespace; {@code threads} makes each unit's leadership thread. */
    public void start(Function<String, ScheduledExecutorService> threads) throws Exception {
        for (Unit unit : units) {
            Standby standby = new Standby(setup.checkpoints(), setup.consumerId(), unit.name(), setup.describe(),
                    (table, fenced) -> setup.engines().build(unit, table, fenced), setup.failures(), setup.clock());
            standbys.add(standby);
            standby.start(new NamespaceLeadership(service, unit.namespace(), threads.apply(unit.name()), standby));
        }
        if (ownRebalancer != null) {
            ServiceHelper.startService(ownRebalancer);
        }
        LOG.info("Cluster namespaces {}-*: joined {} units ({} buckets{}); the rebalancing cluster service spreads"
                 + " them over the members", baseNamespace, units.size(), units.size() - (hasSnapshot() ? 1 : 0),
                hasSnapshot() ? " and the snapshot" : "");
    }

    private boolean hasSnapshot() {
        return !units.isEmpty() && units.get(0).isSnapshot();
    }

    @Override
    public void stopReading() {
        standbys.forEach(Standby::stopReading);
    }

    /**
     * Leaves every namespace: the rebalancing stops first (it would open them again), then each unit stops reading and
     * releases its view. A namespace this instance led is taken over by another member once this one is no longer a
     * member of the cluster (with Kubernetes: its pod is not Ready, which a stopped route's readiness check makes so,
     * or is gone) and its lease expired.
     */
    @Override
    public void stop(long awaitMillis) throws Exception {
        if (ownRebalancer != null) {
            ServiceHelper.stopService(ownRebalancer);
        }
        Exception first = null;
        for (Standby standby : standbys) {
            try {
                standby.stop(awaitMillis);
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * FAILED if a unit failed; else the least advanced phase of the units led (a snapshot unit that is DONE does not
     * count), STANDBY when none is.
     */
    @Override
    public Phase phase() {
        Phase least = null;
        for (int i = 0; i < standbys.size(); i++) {
            Standby standby = standbys.get(i);
            Phase phase = standby.phase();
            if (phase == Phase.FAILED) {
                return Phase.FAILED;
            }
            if (phase == Phase.STANDBY || units.get(i).isSnapshot() && phase == Phase.DONE) {
                continue;
            }
            least = least == null || phase.ordinal() < least.ordinal() ? phase : least;
        }
        return least == null ? Phase.STANDBY : least;
    }

    @Override
    public String failure() {
        for (Standby standby : standbys) {
            String failure = standby.failure() != null ? standby.failure()
                    : standby.isLeader() && standby.engine() != null ? standby.engine().failure() : null;
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    @Override
    public boolean isLeader() {
        return standbys.stream().anyMatch(Standby::isLeader);
    }

    @Override
    public long epoch() {
        return standbys.stream().mapToLong(Standby::epoch).max().orElse(0);
    }

    @Override
    public long refusedWrites() {
        return standbys.stream().mapToLong(Standby::refusedWrites).sum();
    }

    @Override
    public String memberId() {
        return standbys.isEmpty() ? service.getId() : standbys.get(0).memberId();
    }

    @Override
    public String namespace() {
        return baseNamespace;
    }

    @Override
    public List<CdcEngine> engines() {
        List<CdcEngine> engines = new ArrayList<>();
        standbys.forEach(s -> engines.addAll(s.engines()));
        return engines;
    }

    /** The engines of the units led now. */
    public List<CdcEngine> leading() {
        List<CdcEngine> engines = new ArrayList<>();
        standbys.stream().filter(Standby::isLeader).forEach(s -> engines.addAll(s.engines()));
        return engines;
    }

    @Override
    public List<String> led() {
        List<String> led = new ArrayList<>();
        standbys.forEach(s -> led.addAll(s.led()));
        return led;
    }

    /** How many units there are: the buckets, and the snapshot's. */
    public int unitCount() {
        return units.size();
    }

    /**
     * Camel's rebalancing over a cluster service the consumer does not own: it stops its own rebalancing only, never
     * the service, which the CamelContext (and its other users) keep.
     */
    private static final class OwnRebalancer extends RebalancingCamelClusterService {
        OwnRebalancer(CamelContext context, CamelPreemptiveClusterService delegate, long periodMillis) {
            super(context, delegate, periodMillis);
        }

        @Override
        protected void doStop() {
            if (serializedExecutor != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(serializedExecutor);
                serializedExecutor = null;
            }
        }
    }
}
