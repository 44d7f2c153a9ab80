package dev.ddbcdc.camel.engine;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.ChangeItemMapper;
import dev.ddbcdc.camel.event.KeySchema;
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

/**
 * The "snapshot" of a generation that bridges its gap by incremental exports (trimmedDataPolicy=INCREMENTAL_EXPORT):
 * the chain of incremental exports from the gap's start T0 ({@link Generation#bridgeFromMillis()}) to T1, about the
 * time the bridge begins, in the windows of its {@link BridgePlan}, each changed item delivered as INSERT, MODIFY or
 * REMOVE ({@link ChangeItemMapper}) with the window's document version; then the stream from T1 minus
 * {@code streamOverlap}, the hand-over of a snapshot at T1 ({@link HandOverCheck}).
 * <ul>
 * <li>T1 minus {@code streamOverlap} is at least the minute after the creation of the table's stream: a stream
 * replaced during the gap holds only the changes made after its creation, so the changes made before it must be in
 * the exports, which hold those made up to about a minute before their end (the overlap is at least that); and every
 * record of the old stream (creation times are floored to the minute) must be older than the first record the new
 * stream delivers after the bridge, whose version is above the bridge's ({@link BridgePlan}). The bridge waits for
 * that time when the stream is younger and was created after the gap began (the stream a gap was found on lacks
 * nothing of it that the stream still holds). T1 also lies {@value #CLOCK_MARGIN_MILLIS} ms before this consumer's
 * now, so a clock a little ahead of AWS's does not ask for a window ending in AWS's future.</li>
 * <li>Checkpoints, like an export snapshot's: the plan's span before the first request, each window's export before
 * it is waited on, each data file's acknowledged lines, the window loaded. A restart resumes where it was and never
 * requests a window twice (the request's client token is derived from the consumer, table, window and
 * generation).</li>
 * <li>Point-in-time recovery was checked to cover the plan when the gap was found ({@link GapBridge}); an export that
 * fails anyway (point-in-time recovery disabled since) fails the bridge with AWS's reason.</li>
 * </ul>
 */
final class IncrementalBridge implements Snapshot {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalBridge.class);
    /** How far before this consumer's now a bridge ends. */
    static final long CLOCK_MARGIN_MILLIS = 5_000;
    private static final long MINUTE_MILLIS = 60_000;

    private final SnapshotOptions options;
    private final ExportService exports;
    private final ObjectStore s3;
    private final SnapshotCheckpointStore store;
    private final Delivery delivery;
    private final SnapshotMetrics metrics;
    private final RunContext run;
    private final KeySchema keySchema;
    private final String tableName;
    private final Generation generation;
    private final long streamCreatedMillis;
    private final LossPolicy losses;
    private final BooleanSupplier streamStarted;
    private final Consumer<Phase> phases;
    private volatile SnapshotLoader loader;

    /**
     * @param options             the export options of the bridge (bucket, prefix, polling, loading, overlap)
     * @param generation          the bridged generation, whose gap starts at {@link Generation#bridgeFromMillis()}
     * @param streamCreatedMillis when the table's stream was created (0: not known)
     */
    IncrementalBridge(SnapshotOptions options, ExportService exports, ObjectStore s3, SnapshotWork work,
                      Generation generation, long streamCreatedMillis) {
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
        this.generation = generation;
        this.streamCreatedMillis = streamCreatedMillis;
    }

    @Override
    public SnapshotResult run() {
        return SnapshotResult.of(run, tableName, () -> {
            SnapshotState state = store.load();
            if (state != null && !state.isBridge()) {
                throw new SnapshotException("Checkpoint key " + store.key() + " of " + generation + " holds a"
                                            + " snapshot (" + state.source() + "), not a bridge of its gap");
            }
            if (state == null && (state = begin()) == null) {
                return new SnapshotResult.Stopped();
            }
            BridgePlan plan = BridgePlan.between(state.fromMillis(), state.time().toEpochMilli());
            while (!state.isDone()) {
                if (state.phase() == Phase.EXPORTING) {
                    phases.accept(Phase.EXPORTING);
                    state = export(state, plan);
                    if (state == null) {
                        return new SnapshotResult.Stopped();
                    }
                }
                phases.accept(Phase.LOADING);
                if (!load(state, plan)) {
                    return new SnapshotResult.Stopped();
                }
                state = state.window() < plan.size() ? state.nextWindow() : state.moveTo(Phase.STREAMING);
                store.save(state);
            }
            return HandOverCheck.complete(state, plan.handOver(state.exportArn(), options.streamOverlap()), false,
                    streamStarted, run.millis(), metrics, losses, store.key(), tableName, options.streamOverlap());
        });
    }

    /** Plans the bridge and checkpoints its span; {@code null} if the run stopped first. */
    private SnapshotState begin() {
        long settled = Math.floorDiv(streamCreatedMillis, MINUTE_MILLIS) * MINUTE_MILLIS + MINUTE_MILLIS
                       + options.streamOverlap() + CLOCK_MARGIN_MILLIS;
        if (streamReplaced() && run.millis() < settled) {
            LOG.info("Table {}: the bridge of {} begins at {}, streamOverlap after the minute after the stream's"
                     + " creation, so that its exports hold every change the stream lacks", tableName, generation,
                    Instant.ofEpochMilli(settled));
            while (run.isRunning() && run.millis() < settled) {
                run.pause(Math.min(1000, settled - run.millis()));
            }
            if (!run.isRunning()) {
                return null;
            }
        }
        Instant earliest = retrying(exports::earliestRestorableTime, "DescribeContinuousBackups");
        if (!run.isRunning()) {
            return null;
        }
        BridgePlan plan = BridgePlan.of(generation.bridgeFromMillis(), run.millis() - CLOCK_MARGIN_MILLIS,
                earliest == null ? Long.MIN_VALUE : earliest.toEpochMilli());
        SnapshotState state = SnapshotState.bridging(1, plan.fromMillis(), plan.toMillis(), null);
        store.save(state);
        LOG.info("Table {}: bridging the gap of {} by {} incremental exports from {} to {} into s3://{}/{}", tableName,
                generation, plan.size(), Instant.ofEpochMilli(plan.fromMillis()),
                Instant.ofEpochMilli(plan.toMillis()), options.exportS3Bucket(),
                options.exportS3Prefix() == null ? "" : options.exportS3Prefix());
        return state;
    }

    /**
     * Whether the stream the bridge hands over to was created after the gap began: the generation began because the
     * stream was replaced, or the stream is younger than the generation (replaced while the consumer was stopped).
     */
    private boolean streamReplaced() {
        return streamCreatedMillis > 0 && (generation.cause() == Generation.Cause.STREAM_REPLACED
                                           || streamCreatedMillis > generation.sinceMillis());
    }

    /** EXPORTING: until the window's export completed; returns the LOADING state, or {@code null} if stopped. */
    private SnapshotState export(SnapshotState waiting, BridgePlan plan) {
        BridgePlan.Window window = plan.window(waiting.window());
        SnapshotState state = waiting;
        if (state.exportArn() == null) {
            ExportDescription requested = retrying(() -> exports.requestIncremental(options, window.fromMillis(),
                    window.toMillis()), "ExportTableToPointInTime (INCREMENTAL_EXPORT, " + window + ")");
            if (requested == null) {
                return null;
            }
            state = state.withExport(requested.exportArn());
            store.save(state);
            LOG.info("Table {}: requested incremental export {} of {} of {}", tableName, requested.exportArn(), window,
                    plan.size());
        }
        String arn = state.exportArn();
        while (run.isRunning()) {
            ExportDescription export = retrying(() -> exports.describe(arn), "DescribeExport " + arn);
            if (export == null) {
                return null;
            }
            metrics.exportPolls.incrementAndGet();
            if (export.exportStatus() == ExportStatus.COMPLETED) {
                SnapshotState loading = state.moveTo(Phase.LOADING);
                store.save(loading);
                LOG.info("Table {}: incremental export {} of {} completed ({} items)", tableName, arn, window,
                        export.itemCount());
                return loading;
            }
            if (export.exportStatus() == ExportStatus.FAILED) {
                throw new SnapshotException("Incremental export " + arn + " (" + window + ") of table " + tableName
                                            + ", bridging the gap of " + generation + ", failed: "
                                            + export.failureCode() + ": " + export.failureMessage() + ". Fix the"
                                            + " cause (point-in-time recovery, bucket, permissions, KMS key), remove"
                                            + " checkpoint key " + store.key() + " and restart the route: the bridge"
                                            + " is planned again");
            }
            run.pause(options.exportPollInterval());
        }
        return null;
    }

    /** LOADING: true when every data file of the window's export is loaded, false when the run stopped first. */
    private boolean load(SnapshotState state, BridgePlan plan) throws InterruptedException {
        String arn = state.exportArn();
        ExportDescription export = retrying(() -> exports.describe(arn), "DescribeExport " + arn);
        if (export == null) {
            return false;
        }
        ExportManifest manifest = ExportManifest.read(s3, export.s3Bucket(), export.exportManifest(), arn, true);
        ChangeItemMapper mapper = new ChangeItemMapper(tableName, keySchema, arn,
                plan.documentVersion(state.window(), options.streamOverlap()), manifest.oldImages());
        metrics.dataFilesTotal.set(manifest.dataFiles().size());
        metrics.itemsTotal.set(manifest.itemCount());
        LOG.info("Table {}: loading incremental export {} ({} of {}): {} data files, {} changed items", tableName,
                arn, plan.window(state.window()), plan.size(), manifest.dataFiles().size(), manifest.itemCount());
        loader = new SnapshotLoader(s3, export.s3Bucket(), manifest, mapper, delivery, store, metrics, run::isRunning,
                options.s3DataFileAcknowledgmentTimeout(), tableName, run.clock());
        return loader.load(task -> run.submit(task, 0), options.maxConcurrentDataFiles());
    }

    private <T> T retrying(Supplier<T> call, String what) {
        return ExportCalls.retrying(run, metrics, tableName, store.key(), call, what);
    }

    @Override
    public void flush() {
        SnapshotLoader current = loader;
        if (current != null) {
            current.flush();
        }
    }
}
