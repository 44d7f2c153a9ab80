package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.flow.Delivery;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.event.DocumentVersion;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.SnapshotItemMapper;
import dev.ddbcdc.camel.export.ExportManifest;
import dev.ddbcdc.camel.export.ExportService;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotLoader;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Backoff;
import dev.ddbcdc.camel.stream.FirstStart;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.stream.StreamErrors;
import dev.ddbcdc.camel.stream.StreamRetention;
import dev.ddbcdc.camel.stream.TrimmedDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the snapshot on one thread, from whatever the checkpoint says, to the hand-over to the stream:
 * <ol>
 * <li>EXPORTING: request the export (or adopt {@code exportArn}) and checkpoint its ARN and export time T before
 * waiting; poll DescribeExport until it completes. A persisted export is never requested again; only when it had
 * FAILED does a later start request a new one.</li>
 * <li>LOADING: read the manifests and load the data files ({@link SnapshotLoader}); then checkpoint DONE.</li>
 * <li>Hand-over: stream every shard from its oldest record, delivering records created at or after T minus
 * {@code streamOverlap}. If such records may already be trimmed (the snapshot took longer than the stream's
 * retention allows), the possible gap is reported.</li>
 * </ol>
 * Any {@link SnapshotException} ends the run in phase FAILED; the checkpoint keeps what was done.
 */
public final class SnapshotRunner implements Runnable {

    /** What the runner needs from the consumer. */
    public interface Host {
        boolean isRunning();

        void enter(Phase phase);

        void snapshotFailed(SnapshotException failure);

        void reportLoss(TrimmedDataException loss);

        /** Whether the stream was already started from a previous hand-over. */
        boolean streamStarted();

        void startStreaming(FirstStart firstStart);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRunner.class);
    private static final long PAUSE_STEP_MILLIS = 50;

    private final SnapshotOptions options;
    private final ExportService exports;
    private final S3Client s3;
    private final SnapshotCheckpointStore store;
    private final Delivery delivery;
    private final SnapshotMetrics metrics;
    private final ExecutorService executor;
    private final KeySchema keySchema;
    private final String tableName;
    private final String tableArn;
    private final Host host;
    private volatile SnapshotLoader loader;
    /** The description of the export once seen COMPLETED in this run, so LOADING need not ask again. */
    private ExportDescription completed;

    public SnapshotRunner(SnapshotOptions options, ExportService exports, S3Client s3,
                          SnapshotCheckpointStore store, Delivery delivery, SnapshotMetrics metrics,
                          ExecutorService executor, KeySchema keySchema, String tableName, String tableArn, Host host) {
        this.options = options;
        this.exports = exports;
        this.s3 = s3;
        this.store = store;
        this.delivery = delivery;
        this.metrics = metrics;
        this.executor = executor;
        this.keySchema = keySchema;
        this.tableName = tableName;
        this.tableArn = tableArn;
        this.host = host;
    }

    @Override
    public void run() {
        try {
            SnapshotState state = store.load();
            if (state == null || state.stage() == SnapshotState.Stage.EXPORTING) {
                host.enter(Phase.EXPORTING);
                state = export(state);
            }
            if (state == null) {
                return;
            }
            if (state.stage() == SnapshotState.Stage.LOADING) {
                host.enter(Phase.LOADING);
                if (!load(state)) {
                    return;
                }
                state = state.moveTo(SnapshotState.Stage.DONE);
                store.save(state);
            }
            handOver(state);
        } catch (SnapshotException e) {
            host.snapshotFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (host.isRunning()) {
                host.snapshotFailed(new SnapshotException("The snapshot of table " + tableName + " failed: " + e, e));
            }
        }
    }

    /** EXPORTING: until the export completed; returns the LOADING state, or {@code null} if the consumer stopped. */
    private SnapshotState export(SnapshotState persisted) {
        SnapshotState state = persisted;
        boolean resumed = false;
        if (state == null) {
            state = begin(1);
            if (state == null) {
                return null;
            }
        } else {
            LOG.info("Table {}: resuming the snapshot with export {} (export time {})", tableName, state.exportArn(),
                    state.exportTime());
            resumed = true;
        }
        Instant waitingSince = Instant.now();
        int polls = 0;
        while (host.isRunning()) {
            String arn = state.exportArn();
            ExportDescription export = retrying(() -> exports.describe(arn), "DescribeExport " + arn);
            if (export == null) {
                return null;
            }
            metrics.exportPolls.incrementAndGet();
            polls++;
            if (export.exportStatus() == ExportStatus.COMPLETED) {
                checkUsable(export);
                completed = export;
                SnapshotState loading = state.moveTo(SnapshotState.Stage.LOADING);
                store.save(loading);
                LOG.info("Table {}: export {} completed ({} items)", tableName, arn, export.itemCount());
                return loading;
            }
            if (export.exportStatus() == ExportStatus.FAILED) {
                String cause = export.failureCode() + ": " + export.failureMessage();
                if (resumed && options.exportArn() == null) {
                    LOG.warn("Table {}: the checkpointed export {} had failed ({}); requesting a new export", tableName,
                            arn, cause);
                    state = begin(state.attempt() + 1);
                    if (state == null) {
                        return null;
                    }
                    resumed = false;
                    continue;
                }
                throw new SnapshotException("Export " + arn + " of table " + tableName + " failed: " + cause
                                            + ". Fix the cause (bucket, permissions, KMS key) and restart the route:"
                                            + " it requests a new export.");
            }
            resumed = false;
            if (polls % 10 == 0) {
                LOG.info("Table {}: export {} still {} after {}", tableName, arn, export.exportStatusAsString(),
                        java.time.Duration.between(waitingSince, Instant.now()));
            }
            pause(options.exportPollInterval());
        }
        return null;
    }

    /**
     * Requests (or adopts) the export and checkpoints it before anything waits on it; {@code null} if the consumer
     * stopped meanwhile. Repeating the request is safe: its client token makes it idempotent.
     */
    private SnapshotState begin(int attempt) {
        ExportDescription export;
        String adopt = options.exportArn();
        if (adopt != null) {
            export = retrying(() -> exports.describe(adopt), "DescribeExport " + adopt);
            if (export == null) {
                return null;
            }
            checkUsable(export);
            LOG.info("Table {}: adopting export {} (export time {}, status {})", tableName, export.exportArn(),
                    export.exportTime(), export.exportStatusAsString());
        } else {
            export = retrying(() -> exports.request(options, attempt), "ExportTableToPointInTime");
            if (export == null) {
                return null;
            }
            LOG.info("Table {}: requested export {} (export time {}) into s3://{}/{}; polling its status every {} ms",
                    tableName, export.exportArn(), export.exportTime(), options.exportS3Bucket(),
                    options.exportS3Prefix() == null ? "" : options.exportS3Prefix(),
                    options.exportPollInterval());
        }
        Instant exportTime = export.exportTime() != null ? export.exportTime()
                : export.startTime() != null ? export.startTime() : Instant.now();
        SnapshotState state = new SnapshotState(SnapshotState.Stage.EXPORTING, attempt, exportTime.toEpochMilli(),
                export.exportArn());
        store.save(state);
        return state;
    }

    private void checkUsable(ExportDescription export) {
        if (export.tableArn() != null && !export.tableArn().equals(tableArn)) {
            throw new SnapshotException("Export " + export.exportArn() + " is an export of " + export.tableArn()
                                        + ", not of table " + tableArn);
        }
        if (export.exportType() != null && export.exportType() != ExportType.FULL_EXPORT) {
            throw new SnapshotException("Export " + export.exportArn() + " is an " + export.exportTypeAsString()
                                        + "; only a FULL_EXPORT can be a snapshot");
        }
    }

    /** LOADING: true when every data file is loaded, false when the consumer stopped first. */
    private boolean load(SnapshotState state) throws InterruptedException {
        String arn = state.exportArn();
        ExportDescription export = completed != null ? completed
                : retrying(() -> exports.describe(arn), "DescribeExport " + arn);
        if (export == null) {
            return false;
        }
        ExportManifest manifest = ExportManifest.read(s3, export.s3Bucket(), export.exportManifest(), arn);
        long streamFrom = streamFromMillis(state);
        SnapshotItemMapper mapper = new SnapshotItemMapper(tableName, keySchema, arn, state.exportTime().toEpochMilli(),
                DocumentVersion.ofSnapshotItem(streamFrom));
        metrics.dataFilesTotal.set(manifest.dataFiles().size());
        metrics.itemsTotal.set(manifest.itemCount());
        LOG.info("Table {}: loading export {} ({}): {} data files, {} items, {} files at a time", tableName, arn,
                manifest.format(), manifest.dataFiles().size(), manifest.itemCount(),
                options.maxConcurrentDataFiles());
        long started = System.nanoTime();
        loader = new SnapshotLoader(s3, export.s3Bucket(), manifest, mapper, delivery, store, metrics, host::isRunning,
                options.s3DataFileAcknowledgmentTimeout(), tableName, java.time.Clock.systemUTC());
        boolean done = loader.load(executor, options.maxConcurrentDataFiles());
        if (done) {
            LOG.info("Table {}: snapshot loaded: {} items delivered and acknowledged in this run ({} were before) in {} s",
                    tableName, metrics.itemsAcknowledged.get(), metrics.itemsAlreadyDone.get(),
                    (System.nanoTime() - started) / 1_000_000_000);
        }
        return done;
    }

    /** Hands over to the stream at T minus the overlap, after checking the stream still holds records from then. */
    private void handOver(SnapshotState state) {
        long streamFrom = state.exportTime().toEpochMilli() - options.streamOverlap();
        if (!host.streamStarted() && StreamRetention.mayBeTrimmed(streamFrom, System.currentTimeMillis())) {
            String message = "Table " + tableName + ": the snapshot (export " + state.exportArn() + ", export time "
                             + state.exportTime() + ") needs the stream records created since "
                             + Instant.ofEpochMilli(streamFrom) + ", but the stream keeps records for "
                             + StreamRetention.RETENTION.toHours() + " hours only: changes made between then and "
                             + Instant.now().minus(StreamRetention.RETENTION)
                             + " may be lost. Take a new snapshot (another consumerId, or remove checkpoint key "
                             + store.key() + " and the keys below it)";
            metrics.error(message);
            host.reportLoss(new TrimmedDataException(message, null));
            if (options.trimmedDataPolicy() == TrimmedDataPolicy.FAIL) {
                throw new SnapshotException(message + "; the stream is not read (trimmedDataPolicy=FAIL)");
            }
            LOG.error("{}; streaming from the oldest records still available (trimmedDataPolicy=CONTINUE)", message);
        }
        LOG.info("Table {}: snapshot done; streaming records created from {} (export time {} minus streamOverlap {} ms)",
                tableName, Instant.ofEpochMilli(ShardPosition.from(streamFrom).deliversFromMillis()),
                state.exportTime(), options.streamOverlap());
        host.startStreaming(FirstStart.from(streamFrom));
    }

    private long streamFromMillis(SnapshotState state) {
        return ShardPosition.from(state.exportTime().toEpochMilli() - options.streamOverlap())
                .deliversFromMillis();
    }

    /** Calls {@code call}, retrying throttling and transient errors with backoff; {@code null} if stopped meanwhile. */
    private <T> T retrying(Supplier<T> call, String what) {
        Backoff backoff = new Backoff(500, 60_000);
        while (host.isRunning()) {
            try {
                return call.get();
            } catch (ExportNotFoundException e) {
                throw new SnapshotException(what + ": the export does not exist (" + e.getMessage() + "). Remove"
                                            + " checkpoint key " + store.key() + " to take a new snapshot",
                        e);
            } catch (SdkException e) {
                if (StreamErrors.classify(e) != StreamErrors.THROTTLED && !e.retryable()) {
                    throw e;
                }
                long delay = backoff.nextDelayMillis();
                metrics.error(what + ": " + e.getMessage());
                LOG.warn("Table {}: {} failed ({}); retrying in {} ms", tableName, what, e.getMessage(), delay);
                pause(delay);
            }
        }
        return null;
    }

    private void pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        while (host.isRunning() && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(PAUSE_STEP_MILLIS, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes the acknowledged lines of the data files being loaded; called when the consumer stops. */
    public void flush() {
        SnapshotLoader current = loader;
        if (current != null) {
            current.flush();
        }
    }
}
