package dev.ddbcdc.camel.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.event.SnapshotItemMapper;
import dev.ddbcdc.camel.export.ExportManifest;
import dev.ddbcdc.camel.export.ExportService;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotLoader;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.port.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportType;

/**
 * Runs the snapshot on one thread, from whatever the checkpoint says, to the hand-over to the stream, and returns how
 * it ended ({@link SnapshotResult}):
 * <ol>
 * <li>EXPORTING: request the export (or adopt {@code exportArn}) and checkpoint its ARN and export time T before
 * waiting; poll DescribeExport until it completes. A persisted export is never requested again; only when it had
 * FAILED does a later start request a new one.</li>
 * <li>LOADING: read the manifests and load the data files ({@link SnapshotLoader}); then checkpoint DONE.</li>
 * <li>Hand-over ({@link HandOver}): stream every shard from its oldest record, delivering records created at or after
 * T minus {@code streamOverlap}. If such records may already be trimmed (the snapshot took longer than the stream's
 * retention allows), the possible gap goes to the {@link LossPolicy}.</li>
 * </ol>
 * Any {@link SnapshotException} ends the run as {@link SnapshotResult.Failed}; the checkpoint keeps what was done.
 */
public final class SnapshotRunner implements Snapshot {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRunner.class);
    private final SnapshotOptions options;
    private final ExportService exports;
    private final ObjectStore s3;
    private final SnapshotCheckpointStore store;
    private final Delivery delivery;
    private final SnapshotMetrics metrics;
    private final RunContext run;
    private final KeySchema keySchema;
    private final String tableName;
    private final String tableArn;
    private final long versionFloorMillis;
    private final LossPolicy losses;
    private final BooleanSupplier streamStarted;
    private final Consumer<Phase> phases;
    private volatile SnapshotLoader loader;
    /** The description of the export once seen COMPLETED in this run, so LOADING need not ask again. */
    private ExportDescription completed;

    /**
     * @param work               the run's checkpoints, delivery and metrics; its phases are told of EXPORTING and LOADING
     * @param versionFloorMillis the time whose document version the items carry at least ({@link HandOver}; 0: none)
     */
    public SnapshotRunner(SnapshotOptions options, ExportService exports, ObjectStore s3, SnapshotWork work,
                          String tableArn, long versionFloorMillis) {
        this.store = work.store();
        this.delivery = work.delivery();
        this.metrics = work.metrics();
        this.run = work.run();
        this.keySchema = work.keySchema();
        this.tableName = work.tableName();
        this.losses = work.losses();
        this.streamStarted = work.streamStarted();
        this.phases = work.phases();
        this.options = options;
        this.exports = exports;
        this.s3 = s3;
        this.tableArn = tableArn;
        this.versionFloorMillis = versionFloorMillis;
    }

    @Override
    public SnapshotResult run() {
        return SnapshotResult.of(run, tableName, () -> {
            SnapshotState state = store.load();
            if (state == null || state.phase() == Phase.EXPORTING) {
                phases.accept(Phase.EXPORTING);
                state = export(state);
            }
            if (state == null) {
                return new SnapshotResult.Stopped();
            }
            if (state.phase() == Phase.LOADING) {
                phases.accept(Phase.LOADING);
                if (!load(state)) {
                    return new SnapshotResult.Stopped();
                }
                state = state.moveTo(Phase.STREAMING);
                store.save(state);
            }
            return handOver(state);
        });
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
        Instant waitingSince = run.clock().instant();
        int polls = 0;
        while (run.isRunning()) {
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
                SnapshotState loading = state.moveTo(Phase.LOADING);
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
                        Duration.between(waitingSince, run.clock().instant()));
            }
            run.pause(options.exportPollInterval());
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
                : export.startTime() != null ? export.startTime() : run.clock().instant();
        SnapshotState state = new SnapshotState(Phase.EXPORTING, attempt, exportTime.toEpochMilli(),
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
        SnapshotItemMapper mapper = new SnapshotItemMapper(tableName, keySchema, arn, state.exportTime().toEpochMilli(),
                handOverOf(state).documentVersion());
        metrics.dataFilesTotal.set(manifest.dataFiles().size());
        metrics.itemsTotal.set(manifest.itemCount());
        LOG.info("Table {}: loading export {} ({}): {} data files, {} items, {} files at a time", tableName, arn,
                manifest.format(), manifest.dataFiles().size(), manifest.itemCount(),
                options.maxConcurrentDataFiles());
        long started = run.millis();
        loader = new SnapshotLoader(s3, export.s3Bucket(), manifest, mapper, delivery, store, metrics, run::isRunning,
                options.s3DataFileAcknowledgmentTimeout(), tableName, run.clock());
        boolean done = loader.load(task -> run.submit(task, 0), options.maxConcurrentDataFiles());
        if (done) {
            LOG.info("Table {}: snapshot loaded: {} items delivered and acknowledged in this run ({} were before) in {} s",
                    tableName, metrics.itemsAcknowledged.sum(), metrics.itemsAlreadyDone.get(),
                    (run.millis() - started) / 1000);
        }
        return done;
    }

    /** Hands over to the stream at T minus the overlap ({@link HandOverCheck}). */
    private SnapshotResult handOver(SnapshotState state) {
        return HandOverCheck.complete(state, handOverOf(state), options.snapshotOnly(), streamStarted, run.millis(),
                metrics, losses, store.key(), tableName, options.streamOverlap());
    }

    private HandOver handOverOf(SnapshotState state) {
        return HandOver.of(state.exportArn(), state.exportTime(), options.streamOverlap(), versionFloorMillis);
    }

    /** Calls {@code call}, retrying throttling and transient errors with backoff; {@code null} if stopped meanwhile. */
    private <T> T retrying(Supplier<T> call, String what) {
        return ExportCalls.retrying(run, metrics, tableName, store.key(), call, what);
    }

    /** Writes the acknowledged lines of the data files being loaded; called when the consumer stops. */
    @Override
    public void flush() {
        SnapshotLoader current = loader;
        if (current != null) {
            current.flush();
        }
    }
}
