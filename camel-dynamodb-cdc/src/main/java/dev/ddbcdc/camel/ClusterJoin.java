package dev.ddbcdc.camel;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import dev.ddbcdc.camel.cluster.Buckets;
import dev.ddbcdc.camel.cluster.ClusterNamespace;
import dev.ddbcdc.camel.cluster.Membership;
import dev.ddbcdc.camel.cluster.NamespaceLeadership;
import dev.ddbcdc.camel.cluster.ShardBuckets;
import dev.ddbcdc.camel.cluster.Standby;
import dev.ddbcdc.camel.engine.CdcEngine;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a clustered consumer joins its cluster, from its options: one namespace to stand by in
 * ({@code clusterMode=STANDBY}, {@link Standby}), or a namespace per bucket of shards and one for the snapshot
 * ({@code clusterMode=BUCKETS}, {@link Buckets}), on the configured cluster service or the context's single one.
 */
final class ClusterJoin {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterJoin.class);

    /**
     * What the consumer gives the cluster.
     *
     * @param engines  builds an engine over the fenced checkpoints: of the whole consumer ({@code unit == null}) or of
     *                 one unit
     * @param failures the consumer's exception handler
     * @param threads  a single-thread scheduled executor for one namespace's leadership, shut down with the consumer
     */
    record Host(Engines engines, Supplier<TableFacts> describe, Standby.Failures failures,
                Function<String, ScheduledExecutorService> threads) {
    }

    /** The consumer's engine factory. */
    interface Engines {
        CdcEngine build(TableFacts table, StateRepository<String, String> fenced, Buckets.Unit unit);
    }

    private ClusterJoin() {
    }

    /**
     * Joins the cluster.
     *
     * @param created told of the membership before it joins (and may be elected), so that a start that fails midway
     *                leaves it to be stopped
     */
    static void join(DynamoDbCdcConfiguration configuration, CamelContext context, String tableName,
                     StateRepository<String, String> checkpoints, Host host, Consumer<Membership> created)
            throws Exception {
        if (!(checkpoints instanceof FencedStateRepository fencing)) {
            throw new IllegalArgumentException("Standby (clusterService/clustered) needs a checkpointRepository that"
                                               + " several instances can share safely, a FencedStateRepository:"
                                               + " JdbcStateRepository or DynamoDbStateRepository (any hosts),"
                                               + " FileCheckpointRepository (processes of one host); "
                                               + (configuration.getCheckpointRepository() == null ? "none is set"
                                                       : checkpoints.getClass().getName() + " is not one"));
        }
        CamelClusterService service = clusterService(configuration, context);
        String namespace = configuration.getClusterNamespace() != null ? configuration.getClusterNamespace()
                : ClusterNamespace.derive(configuration.getConsumerId(), tableName);
        String serviceName = service.getId() != null ? service.getId() : service.getClass().getSimpleName();
        if (configuration.isBucketsEnabled()) {
            Buckets buckets = Buckets.over(new Buckets.Setup(fencing, configuration.getConsumerId(), host.describe(),
                            (unit, table, fenced) -> host.engines().build(table, fenced, unit), host.failures(),
                            Clock.systemUTC()),
                    service, context, configuration.getBucketRebalanceInterval(),
                    new ShardBuckets(configuration.getShardBuckets()), namespace, configuration.isSnapshotEnabled());
            LOG.info("Table {}: reading the shards of the buckets this instance leads, {} buckets in cluster"
                     + " namespaces {}-b* of {}", tableName, configuration.getShardBuckets(), namespace, serviceName);
            created.accept(buckets);
            buckets.start(host.threads());
            return;
        }
        Standby waiting = new Standby(fencing, configuration.getConsumerId(), host.describe(),
                (table, fenced) -> host.engines().build(table, fenced, null), host.failures(), Clock.systemUTC());
        LOG.info("Table {}: standing by in cluster namespace {} of {}; reading begins when this instance leads",
                tableName, namespace, serviceName);
        created.accept(waiting);
        waiting.start(new NamespaceLeadership(service, namespace, host.threads().apply("consumer"), waiting));
    }

    /** The clusterService option, else the single cluster service of the context (as the clustered route policy). */
    private static CamelClusterService clusterService(DynamoDbCdcConfiguration configuration, CamelContext context)
            throws Exception {
        CamelClusterService service = configuration.getClusterService();
        if (service == null) {
            service = ClusterServiceHelper.lookupService(context)
                    .or(() -> Optional.ofNullable(context.getRegistry().findSingleByType(CamelClusterService.class)))
                    .orElseThrow(() -> new IllegalArgumentException("clustered=true but the CamelContext has no single"
                                                                    + " cluster service: add one (camel-zookeeper,"
                                                                    + " camel-kubernetes, camel-file) or name it with"
                                                                    + " clusterService=#<bean>"));
        }
        if (!context.hasService(service)) {
            context.addService(service, true, true); // started now, stopped with the context
        }
        return service;
    }
}
