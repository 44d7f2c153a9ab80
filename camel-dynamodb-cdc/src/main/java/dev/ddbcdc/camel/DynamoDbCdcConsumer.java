package dev.ddbcdc.camel;

import java.util.concurrent.ScheduledExecutorService;

import dev.ddbcdc.camel.aws.AwsClientFactory;
import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.engine.Phase;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.SdkStreamProxy;
import dev.ddbcdc.camel.stream.StreamCoordinator;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableStream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
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

/**
 * The {@code dynamodb-cdc} consumer: checks the table and its stream, then runs the STREAMING phase, turning every
 * stream record into one exchange. With {@code acknowledgments} a record is checkpointed only once its exchange
 * completed successfully.
 */
public class DynamoDbCdcConsumer extends DefaultConsumer implements RecordDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCdcConsumer.class);

    private final DynamoDbCdcConfiguration configuration;
    private final StreamMetrics metrics = new StreamMetrics();
    private volatile Phase phase = Phase.INIT;
    private AwsCredentialsProvider credentials;
    private DynamoDbClient ownDynamoDb;
    private DynamoDbStreamsClient ownStreams;
    private ScheduledExecutorService executor;
    private StreamCoordinator coordinator;
    private StreamRecordMapper mapper;
    private IdempotentRepository idempotentRepository;

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
        String tableName = TableReference.parse(configuration.getTable()).name();
        TableStream table;
        try {
            table = TableStream.describe(dynamoDbClient(), tableName, configuration.getViewOnRemove());
        } catch (RuntimeException e) {
            closeClients();
            throw e;
        }
        StateRepository<String, String> checkpoints = checkpointRepository(tableName);
        idempotentRepository = configuration.getIdempotentRepository();
        ServiceHelper.startService(checkpoints, idempotentRepository);

        mapper = new StreamRecordMapper(tableName, table.streamArn(), table.partitionKey(), table.sortKey(),
                configuration.getViewOnRemove());
        ShardCheckpointStore store = new ShardCheckpointStore(checkpoints,
                new CheckpointKeys(configuration.getConsumerId(), table.streamArn()));
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newScheduledThreadPool(this, "DynamoDbCdcStream[" + tableName + "]",
                        configuration.getMaxConcurrentShards());
        coordinator = new StreamCoordinator(configuration, new SdkStreamProxy(streamsClient()), store, this, executor,
                metrics, loss -> getExceptionHandler().handleException(loss.getMessage(), loss), tableName,
                table.streamArn());
        phase = phase.moveTo(Phase.STREAMING);
        LOG.info("Capturing changes of table {} from stream {} (consumerId={}, startPosition={}, acknowledgments={})",
                tableName, table.streamArn(), configuration.getConsumerId(), configuration.getStartPosition(),
                configuration.isAcknowledgments());
        coordinator.start();
    }

    private StateRepository<String, String> checkpointRepository(String tableName) {
        StateRepository<String, String> repository = configuration.getCheckpointRepository();
        if (repository == null || repository instanceof MemoryStateRepository) {
            LOG.warn("Table {}: no durable checkpointRepository is configured, so stream positions are kept in memory"
                     + " only and a restart begins again at startPosition={}. Set checkpointRepository to a durable"
                     + " StateRepository (e.g. FileStateRepository) to resume where the route left off.",
                    tableName, configuration.getStartPosition());
        }
        return repository != null ? repository : new MemoryStateRepository();
    }

    private DynamoDbClient dynamoDbClient() {
        if (configuration.getDynamoDbClient() != null) {
            return configuration.getDynamoDbClient();
        }
        ownDynamoDb = new AwsClientFactory(configuration).dynamoDb(credentials());
        return ownDynamoDb;
    }

    private DynamoDbStreamsClient streamsClient() {
        if (configuration.getDynamoDbStreamsClient() != null) {
            return configuration.getDynamoDbStreamsClient();
        }
        ownStreams = new AwsClientFactory(configuration).streams(credentials());
        return ownStreams;
    }

    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = new AwsClientFactory(configuration).credentials();
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
        closeClients();
        if (phase != Phase.STOPPED) {
            phase = phase.moveTo(Phase.STOPPED);
        }
        super.doStop();
    }

    private void closeClients() {
        closeQuietly(ownDynamoDb);
        closeQuietly(ownStreams);
        if (credentials instanceof AutoCloseable) {
            closeQuietly((AutoCloseable) credentials);
        }
        ownDynamoDb = null;
        ownStreams = null;
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
        String deliveredKey = idempotentRepository == null ? null : CheckpointKeys.deliveredRecord(record.eventID());
        if (deliveredKey != null && idempotentRepository.contains(deliveredKey)) {
            metrics.recordsAlreadyDelivered.incrementAndGet();
            acknowledgement.completed();
            return;
        }
        Exchange exchange = createExchange(false);
        mapper.fill(exchange, shardId, record);
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
            getExceptionHandler().handleException("Error processing change " + record.eventID() + " of shard " + shardId,
                    exchange, exchange.getException());
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

    /** The stream engine's counters. */
    public StreamMetrics getMetrics() {
        return metrics;
    }
}
