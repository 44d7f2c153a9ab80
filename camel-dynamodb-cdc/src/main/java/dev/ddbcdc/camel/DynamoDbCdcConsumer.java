package dev.ddbcdc.camel;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import dev.ddbcdc.camel.aws.AwsAttemptMetrics;
import dev.ddbcdc.camel.aws.AwsConnections;
import dev.ddbcdc.camel.aws.TableReference;
import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.engine.CdcEngine;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Closeables;
import dev.ddbcdc.camel.metrics.MeterSource;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.ShardOwnership;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.IdempotentRepository;
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

    private final DynamoDbCdcConfiguration configuration;
    private final StreamMetrics metrics = new StreamMetrics();
    private final SnapshotMetrics snapshotMetrics = new SnapshotMetrics();
    private final AwsAttemptMetrics awsAttempts = new AwsAttemptMetrics();
    private volatile CdcEngine engine;
    private AwsConnections connections;
    private ScheduledExecutorService executor;
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
        String tableName = TableReference.parse(configuration.getTable()).name();
        connections = new AwsConnections(configuration.awsOptions(), awsAttempts, configuration.getDynamoDbClient(),
                configuration.getDynamoDbStreamsClient(), configuration.getS3Client());
        try {
            TableFacts table = TableFacts.describe(connections.table(), tableName, configuration.getViewOnRemove());
            StateRepository<String, String> checkpoints = checkpointRepository(tableName);
            IdempotentRepository idempotentRepository = configuration.getIdempotentRepository();
            ServiceHelper.startService(checkpoints, idempotentRepository);
            CheckpointKeys keys = new CheckpointKeys(configuration.getConsumerId(), table.streamArn());
            boolean snapshot = configuration.isSnapshotEnabled();
            ExchangeDelivery delivery = new ExchangeDelivery(this, configuration.isAcknowledgments(),
                    idempotentRepository, metrics, snapshotMetrics, new StreamRecordMapper(tableName, table.streamArn(),
                            table.partitionKey(), table.sortKey(), configuration.getViewOnRemove()),
                    new OutputFormatter(configuration.getOutputFormat(), table.tableArn()));
            int threads = snapshot
                    ? Math.max(configuration.getMaxConcurrentShards(), configuration.getMaxConcurrentDataFiles() + 1)
                    : configuration.getMaxConcurrentShards();
            executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newScheduledThreadPool(this, "DynamoDbCdc[" + tableName + "]", threads);
            meters = MetricsRegistration.register(getEndpoint().getCamelContext(),
                    new MeterSource(tableName, configuration.getConsumerId(), getRouteId(), metrics,
                            snapshot ? snapshotMetrics : null, awsAttempts, this::getPhase));
            CdcEngine.Setup setup = new CdcEngine.Setup(configuration.getConsumerId(), table,
                    new KeySchema(table.partitionKey(), table.sortKey()), configuration.streamOptions(),
                    snapshot ? configuration.snapshotOptions() : null, ShardOwnership.ALL, Clock.systemUTC());
            CdcEngine.Ports ports = new CdcEngine.Ports(connections.table(), connections.exports(),
                    connections.objects(), connections.stream());
            engine = new CdcEngine(setup, ports, new ShardCheckpointStore(checkpoints, keys),
                    snapshot ? new SnapshotCheckpointStore(checkpoints, keys) : null, delivery, delivery, metrics,
                    snapshotMetrics, executor, (message, error) -> getExceptionHandler().handleException(message, error));
            engine.start();
            LOG.debug("Table {}: consumer started (acknowledgments={})", tableName, configuration.isAcknowledgments());
        } catch (RuntimeException e) {
            if (executor != null) {
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
                executor = null;
            }
            Closeables.closeQuietly(meters);
            meters = null;
            connections.close();
            throw e;
        }
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
        CdcEngine current = engine;
        if (current != null) {
            current.stop(STOP_AWAIT_MILLIS);
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        if (current != null) {
            current.flush(); // what the tasks acknowledged while the pool shut down
        }
        if (connections != null) {
            connections.close();
            connections = null;
        }
        Closeables.closeQuietly(meters);
        meters = null;
        super.doStop();
    }

    public Phase getPhase() {
        CdcEngine current = engine;
        return current == null ? (isStopped() ? Phase.STOPPED : Phase.INIT) : current.phase();
    }

    /** Why the consumer is in phase FAILED (the snapshot failed, the stream was replaced), or {@code null}. */
    public String getFailure() {
        CdcEngine current = engine;
        return current == null ? null : current.failure();
    }

    /** How many shards of the stream are in this lineage state (0 before the stream started). */
    public long shardCount(ShardLineageTracker.State state) {
        CdcEngine current = engine;
        return current == null ? 0 : current.shardCount(state);
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
