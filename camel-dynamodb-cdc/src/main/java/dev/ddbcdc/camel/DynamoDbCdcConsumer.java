package dev.ddbcdc.camel;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.aws.AwsAttemptMetrics;
import dev.ddbcdc.camel.aws.AwsConnections;
import dev.ddbcdc.camel.aws.TableReference;
import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.cluster.Buckets;
import dev.ddbcdc.camel.cluster.Membership;
import dev.ddbcdc.camel.cluster.Standby;
import dev.ddbcdc.camel.engine.CdcEngine;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Closeables;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.SerialLanes;
import dev.ddbcdc.camel.metrics.MeterSource;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.stream.LaneDispatcher;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.ShardOwnership;
import dev.ddbcdc.camel.stream.ShardStatus;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.DefaultConsumer;
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
    /** Listing shards, watching the table, looking for other buckets' ends: never behind the readers. */
    private ScheduledExecutorService control;
    /** The cluster this consumer is a member of (standby or buckets), or {@code null} when it is not clustered. */
    private volatile Membership cluster;
    private ExecutorService lanePool;
    private SerialLanes lanes;
    private final List<ScheduledExecutorService> leadershipThreads = new CopyOnWriteArrayList<>();
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
        cluster = null;
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
            control = executors().newScheduledThreadPool(this, "DynamoDbCdcControl[" + tableName + "]", 1);
            if (configuration.getLanesPerShard() > 1) {
                lanePool = executors().newFixedThreadPool(this, "DynamoDbCdcLanes[" + tableName + "]",
                        configuration.getLanesPerShard() * configuration.getMaxConcurrentShards());
                lanes = new SerialLanes(lanePool, e -> LOG.warn("Table {}: a lane's task failed: {}", tableName,
                        e.getMessage(), e));
            }
            meters = MetricsRegistration.register(getEndpoint().getCamelContext(),
                    new MeterSource(tableName, configuration.getConsumerId(), getRouteId(), metrics,
                            snapshot ? snapshotMetrics : null, awsAttempts, this::getPhase,
                            configuration.isStandbyEnabled() ? new MeterSource.Cluster(this::isLeader, this::getEpoch,
                                    this::getRefusedCheckpointWrites, () -> getBucketsLed().size()) : null));
            if (configuration.isStandbyEnabled()) {
                joinCluster(tableName, checkpoints);
            } else {
                engine = newEngine(table, checkpoints, null);
                engine.start();
            }
            LOG.debug("Table {}: consumer started (acknowledgments={})", tableName, configuration.isAcknowledgments());
        } catch (Exception e) {
            leaveCluster();
            shutdownPools(false);
            Closeables.closeQuietly(meters);
            meters = null;
            connections.close();
            throw e;
        }
    }

    private TableFacts describe(String tableName) {
        return TableFacts.describe(connections.table(), tableName, configuration.getViewOnRemove(),
                !configuration.isSnapshotOnly());
    }

    /**
     * The engine over {@code checkpoints}: the repository itself, or a leader's fenced view of it; of the whole
     * consumer ({@code unit == null}), or of one bucket of its shards, or of its snapshot.
     */
    private CdcEngine newEngine(TableFacts table, StateRepository<String, String> checkpoints, Buckets.Unit unit) {
        String tableName = table.tableName();
        CheckpointKeys first = new CheckpointKeys(configuration.getConsumerId(), table.checkpointArn());
        CheckpointKeys keys = first.of(new ShardCheckpointStore(checkpoints, first).generation());
        boolean snapshot = configuration.isSnapshotEnabled();
        ShardCheckpointStore shards = new ShardCheckpointStore(checkpoints, keys);
        SnapshotOptions snapshotOptions = snapshot ? configuration.snapshotOptions() : null;
        if (unit != null && unit.isSnapshot()) {
            snapshotOptions = snapshotOptions.forSnapshotUnit();
        } else if (unit != null) {
            shards = shards.ofUnit(unit.name());
        }
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
                snapshotOptions, unit == null || unit.isSnapshot() ? ShardOwnership.ALL : unit.ownership(),
                Clock.systemUTC(), configuration.bridgeOptions());
        CdcEngine.Ports ports = new CdcEngine.Ports(connections.table(), connections.exports(), connections.objects(),
                connections.stream(), connections.scans());
        RecordDispatcher dispatcher = lanes == null ? delivery
                : new LaneDispatcher(delivery, configuration.getLanesPerShard(), lanes, running);
        CdcEngine next = new CdcEngine(setup, ports, shards,
                snapshot || setup.bridge() != null ? new SnapshotCheckpointStore(checkpoints, keys) : null, delivery,
                dispatcher, metrics, snapshotMetrics, new RunContext.Threads(executor, control),
                new CdcEngine.Events() {
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
            CdcEngine next = newEngine(describe(tableName), checkpoints, null);
            Membership member = cluster;
            if (member instanceof Standby waiting ? waiting.renew(next, () -> engine = next)
                    : startUnlessStopping(next)) {
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

    /** Joins the cluster: engines run only for what this instance leads ({@link ClusterJoin}). */
    private void joinCluster(String tableName, StateRepository<String, String> checkpoints) throws Exception {
        ClusterJoin.join(configuration, getEndpoint().getCamelContext(), tableName, checkpoints,
                new ClusterJoin.Host((table, fenced, unit) -> {
                    CdcEngine next = newEngine(table, fenced, unit);
                    engine = unit == null ? next : null;
                    return next;
                }, () -> describe(tableName), getExceptionHandler()::handleException, name -> {
                    ScheduledExecutorService thread = executors().newScheduledThreadPool(this,
                            "DynamoDbCdcLeadership[" + tableName + " " + name + "]", 1);
                    leadershipThreads.add(thread);
                    return thread;
                }), member -> cluster = member);
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
        Membership member = cluster;
        if (member != null) {
            member.stopReading(); // the lead is kept until what is in flight has stored its positions
        }
        CdcEngine current;
        synchronized (this) { // no engine of a next generation starts after this
            current = engine;
        }
        if (current != null) {
            current.stop(STOP_AWAIT_MILLIS);
        }
        shutdownPools(true); // a lane's records of the stopped run are dropped: they are read again
        if (current != null) {
            current.flush(); // what the tasks acknowledged while the pools shut down
        }
        if (member != null) {
            member.engines().forEach(CdcEngine::flush);
        }
        leaveCluster(); // hands the lead over
        if (connections != null) {
            connections.close();
            connections = null;
        }
        Closeables.closeQuietly(meters);
        meters = null;
        super.doStop();
    }

    /** The readers', control and lane pools: gracefully (waiting for their tasks) at a stop, at once otherwise. */
    private void shutdownPools(boolean graceful) {
        for (ExecutorService pool : new ExecutorService[] {executor, control, lanePool}) {
            if (pool != null && graceful) {
                executors().shutdownGraceful(pool);
            } else if (pool != null) {
                executors().shutdownNow(pool);
            }
        }
        executor = null;
        control = null;
        lanePool = null;
        lanes = null;
    }

    /** Leaves the cluster (stopping the engines of what it leads), so that other instances take over at once. */
    private void leaveCluster() throws Exception {
        Membership member = cluster;
        try {
            if (member != null) {
                member.stop(LEAVE_AWAIT_MILLIS);
            }
        } finally {
            leadershipThreads.forEach(executors()::shutdownNow);
            leadershipThreads.clear();
        }
    }

    public Phase getPhase() {
        Membership member = cluster;
        if (member != null && !isStopped()) {
            return member.phase();
        }
        CdcEngine current = engine;
        return current == null ? (isStopped() ? Phase.STOPPED : Phase.INIT) : current.phase();
    }

    /**
     * Why the consumer is in phase FAILED (the snapshot failed, the stream was replaced, a leader could not take
     * over), or {@code null}.
     */
    public String getFailure() {
        Membership member = cluster;
        if (member != null && member.failure() != null) {
            return member.failure();
        }
        CdcEngine current = engine;
        return current == null ? null : current.failure();
    }

    /** Whether this consumer reads: always when not clustered; else while this instance leads something. */
    public boolean isLeader() {
        Membership member = cluster;
        return member == null ? engine != null : member.isLeader();
    }

    /** The highest leader epoch of what this instance leads or led last; 0 when not clustered or before it led. */
    public long getEpoch() {
        Membership member = cluster;
        return member == null ? 0 : member.epoch();
    }

    /** Checkpoint writes refused because another instance had taken the lead (clustered only). */
    public long getRefusedCheckpointWrites() {
        Membership member = cluster;
        return member == null ? 0 : member.refusedWrites();
    }

    /** This instance's member id in the cluster service, or {@code null} when not clustered. */
    public String getClusterMember() {
        Membership member = cluster;
        return member == null ? null : member.memberId();
    }

    /** The cluster namespace this consumer stands by in (with buckets: their base), or {@code null}. */
    public String getClusterNamespace() {
        Membership member = cluster;
        return member == null ? null : member.namespace();
    }

    /**
     * What this instance leads (sorted): with clusterMode=BUCKETS its buckets ({@code bucket-07}) and
     * {@code snapshot}; with standby {@code consumer} while leading; empty when not clustered.
     */
    public List<String> getBucketsLed() {
        Membership member = cluster;
        return member == null ? List.of() : member.led().stream().sorted().toList();
    }

    /** How many shards this instance reads now. */
    public long getShardsReading() {
        return metrics.shardsReading.get();
    }

    /** How many shards of the stream are in this lineage state (0 before the stream started). */
    public long shardCount(ShardLineageTracker.State state) {
        return readingEngines().stream().mapToLong(e -> e.shardCount(state)).sum();
    }

    /** The stream's shards as this instance reads them (none while standing by or before the stream started). */
    public List<ShardStatus> getShards() {
        List<ShardStatus> shards = new ArrayList<>();
        readingEngines().forEach(e -> shards.addAll(e.shards()));
        return shards;
    }

    /** The engines reading now: the consumer's, or those of the buckets this instance leads. */
    private List<CdcEngine> readingEngines() {
        Membership member = cluster;
        if (member instanceof Buckets buckets) {
            return buckets.leading();
        }
        CdcEngine current = engine;
        return current == null || !isLeader() ? List.of() : List.of(current);
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
