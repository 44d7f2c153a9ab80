package dev.ddbcdc.camel;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.aws.AwsAttemptMetrics;
import dev.ddbcdc.camel.aws.AwsConnections;
import dev.ddbcdc.camel.aws.TableReference;
import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.cluster.ClusterNamespace;
import dev.ddbcdc.camel.cluster.NamespaceLeadership;
import dev.ddbcdc.camel.cluster.Standby;
import dev.ddbcdc.camel.engine.CdcEngine;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Closeables;
import dev.ddbcdc.camel.flow.SerialLanes;
import dev.ddbcdc.camel.metrics.MeterSource;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.camel.stream.LaneDispatcher;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.ShardOwnership;
import dev.ddbcdc.camel.stream.ShardStatus;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dynamodb-cdc} consumer: the Camel side of the {@link CdcEngine}. It builds the engine from the endpoint's
 * options (the AWS clients, the checkpoint stores, a thread pool from Camel's executor service manager), starts and
 * stops it with the route, delivers each change as one exchange ({@link ExchangeDelivery}), and exposes readiness
 * and meters.
 */
public class DynamoDbCdcConsumer extends DefaultConsumer implements HealthCheckAware {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCdcConsumer.class);
    /**
     * How long the engine's stop waits for its tasks: not at all, because the pool's graceful shutdown that follows
     * waits for them, and the engine's flush after it writes what they acknowledged.
     */
    private static final long STOP_AWAIT_MILLIS = 0;
    /** How long leaving the cluster at stop waits for the leadership thread to stop the engine. */
    private static final long LEAVE_AWAIT_MILLIS = 30_000;

    private final DynamoDbCdcConfiguration configuration;
    private final StreamMetrics metrics = new StreamMetrics();
    private final SnapshotMetrics snapshotMetrics = new SnapshotMetrics();
    private final AwsAttemptMetrics awsAttempts = new AwsAttemptMetrics();
    private volatile CdcEngine engine;
    private AwsConnections connections;
    private ScheduledExecutorService executor;
    private volatile Standby standby;
    private ExecutorService lanePool;
    private SerialLanes lanes;
    private ScheduledExecutorService leadershipThread;
    private HealthCheck healthCheck;
    private AutoCloseable meters;

    public DynamoDbCdcConsumer(DynamoDbCdcEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    public DynamoDbCdcEndpoint getEndpoint() {
        return (DynamoDbCdcEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        engine = null;
        standby = null;
        String tableName = TableReference.parse(configuration.getTable()).name();
        connections = new AwsConnections(configuration.awsOptions(), awsAttempts, configuration.getDynamoDbClient(),
                configuration.getDynamoDbStreamsClient(), configuration.getS3Client());
        try {
            TableFacts table = describe(tableName); // also when standing by: a wrong table fails the start
            StateRepository<String, String> checkpoints = checkpointRepository(tableName);
            ServiceHelper.startService(checkpoints, configuration.getIdempotentRepository());
            boolean snapshot = configuration.isSnapshotEnabled();
            int threads = snapshot ? Math.max(configuration.getMaxConcurrentShards(), configuration.snapshotThreads())
                    : configuration.getMaxConcurrentShards();
            if (configuration.getBatchSize() > 1) {
                // the batch window's timers run here too: a thread that the data file loaders, which wait for their
                // items' acknowledgements, cannot all take
                threads++;
            }
            executor = executors().newScheduledThreadPool(this, "DynamoDbCdc[" + tableName + "]", threads);
            if (configuration.getLanesPerShard() > 1) {
                lanePool = executors().newFixedThreadPool(this, "DynamoDbCdcLanes[" + tableName + "]",
                        configuration.getLanesPerShard() * configuration.getMaxConcurrentShards());
                lanes = new SerialLanes(lanePool, e -> LOG.warn("Table {}: a lane's task failed: {}", tableName,
                        e.getMessage(), e));
            }
            meters = MetricsRegistration.register(getEndpoint().getCamelContext(),
                    new MeterSource(tableName, configuration.getConsumerId(), getRouteId(), metrics,
                            snapshot ? snapshotMetrics : null, awsAttempts, this::getPhase,
                            configuration.isStandbyEnabled() ? clusterMeters() : null));
            if (configuration.isStandbyEnabled()) {
                standBy(tableName, checkpoints);
            } else {
                engine = newEngine(table, checkpoints);
                engine.start();
            }
            LOG.debug("Table {}: consumer started (acknowledgments={})", tableName, configuration.isAcknowledgments());
        } catch (Exception e) {
            stopStandby();
            if (executor != null) {
                executors().shutdownNow(executor);
                executor = null;
            }
            if (lanePool != null) {
                executors().shutdownNow(lanePool);
                lanePool = null;
                lanes = null;
            }
            Closeables.closeQuietly(meters);
            meters = null;
            connections.close();
            throw e;
        }
    }

    private MeterSource.Cluster clusterMeters() {
        return new MeterSource.Cluster() {
            @Override
            public boolean leader() {
                return isLeader();
            }

            @Override
            public long epoch() {
                return getEpoch();
            }

            @Override
            public long refusedCheckpointWrites() {
                return getRefusedCheckpointWrites();
            }
        };
    }

    private TableFacts describe(String tableName) {
        return TableFacts.describe(connections.table(), tableName, configuration.getViewOnRemove(),
                !configuration.isSnapshotOnly());
    }

    /** The engine over {@code checkpoints}: the repository itself, or a leader's fenced view of it. */
    private CdcEngine newEngine(TableFacts table, StateRepository<String, String> checkpoints) {
        String tableName = table.tableName();
        CheckpointKeys first = new CheckpointKeys(configuration.getConsumerId(), table.checkpointArn());
        CheckpointKeys keys = first.of(new ShardCheckpointStore(checkpoints, first).generation());
        boolean snapshot = configuration.isSnapshotEnabled();
        // a batch or a lane's record of this engine's run is sent only while that run goes on
        AtomicReference<CdcEngine> built = new AtomicReference<>();
        BooleanSupplier running = () -> built.get() != null && built.get().isRunning();
        ExchangeDelivery.Batching batching = configuration.getBatchSize() < 2 ? null
                : new ExchangeDelivery.Batching(configuration.getBatchSize(), configuration.getBatchWindow(),
                        configuration.isBisectBatchOnError(), executor, running);
        ExchangeDelivery delivery = new ExchangeDelivery(this, configuration.isAcknowledgments(),
                configuration.getIdempotentRepository(), metrics, snapshotMetrics, new StreamRecordMapper(tableName,
                        table.streamArn(), table.partitionKey(), table.sortKey(), configuration.getViewOnRemove()),
                new OutputFormatter(configuration.getOutputFormat(), table.tableArn()), batching);
        CdcEngine.Setup setup = new CdcEngine.Setup(configuration.getConsumerId(), table,
                new KeySchema(table.partitionKey(), table.sortKey()), configuration.streamOptions(),
                snapshot ? configuration.snapshotOptions() : null, ShardOwnership.ALL, Clock.systemUTC(),
                configuration.bridgeOptions());
        CdcEngine.Ports ports = new CdcEngine.Ports(connections.table(), connections.exports(), connections.objects(),
                connections.stream(), connections.scans());
        RecordDispatcher dispatcher = lanes == null ? delivery
                : new LaneDispatcher(delivery, configuration.getLanesPerShard(), lanes, running);
        CdcEngine next = new CdcEngine(setup, ports, new ShardCheckpointStore(checkpoints, keys),
                snapshot || setup.bridge() != null ? new SnapshotCheckpointStore(checkpoints, keys) : null, delivery,
                dispatcher, metrics, snapshotMetrics, executor, new CdcEngine.Events() {
                    @Override
                    public void handle(String message, RuntimeException error) {
                        getExceptionHandler().handleException(message, error);
                    }

                    @Override
                    public void renew(Generation generation) {
                        renewEngine(tableName, checkpoints, generation);
                    }
                });
        built.set(next);
        return next;
    }

    /**
     * Replaces the engine by one over the keys of {@code generation} (a gap recovered under
     * trimmedDataPolicy=RESNAPSHOT), for the table as it is now, unless the route stopped or this instance lost the
     * lead meanwhile.
     */
    private void renewEngine(String tableName, StateRepository<String, String> checkpoints, Generation generation) {
        try {
            CdcEngine next = newEngine(describe(tableName), checkpoints);
            Standby waiting = standby;
            if (waiting != null ? waiting.renew(next, () -> engine = next) : startUnlessStopping(next)) {
                LOG.info("Table {}: reading under checkpoint {}", tableName, generation);
            }
        } catch (RuntimeException e) {
            String message = "Table " + tableName + ": could not begin checkpoint " + generation + ": " + e.getMessage()
                             + ". Restart the route to try again";
            LOG.error("{}", message, e);
            getExceptionHandler().handleException(message, e);
        }
    }

    private synchronized boolean startUnlessStopping(CdcEngine next) {
        if (!isRunAllowed() || isStoppingOrStopped()) {
            return false;
        }
        engine = next;
        next.start();
        return true;
    }

    /** Joins the cluster: the engine runs only while this instance leads the namespace ({@link Standby}). */
    private void standBy(String tableName, StateRepository<String, String> checkpoints) throws Exception {
        if (!(checkpoints instanceof FencedStateRepository fencing)) {
            throw new IllegalArgumentException("Standby (clusterService/clustered) needs a checkpointRepository that"
                                               + " several instances can share safely, a FencedStateRepository:"
                                               + " JdbcStateRepository or DynamoDbStateRepository (any hosts),"
                                               + " FileCheckpointRepository (processes of one host); "
                                               + (configuration.getCheckpointRepository() == null ? "none is set"
                                                       : checkpoints.getClass().getName() + " is not one"));
        }
        CamelClusterService service = clusterService();
        String namespace = configuration.getClusterNamespace() != null ? configuration.getClusterNamespace()
                : ClusterNamespace.derive(configuration.getConsumerId(), tableName);
        Standby waiting = new Standby(fencing, configuration.getConsumerId(), () -> describe(tableName),
                (table, fenced) -> {
                    CdcEngine next = newEngine(table, fenced);
                    engine = next;
                    return next;
                }, (message, error) -> getExceptionHandler().handleException(message, error), Clock.systemUTC());
        standby = waiting;
        leadershipThread = executors().newScheduledThreadPool(this, "DynamoDbCdcLeadership[" + tableName + "]", 1);
        LOG.info("Table {}: standing by in cluster namespace {} of {}; reading begins when this instance leads",
                tableName, namespace, service.getId() != null ? service.getId() : service.getClass().getSimpleName());
        waiting.start(new NamespaceLeadership(service, namespace, leadershipThread, waiting));
    }

    /** The clusterService option, else the single cluster service of the context (as the clustered route policy). */
    private CamelClusterService clusterService() throws Exception {
        CamelContext context = getEndpoint().getCamelContext();
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

    private ExecutorServiceManager executors() {
        return getEndpoint().getCamelContext().getExecutorServiceManager();
    }

    /**
     * The readiness check Camel's consumers health check repository calls for this route's consumer (id
     * {@code consumer:<routeId>}); it reads in-memory state only.
     */
    @Override
    public synchronized HealthCheck getHealthCheck() {
        if (healthCheck == null) {
            DynamoDbCdcConsumerHealthCheck check = new DynamoDbCdcConsumerHealthCheck(this, getRouteId());
            check.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
            healthCheck = check;
        }
        return healthCheck;
    }

    @Override
    public synchronized void setHealthCheck(HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
    }

    private StateRepository<String, String> checkpointRepository(String tableName) {
        StateRepository<String, String> repository = configuration.getCheckpointRepository();
        if (repository == null || repository instanceof MemoryStateRepository) {
            LOG.warn("Table {}: no durable checkpointRepository is configured, so positions are kept in memory only and"
                     + " a restart begins again ({}). Set checkpointRepository to a durable StateRepository (e.g."
                     + " FileCheckpointRepository) to resume where the route left off.",
                    tableName, configuration.isSnapshotEnabled() ? "with a new snapshot"
                            : "at startPosition=" + configuration.getStartPosition());
        }
        return repository != null ? repository : new MemoryStateRepository();
    }

    @Override
    protected void doStop() throws Exception {
        Standby waiting = standby;
        if (waiting != null) {
            waiting.stopReading(); // the lead is kept until what is in flight has stored its positions
        }
        CdcEngine current;
        synchronized (this) { // no engine of a next generation starts after this
            current = engine;
        }
        if (current != null) {
            current.stop(STOP_AWAIT_MILLIS);
        }
        if (executor != null) {
            executors().shutdownGraceful(executor);
            executor = null;
        }
        if (lanePool != null) { // a lane's records of the stopped run are dropped: they are read again
            executors().shutdownGraceful(lanePool);
            lanePool = null;
            lanes = null;
        }
        if (current != null) {
            current.flush(); // what the tasks acknowledged while the pools shut down
        }
        stopStandby(); // hands the lead over
        if (connections != null) {
            connections.close();
            connections = null;
        }
        Closeables.closeQuietly(meters);
        meters = null;
        super.doStop();
    }

    /** Leaves the cluster (stopping the engine if leading), so that another instance takes over at once. */
    private void stopStandby() throws Exception {
        Standby waiting = standby;
        if (waiting != null) {
            try {
                waiting.stop(LEAVE_AWAIT_MILLIS);
            } finally {
                if (leadershipThread != null) {
                    executors().shutdownNow(leadershipThread);
                    leadershipThread = null;
                }
            }
        }
    }

    public Phase getPhase() {
        Standby waiting = standby;
        if (waiting != null && !isStopped()) {
            return waiting.phase();
        }
        CdcEngine current = engine;
        return current == null ? (isStopped() ? Phase.STOPPED : Phase.INIT) : current.phase();
    }

    /**
     * Why the consumer is in phase FAILED (the snapshot failed, the stream was replaced, a leader could not take
     * over), or {@code null}.
     */
    public String getFailure() {
        Standby waiting = standby;
        if (waiting != null && waiting.failure() != null) {
            return waiting.failure();
        }
        CdcEngine current = engine;
        return current == null ? null : current.failure();
    }

    /** Whether this consumer reads: always without standby; with it, while this instance leads. */
    public boolean isLeader() {
        Standby waiting = standby;
        return waiting == null ? engine != null : waiting.isLeader();
    }

    /** The leader epoch of this instance's current or last leadership; 0 without standby or before it led. */
    public long getEpoch() {
        Standby waiting = standby;
        return waiting == null ? 0 : waiting.epoch();
    }

    /** Checkpoint writes refused because another instance had taken the lead (standby only). */
    public long getRefusedCheckpointWrites() {
        Standby waiting = standby;
        return waiting == null ? 0 : waiting.refusedWrites();
    }

    /** This instance's member id in the cluster service, or {@code null} without standby. */
    public String getClusterMember() {
        Standby waiting = standby;
        return waiting == null ? null : waiting.memberId();
    }

    /** The cluster namespace this consumer stands by in, or {@code null} without standby. */
    public String getClusterNamespace() {
        Standby waiting = standby;
        return waiting == null ? null : waiting.namespace();
    }

    /** How many shards of the stream are in this lineage state (0 before the stream started). */
    public long shardCount(ShardLineageTracker.State state) {
        CdcEngine current = engine;
        return current == null ? 0 : current.shardCount(state);
    }

    /** The stream's shards as this instance reads them (none while standing by or before the stream started). */
    public List<ShardStatus> getShards() {
        CdcEngine current = engine;
        return current == null || !isLeader() ? List.of() : current.shards();
    }

    /** The stream engine's counters. */
    public StreamMetrics getMetrics() {
        return metrics;
    }

    /** Failed HTTP attempts of the consumer's own AWS clients, those the SDK retried included. */
    public AwsAttemptMetrics getAwsAttemptMetrics() {
        return awsAttempts;
    }

    /** The snapshot's counters. */
    public SnapshotMetrics getSnapshotMetrics() {
        return snapshotMetrics;
    }
}
