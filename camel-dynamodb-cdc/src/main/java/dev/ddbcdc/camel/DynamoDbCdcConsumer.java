package dev.ddbcdc.camel;

import dev.ddbcdc.camel.aws.TableReference;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.aws.AwsAttemptMetrics;
import dev.ddbcdc.camel.aws.AwsClientFactory;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.engine.Phase;
import dev.ddbcdc.camel.engine.SnapshotRunner;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.engine.StreamFollowing;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.export.ExportService;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.metrics.MeterSource;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.camel.stream.FirstStart;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.SdkStreamProxy;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.StreamChangedException;
import dev.ddbcdc.camel.stream.StreamCoordinator;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableStream;
import dev.ddbcdc.camel.stream.TableWatch;
import dev.ddbcdc.camel.stream.TrimmedDataException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@code dynamodb-cdc} consumer: checks the table and its stream, then runs the phases ({@link Phase}): with a
 * snapshot configured EXPORTING and LOADING on a {@link SnapshotRunner}, then STREAMING, turning every snapshot item
 * and stream record into one exchange. With {@code acknowledgments} a position is checkpointed only once its
 * exchange completed successfully.
 */
public class DynamoDbCdcConsumer extends DefaultConsumer implements RecordDispatcher, Delivery, HealthCheckAware {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCdcConsumer.class);

    private final DynamoDbCdcConfiguration configuration;
    private final StreamMetrics metrics = new StreamMetrics();
    private final SnapshotMetrics snapshotMetrics = new SnapshotMetrics();
    private final AwsAttemptMetrics awsAttempts = new AwsAttemptMetrics();
    private volatile Phase phase = Phase.INIT;
    /** Why the consumer is in phase FAILED, for readiness. */
    private volatile String failure;
    private AwsCredentialsProvider credentials;
    private DynamoDbClient ownDynamoDb;
    private DynamoDbStreamsClient ownStreams;
    private S3Client ownS3;
    private ScheduledExecutorService executor;
    private StreamCoordinator coordinator;
    private SnapshotRunner snapshot;
    private StreamRecordMapper mapper;
    private OutputFormatter outputFormatter;
    private IdempotentRepository idempotentRepository;
    private ShardCheckpointStore shardStore;
    private TableStream table;
    private String tableName;
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
        phase = Phase.INIT;
        failure = null;
        tableName = TableReference.parse(configuration.getTable()).name();
        try {
            table = TableStream.describe(dynamoDbClient(), tableName, configuration.getViewOnRemove());
            StateRepository<String, String> checkpoints = checkpointRepository();
            idempotentRepository = configuration.getIdempotentRepository();
            ServiceHelper.startService(checkpoints, idempotentRepository);
            CheckpointKeys keys = new CheckpointKeys(configuration.getConsumerId(), table.streamArn());
            shardStore = new ShardCheckpointStore(checkpoints, keys);
            mapper = new StreamRecordMapper(tableName, table.streamArn(), table.partitionKey(), table.sortKey(),
                    configuration.getViewOnRemove());
            outputFormatter = new OutputFormatter(configuration.getOutputFormat(), table.tableArn());
            int threads = configuration.isSnapshotEnabled()
                    ? Math.max(configuration.getMaxConcurrentShards(), configuration.getMaxConcurrentDataFiles() + 1)
                    : configuration.getMaxConcurrentShards();
            executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newScheduledThreadPool(this, "DynamoDbCdc[" + tableName + "]", threads);
            meters = MetricsRegistration.register(getEndpoint().getCamelContext(),
                    new MeterSource(tableName, configuration.getConsumerId(), getRouteId(), metrics,
                            configuration.isSnapshotEnabled() ? snapshotMetrics : null, awsAttempts, this::getPhase));
            FirstStart firstStart = FirstStart.at(configuration.getStartPosition());
            StreamFollowing following = new StreamFollowing(shardStore, tableName, table.streamArn());
            if (following.verdict() == StreamFollowing.Verdict.REPLACED) {
                if (!streamReplacedWhileStopped(following)) {
                    return;
                }
                firstStart = FirstStart.at(StartPosition.TRIM_HORIZON);
            }
            following.follow();
            if (configuration.isSnapshotEnabled()) {
                snapshot = prepareSnapshot(new SnapshotCheckpointStore(checkpoints, keys));
                executor.execute(snapshot);
            } else {
                startStreaming(firstStart);
            }

        } catch (RuntimeException e) {
            if (executor != null) {
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
                executor = null;
            }
            snapshot = null;
            closeQuietly(meters);
            meters = null;
            closeClients();
            throw e;
        }
    }

    /**
     * The stream was replaced while this consumer was stopped: a gap, surfaced like every loss. Under
     * {@code trimmedDataPolicy=FAIL} nothing is read (phase FAILED, readiness DOWN) and the next start says so again;
     * under CONTINUE the new stream is read from its oldest record. Returns whether to go on.
     */
    private boolean streamReplacedWhileStopped(StreamFollowing following) {
        String gap = following.gapMessage();
        metrics.streamChanges.incrementAndGet();
        metrics.error(gap);
        if (configuration.getTrimmedDataPolicy() == TrimmedDataPolicy.FAIL) {
            String message = gap + ". Nothing is read (trimmedDataPolicy=FAIL). To go on with the new stream from"
                             + " its oldest record, accepting the gap, restart with trimmedDataPolicy=CONTINUE; to"
                             + " capture the gap too, take a new snapshot with a new consumerId";
            metrics.streamProblem(message);
            LOG.error("{}", message);
            getExceptionHandler().handleException(message, new StreamChangedException(message, null));
            failure = message;
            moveTo(Phase.FAILED);
            return false;
        }
        String message = gap + ". Going on with the new stream from its oldest record (trimmedDataPolicy=CONTINUE)";
        LOG.error("{}", message);
        getExceptionHandler().handleException(message, new StreamChangedException(message, null));
        return true;
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

    /** Checks what the snapshot needs before anything runs, so that bad configuration fails the start. */
    private SnapshotRunner prepareSnapshot(SnapshotCheckpointStore store) {
        ExportService exports = new ExportService(dynamoDbClient(), tableName, table.tableArn());
        SnapshotState state = store.load();
        String adopt = configuration.getExportArn();
        if (adopt != null && state != null && !adopt.equals(state.exportArn())) {
            throw new IllegalStateException("exportArn is " + adopt + ", but this consumer's checkpoint (key "
                                            + store.key() + ") holds a snapshot of export " + state.exportArn()
                                            + ". Use another consumerId, or remove that key, to adopt the new export");
        }
        S3Client s3 = s3Client();
        if (state == null && adopt == null) {
            exports.requirePointInTimeRecovery();
            requireBucket(s3, configuration.getExportS3Bucket());
        }
        if (state != null && state.stage() == SnapshotState.Stage.DONE) {
            LOG.info("Table {}: the snapshot (export {}) was done before; going on with the stream", tableName,
                    state.exportArn());
        }
        KeySchema keySchema = new KeySchema(table.partitionKey(), table.sortKey());
        return new SnapshotRunner(configuration.snapshotOptions(), exports, s3, store, this, snapshotMetrics, executor, keySchema, tableName,
                table.tableArn(), new SnapshotHost());
    }

    private void requireBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            // NoSuchBucketException is a 404 too; other answers (403 without s3:ListBucket, 301 another region) are
            // left to the export itself, which reports them with AWS's failure code
            if (e.statusCode() == 404) {
                throw new IllegalStateException("exportS3Bucket '" + bucket + "' does not exist (check the name and"
                                                + " exportS3Region)",
                        e);
            }
            LOG.debug("Could not check exportS3Bucket {} (HTTP {}); the export will tell", bucket, e.statusCode());
        }
    }

    /** The consumer's side of the snapshot: phase changes, failures and the hand-over to the stream. */
    private final class SnapshotHost implements SnapshotRunner.Host {
        @Override
        public boolean isRunning() {
            return isRunAllowed();
        }

        @Override
        public void enter(Phase next) {
            moveTo(next);
        }

        @Override
        public void snapshotFailed(SnapshotException failure) {
            snapshotMetrics.error(failure.getMessage());
            DynamoDbCdcConsumer.this.failure = "The snapshot failed: " + failure.getMessage();
            LOG.error("{}", failure.getMessage());
            // the handler first: whoever sees phase FAILED can rely on the failure having been handled
            getExceptionHandler().handleException(failure.getMessage(), failure);
            moveTo(Phase.FAILED);
        }

        @Override
        public void reportLoss(TrimmedDataException loss) {
            metrics.trimmedDataEvents.incrementAndGet();
            getExceptionHandler().handleException(loss.getMessage(), loss);
        }

        @Override
        public boolean streamStarted() {
            return shardStore.streamStarted();
        }

        @Override
        public void startStreaming(FirstStart firstStart) {
            DynamoDbCdcConsumer.this.startStreaming(firstStart);
        }
    }

    private synchronized void moveTo(Phase next) {
        if (phase == next) {
            return;
        }
        phase = phase.moveTo(next);
        LOG.info("Table {}: phase {}", tableName, next);
    }

    private synchronized void startStreaming(FirstStart firstStart) {
        if (!isRunAllowed()) {
            return;
        }
        coordinator = new StreamCoordinator(configuration.streamOptions(), new SdkStreamProxy(streamsClient()), shardStore, this,
                executor, metrics, loss -> getExceptionHandler().handleException(loss.getMessage(), loss), firstStart,
                tableName, table.streamArn(), java.time.Clock.systemUTC());
        moveTo(Phase.STREAMING);
        TableWatch watch = new TableWatch(dynamoDbClient(), tableName, table.streamArn(), metrics,
                changed -> getExceptionHandler().handleException(changed.getMessage(), changed));
        executor.scheduleWithFixedDelay(watch, configuration.getShardDiscoveryInterval(),
                configuration.getShardDiscoveryInterval(), java.util.concurrent.TimeUnit.MILLISECONDS);
        LOG.info("Capturing changes of table {} from stream {} (consumerId={}, first start at {}, acknowledgments={})",
                tableName, table.streamArn(), configuration.getConsumerId(), firstStart,
                configuration.isAcknowledgments());
        coordinator.start();
    }

    private StateRepository<String, String> checkpointRepository() {
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

    private DynamoDbClient dynamoDbClient() {
        if (configuration.getDynamoDbClient() != null) {
            return configuration.getDynamoDbClient();
        }
        if (ownDynamoDb == null) {
            ownDynamoDb = new AwsClientFactory(configuration.awsOptions(), awsAttempts).dynamoDb(credentials());
        }
        return ownDynamoDb;
    }

    private DynamoDbStreamsClient streamsClient() {
        if (configuration.getDynamoDbStreamsClient() != null) {
            return configuration.getDynamoDbStreamsClient();
        }
        if (ownStreams == null) {
            ownStreams = new AwsClientFactory(configuration.awsOptions(), awsAttempts).streams(credentials());
        }
        return ownStreams;
    }

    private S3Client s3Client() {
        if (configuration.getS3Client() != null) {
            return configuration.getS3Client();
        }
        if (ownS3 == null) {
            ownS3 = new AwsClientFactory(configuration.awsOptions(), awsAttempts).s3(credentials());
        }
        return ownS3;
    }

    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = new AwsClientFactory(configuration.awsOptions()).credentials();
        }
        return credentials;
    }

    @Override
    protected void doStop() throws Exception {
        if (coordinator != null) {
            coordinator.stop();
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        if (snapshot != null) {
            snapshot.flush();
            snapshot = null;
        }
        coordinator = null;
        closeClients();
        if (phase != Phase.STOPPED) {
            moveTo(Phase.STOPPED);
        }
        closeQuietly(meters);
        meters = null;
        super.doStop();
    }

    private void closeClients() {
        closeQuietly(ownDynamoDb);
        closeQuietly(ownStreams);
        closeQuietly(ownS3);
        if (credentials instanceof AutoCloseable) {
            closeQuietly((AutoCloseable) credentials);
        }
        ownDynamoDb = null;
        ownStreams = null;
        ownS3 = null;
        credentials = null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Error closing {}", closeable.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void dispatch(String shardId, Record record, Acknowledgement acknowledgement) {
        deliver(exchange -> mapper.fill(exchange, shardId, record), () -> CheckpointKeys.deliveredRecord(record.eventID()),
                () -> "change " + record.eventID() + " of shard " + shardId, acknowledgement);
    }

    @Override
    public void deliver(Consumer<Exchange> filler, Supplier<String> deliveredKeys, Supplier<String> description,
                        Acknowledgement acknowledgement) {
        String deliveredKey = idempotentRepository == null ? null : deliveredKeys.get();
        if (deliveredKey != null && idempotentRepository.contains(deliveredKey)) {
            metrics.recordsAlreadyDelivered.incrementAndGet();
            acknowledgement.completed();
            return;
        }
        Exchange exchange = createExchange(false);
        filler.accept(exchange);
        outputFormatter.apply(exchange);
        if (configuration.isAcknowledgments()) {
            exchange.getExchangeExtension().addOnCompletion(new Synchronization() {
                @Override
                public void onComplete(Exchange done) {
                    if (deliveredKey != null) {
                        idempotentRepository.add(deliveredKey);
                    }
                    acknowledgement.completed();
                }

                @Override
                public void onFailure(Exchange failed) {
                    acknowledgement.failed(failed.getException());
                }
            });
        }
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing " + description.get(), exchange,
                    exchange.getException());
        }
        if (!configuration.isAcknowledgments()) {
            if (deliveredKey != null) {
                idempotentRepository.add(deliveredKey);
            }
            acknowledgement.completed();
        }
        releaseExchange(exchange, false);
    }

    public Phase getPhase() {
        return phase;
    }

    /** Why the consumer is in phase FAILED (the snapshot failed, the stream was replaced), or {@code null}. */
    public String getFailure() {
        return failure;
    }

    /** How many shards of the stream are in this lineage state (0 before the stream started). */
    public synchronized long shardCount(ShardLineageTracker.State state) {
        return coordinator == null ? 0 : coordinator.shardCount(state);
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
