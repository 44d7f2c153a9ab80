package dev.ddbcdc.camel.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.ChangeHeaders;
import dev.ddbcdc.camel.event.DocumentVersion;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.export.ExportService;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.fakes.ExportFiles;
import dev.ddbcdc.camel.fakes.FakeExports;
import dev.ddbcdc.camel.fakes.FakeObjects;
import dev.ddbcdc.camel.fakes.RecordedLosses;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.TestClock;
import dev.ddbcdc.camel.flow.TrimmedDataException;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The snapshot from its checkpoint to the hand-over: requesting, resuming, retrying and adopting exports, loading a
 * completed export, the hand-over time and document version, the stream's retention and stopping. Against
 * {@link FakeExports} and {@link FakeObjects} holding an export written as DynamoDB writes it.
 */
class SnapshotRunnerTest {

    static final String TABLE = "orders";
    static final String TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
    static final String OTHER_TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/customers";
    static final String STREAM_ARN = TABLE_ARN + "/stream/2024-03-01T00:00:00.000";
    static final String BUCKET = "cdc-exports";
    static final String PREFIX = "snapshots/orders";
    static final Instant EXPORT_TIME = Instant.parse("2024-03-01T10:15:42.345Z");
    static final long OVERLAP = 60_000;
    /** The hand-over: export time minus the overlap (10:14:42.345), floored to the minute. */
    static final long DELIVERS_FROM = Instant.parse("2024-03-01T10:14:00Z").toEpochMilli();
    static final long RUN_LIMIT_SECONDS = 10;

    static final String ARN_A = TABLE_ARN + "/export/01709288142345-aaaaaaaa";
    static final String ARN_B = TABLE_ARN + "/export/01709288142345-bbbbbbbb";
    static final String ARN_C = TABLE_ARN + "/export/01709288142345-cccccccc";
    static final String OTHER_ARN = OTHER_TABLE_ARN + "/export/01709288142345-dddddddd";

    static CamelContext camel;

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void closeCamel() throws Exception {
        camel.close();
    }

    /** Hands each item to a fresh exchange, keeps it, and completes its acknowledgement. */
    final class RecordingDelivery implements Delivery {
        final List<String> deliveredKeys = new CopyOnWriteArrayList<>();
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        /** Runs once, before the first item is handed over. */
        volatile Runnable beforeFirst = () -> { };
        private final AtomicBoolean first = new AtomicBoolean(true);

        @Override
        public void deliver(Consumer<Exchange> filler, Supplier<String> deliveredKey, Supplier<String> description,
                            Acknowledgement ack) {
            if (first.compareAndSet(true, false)) {
                beforeFirst.run();
            }
            Exchange exchange = new DefaultExchange(camel);
            filler.accept(exchange);
            exchanges.add(exchange);
            deliveredKeys.add(deliveredKey.get());
            ack.completed();
        }
    }

    final TestClock clock = new TestClock(EXPORT_TIME.plus(Duration.ofMinutes(10)).toEpochMilli());
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
    final ExecutorService caller = Executors.newSingleThreadExecutor();
    RunContext run = new RunContext(clock, executor);
    final FakeExports exports = new FakeExports(TABLE_ARN);
    final FakeObjects s3 = new FakeObjects().bucket(BUCKET);
    final MemoryStateRepository repository = new MemoryStateRepository();
    final SnapshotCheckpointStore store = new SnapshotCheckpointStore(repository,
            new CheckpointKeys("consumer-1", STREAM_ARN));
    final SnapshotMetrics metrics = new SnapshotMetrics();
    final RecordingDelivery delivery = new RecordingDelivery();
    final RecordedLosses losses = new RecordedLosses();
    final List<Phase> phases = new CopyOnWriteArrayList<>();
    volatile boolean streamStarted;

    @AfterEach
    void stop() {
        run.stop();
        caller.shutdownNow();
        executor.shutdownNow();
    }

    static SnapshotOptions options(String adoptedExportArn, long pollIntervalMillis) {
        return new SnapshotOptions("consumer-1", adoptedExportArn, BUCKET, PREFIX, null, null,
                ExportFormat.DYNAMODB_JSON, pollIntervalMillis, 2, 30_000, OVERLAP);
    }

    static SnapshotOptions options() {
        return options(null, 0);
    }

    SnapshotRunner runner(SnapshotOptions options) {
        return runner(options, TrimmedDataPolicy.FAIL);
    }

    SnapshotRunner runner(SnapshotOptions options, TrimmedDataPolicy policy) {
        LossPolicy lossPolicy = new LossPolicy(policy, losses);
        return new SnapshotRunner(options, new ExportService(exports, TABLE, TABLE_ARN, 1), s3,
                new SnapshotWork(store, delivery, metrics, run, new KeySchema("pk", null), TABLE, lossPolicy,
                        () -> streamStarted, phases::add), TABLE_ARN, 0);
    }

    /** Runs the snapshot on another thread and waits for its result, at most {@value #RUN_LIMIT_SECONDS} s. */
    SnapshotResult runToEnd(SnapshotRunner runner) throws Exception {
        return CompletableFuture.supplyAsync(runner::run, caller).get(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
    }

    static String item(String pk, int n) {
        return "{\"pk\":{\"S\":\"" + pk + "\"},\"n\":{\"N\":\"" + n + ".50\"},\"tags\":{\"SS\":[\"x\",\"y\"]}}";
    }

    /** An export of three data files (one an empty partition) and five items. */
    ExportFiles.Written writeExport(String exportArn, Instant exportTime) {
        return ExportFiles.write(s3, BUCKET, PREFIX, exportArn, TABLE_ARN, exportTime, List.of(
                List.of(item("a1", 1), item("a2", 2), item("a3", 3)),
                List.of(),
                List.of(item("b1", 4), item("b2", 5))));
    }

    static Set<String> deliveredKeysOf(ExportFiles.Written files) {
        Set<String> keys = new HashSet<>();
        for (ExportFiles.DataFile file : files.dataFiles()) {
            for (int line = 1; line <= file.items().size(); line++) {
                keys.add(CheckpointKeys.deliveredItem(file.key(), line));
            }
        }
        return keys;
    }

    void assertEveryItemDeliveredOnce(ExportFiles.Written files) {
        assertEquals(deliveredKeysOf(files), Set.copyOf(delivery.deliveredKeys));
        assertEquals(files.itemCount(), delivery.deliveredKeys.size(), "each item once");
        for (ExportFiles.DataFile file : files.dataFiles()) {
            assertTrue(store.isFileDone(file.key()), file.key() + " is checkpointed done");
        }
    }

    static SnapshotState state(Phase phase, int attempt, Instant exportTime, String arn) {
        return new SnapshotState(phase, attempt, exportTime.toEpochMilli(), arn);
    }

    // ---- a completed export ----

    @Test
    void aCompletedExportIsLoadedAndHandsOverAtTheExportTimeMinusTheOverlap() throws Exception {
        ExportFiles.Written files = writeExport(ARN_A, EXPORT_TIME);
        exports.export(ARN_A).at(EXPORT_TIME).written(files)
                .statuses(ExportStatus.IN_PROGRESS, ExportStatus.IN_PROGRESS, ExportStatus.COMPLETED);
        exports.answerNextRequestWith(ARN_A);

        SnapshotResult result = runToEnd(runner(options()));

        HandOver handOver = assertInstanceOf(SnapshotResult.Completed.class, result).handOver();
        assertEquals(ARN_A, handOver.exportArn());
        assertEquals(EXPORT_TIME, handOver.exportTime());
        assertEquals(EXPORT_TIME.toEpochMilli() - OVERLAP, handOver.streamFromMillis());
        assertEquals(DELIVERS_FROM, handOver.deliversFromMillis());
        long version = DocumentVersion.ofSnapshotItem(DELIVERS_FROM);
        assertEquals(version, handOver.documentVersion());

        assertEveryItemDeliveredOnce(files);
        Set<Object> keys = new HashSet<>();
        for (Exchange exchange : delivery.exchanges) {
            assertEquals(version, exchange.getMessage().getHeader(ChangeHeaders.DOCUMENT_VERSION),
                    "every item carries the snapshot's document version");
            keys.add(((Map<?, ?>) exchange.getMessage().getBody()).get("pk"));
        }
        assertEquals(Set.of("a1", "a2", "a3", "b1", "b2"), keys);
        assertEquals(state(Phase.STREAMING, 1, EXPORT_TIME, ARN_A), store.load());
        assertEquals(List.of(Phase.EXPORTING, Phase.LOADING), phases);

        assertEquals(1, exports.requests().size());
        ExportTableToPointInTimeRequest request = exports.requests().get(0);
        assertEquals(TABLE_ARN, request.tableArn());
        assertEquals(BUCKET, request.s3Bucket());
        assertEquals(PREFIX, request.s3Prefix());
        assertEquals(ExportType.FULL_EXPORT, request.exportType());
        assertEquals("DYNAMODB_JSON", request.exportFormatAsString());
        for (ExportFiles.DataFile file : files.dataFiles()) {
            assertTrue(s3.opens().contains(new FakeObjects.Open(BUCKET, file.key(), file.etag())),
                    file.key() + " is opened on the condition of the ETag manifest-files.json gives");
        }
    }

    @Test
    void aSnapshotAlreadyDoneGoesStraightToCompletedWithoutAnyExportCall() throws Exception {
        store.save(state(Phase.STREAMING, 1, EXPORT_TIME, ARN_A));

        SnapshotResult result = runToEnd(runner(options()));

        HandOver handOver = assertInstanceOf(SnapshotResult.Completed.class, result).handOver();
        assertEquals(new HandOver(ARN_A, EXPORT_TIME, EXPORT_TIME.toEpochMilli() - OVERLAP, 0), handOver);
        assertEquals(0, exports.calls(), "no export call");
        assertEquals(List.of(), s3.opens(), "nothing is read");
        assertEquals(List.of(), delivery.deliveredKeys);
        assertEquals(List.of(), phases);
        assertEquals(List.of(), losses.counted);
    }

    // ---- failed exports ----

    @Test
    void aFailedExportOfThisRunEndsAsFailedNamingItsFailureCode() throws Exception {
        exports.export(ARN_A).at(EXPORT_TIME).statuses(ExportStatus.IN_PROGRESS)
                .fails("S3NoSuchBucket", "The specified bucket does not exist");
        exports.answerNextRequestWith(ARN_A).answerNextRequestWith(ARN_B);
        exports.export(ARN_B).at(EXPORT_TIME).written(writeExport(ARN_B, EXPORT_TIME));

        SnapshotResult result = runToEnd(runner(options()));

        String message = assertInstanceOf(SnapshotResult.Failed.class, result).cause().getMessage();
        assertTrue(message.contains("S3NoSuchBucket"), message);
        assertTrue(message.contains(ARN_A), message);
        assertEquals(1, exports.requests().size(), "an export that failed in this run is not requested again");
        assertEquals(state(Phase.EXPORTING, 1, EXPORT_TIME, ARN_A), store.load(),
                "the failed export stays checkpointed, for the next start");
        assertEquals(List.of(), delivery.deliveredKeys);
    }

    /** The client tokens ExportService derives for attempts 1 and 2 of these options. */
    static List<String> clientTokensOfAttempts1And2() {
        FakeExports probe = new FakeExports(TABLE_ARN);
        probe.export("probe-1");
        probe.export("probe-2");
        probe.answerNextRequestWith("probe-1").answerNextRequestWith("probe-2");
        ExportService service = new ExportService(probe, TABLE, TABLE_ARN, 1);
        service.request(options(), 1);
        service.request(options(), 2);
        return probe.clientTokens();
    }

    @Test
    void aFailedExportCheckpointedByAnEarlierRunIsRequestedAgainAsAttempt2WithAnotherClientToken() throws Exception {
        Instant firstExportTime = EXPORT_TIME.minus(Duration.ofHours(2));
        store.save(state(Phase.EXPORTING, 1, firstExportTime, ARN_A));
        exports.export(ARN_A).at(firstExportTime).fails("S3AccessDenied", "Access Denied");
        ExportFiles.Written files = writeExport(ARN_B, EXPORT_TIME);
        exports.export(ARN_B).at(EXPORT_TIME).written(files)
                .statuses(ExportStatus.IN_PROGRESS, ExportStatus.COMPLETED);
        exports.answerNextRequestWith(ARN_B);

        SnapshotResult result = runToEnd(runner(options()));

        HandOver handOver = assertInstanceOf(SnapshotResult.Completed.class, result).handOver();
        assertEquals(ARN_B, handOver.exportArn());
        assertEquals(EXPORT_TIME.toEpochMilli() - OVERLAP, handOver.streamFromMillis(),
                "the hand-over is at the new export's time");
        assertEquals(1, exports.requests().size(), "one new request");
        List<String> tokens = clientTokensOfAttempts1And2();
        assertNotEquals(tokens.get(0), tokens.get(1));
        assertEquals(tokens.get(1), exports.clientTokens().get(0), "the new request is attempt 2");
        assertEquals(state(Phase.STREAMING, 2, EXPORT_TIME, ARN_B), store.load());
        assertEveryItemDeliveredOnce(files);
    }

    @Test
    void aRetriedExportThatFailsAgainIsNotRetriedASecondTime() throws Exception {
        store.save(state(Phase.EXPORTING, 1, EXPORT_TIME, ARN_A));
        exports.export(ARN_A).at(EXPORT_TIME).fails("S3AccessDenied", "Access Denied");
        // FAILED at its first poll, as a request with a bad KMS key or bucket is: not mistaken for a resumed export
        exports.export(ARN_B).at(EXPORT_TIME).fails("KmsKeyDisabled", "disabled");
        exports.export(ARN_C).at(EXPORT_TIME).written(writeExport(ARN_C, EXPORT_TIME));
        exports.answerNextRequestWith(ARN_B).answerNextRequestWith(ARN_C);

        SnapshotResult result = runToEnd(runner(options()));

        String message = assertInstanceOf(SnapshotResult.Failed.class, result).cause().getMessage();
        assertTrue(message.contains("KmsKeyDisabled"), message);
        assertEquals(1, exports.requests().size(), "retried once, not twice");
        assertEquals(state(Phase.EXPORTING, 2, EXPORT_TIME, ARN_B), store.load());
    }

    @Test
    void aStartAfterARunWhoseExportFailedRequestsANewExport() throws Exception {
        exports.export(ARN_A).at(EXPORT_TIME).statuses(ExportStatus.IN_PROGRESS).fails("S3NoSuchBucket", "missing");
        ExportFiles.Written files = writeExport(ARN_B, EXPORT_TIME);
        exports.export(ARN_B).at(EXPORT_TIME).written(files);
        exports.answerNextRequestWith(ARN_A).answerNextRequestWith(ARN_B);
        assertInstanceOf(SnapshotResult.Failed.class, runToEnd(runner(options())));
        run.stop();

        run = new RunContext(clock, executor); // the route is started again
        SnapshotResult result = runToEnd(runner(options()));

        assertEquals(ARN_B, assertInstanceOf(SnapshotResult.Completed.class, result).handOver().exportArn());
        assertEquals(2, exports.requests().size());
        assertNotEquals(exports.clientTokens().get(0), exports.clientTokens().get(1),
                "a repeated token would only return the failed export again");
        assertEquals(2, store.load().attempt());
        assertEveryItemDeliveredOnce(files);
    }

    // ---- adopted exports ----

    @Test
    void anAdoptedExportOfAnotherTableIsFailed() throws Exception {
        ExportFiles.Written files = ExportFiles.write(s3, BUCKET, PREFIX, OTHER_ARN, OTHER_TABLE_ARN, EXPORT_TIME,
                List.of(List.of(item("c1", 1))));
        exports.export(OTHER_ARN).ofTable(OTHER_TABLE_ARN).at(EXPORT_TIME).written(files);

        SnapshotResult result = runToEnd(runner(options(OTHER_ARN, 0), TrimmedDataPolicy.FAIL));

        String message = assertInstanceOf(SnapshotResult.Failed.class, result).cause().getMessage();
        assertTrue(message.contains(OTHER_TABLE_ARN), message);
        assertEquals(List.of(), exports.requests());
        assertNull(store.load(), "nothing is checkpointed for an export that cannot be the snapshot");
        assertEquals(List.of(), s3.opens());
        assertEquals(List.of(), delivery.deliveredKeys);
    }

    @Test
    void anAdoptedIncrementalExportIsFailed() throws Exception {
        exports.export(ARN_A).at(EXPORT_TIME).type(ExportType.INCREMENTAL_EXPORT)
                .written(writeExport(ARN_A, EXPORT_TIME));

        SnapshotResult result = runToEnd(runner(options(ARN_A, 0), TrimmedDataPolicy.FAIL));

        String message = assertInstanceOf(SnapshotResult.Failed.class, result).cause().getMessage();
        assertTrue(message.contains("INCREMENTAL_EXPORT"), message);
        assertEquals(List.of(), exports.requests());
        assertNull(store.load());
        assertEquals(List.of(), delivery.deliveredKeys);
    }

    @Test
    void anAdoptedExportThatFailedIsNotReplacedByANewRequest() throws Exception {
        store.save(state(Phase.EXPORTING, 1, EXPORT_TIME, ARN_A));
        exports.export(ARN_A).at(EXPORT_TIME).fails("S3AccessDenied", "Access Denied");
        exports.export(ARN_B).at(EXPORT_TIME).written(writeExport(ARN_B, EXPORT_TIME));
        exports.answerNextRequestWith(ARN_B);

        SnapshotResult result = runToEnd(runner(options(ARN_A, 0), TrimmedDataPolicy.FAIL));

        String message = assertInstanceOf(SnapshotResult.Failed.class, result).cause().getMessage();
        assertTrue(message.contains("S3AccessDenied"), message);
        assertEquals(List.of(), exports.requests(), "the user chose that export: no other is requested");
    }

    // ---- the stream's retention ----

    void snapshotDoneAt(long nowMillis) {
        store.save(state(Phase.STREAMING, 1, EXPORT_TIME, ARN_A));
        clock.advance(nowMillis - clock.millis());
    }

    /** The export time itself is within 24 hours, the hand-over (export time minus the overlap) is not. */
    static final long JUST_PAST_RETENTION = EXPORT_TIME.toEpochMilli() + Duration.ofHours(24).toMillis() - OVERLAP / 2;

    @Test
    void aHandOverOlderThanTheStreamRetentionIsReportedOnceAndFailsUnderFail() throws Exception {
        snapshotDoneAt(JUST_PAST_RETENTION);

        SnapshotResult result = runToEnd(runner(options(null, 0), TrimmedDataPolicy.FAIL));

        assertInstanceOf(SnapshotResult.Failed.class, result);
        assertEquals(1, losses.counted.size());
        assertEquals(1, losses.handled.size());
        assertInstanceOf(TrimmedDataException.class, losses.handled.get(0));
        assertTrue(losses.counted.get(0).contains(ARN_A), losses.counted.get(0));
    }

    @Test
    void aHandOverOlderThanTheStreamRetentionIsReportedOnceAndCompletesUnderContinue() throws Exception {
        snapshotDoneAt(JUST_PAST_RETENTION);

        SnapshotResult result = runToEnd(runner(options(null, 0), TrimmedDataPolicy.CONTINUE));

        HandOver handOver = assertInstanceOf(SnapshotResult.Completed.class, result).handOver();
        assertEquals(EXPORT_TIME.toEpochMilli() - OVERLAP, handOver.streamFromMillis());
        assertEquals(1, losses.counted.size());
        assertEquals(1, losses.handled.size());
    }

    @Test
    void aHandOverWithinTheStreamRetentionIsNoLoss() throws Exception {
        snapshotDoneAt(EXPORT_TIME.toEpochMilli() - OVERLAP + Duration.ofHours(24).toMillis() - 1_000);

        SnapshotResult result = runToEnd(runner(options(null, 0), TrimmedDataPolicy.FAIL));

        assertInstanceOf(SnapshotResult.Completed.class, result);
        assertEquals(List.of(), losses.counted);
    }

    @Test
    void aStreamAlreadyStartedIsNotCheckedAgainstTheRetentionAgain() throws Exception {
        snapshotDoneAt(EXPORT_TIME.toEpochMilli() + Duration.ofDays(3).toMillis());
        streamStarted = true;

        SnapshotResult result = runToEnd(runner(options(null, 0), TrimmedDataPolicy.FAIL));

        assertInstanceOf(SnapshotResult.Completed.class, result);
        assertEquals(List.of(), losses.counted, "the stream goes on from its own checkpoints");
    }

    @Test
    void aLoadThatOutlivesTheStreamRetentionIsReportedAtTheHandOver() throws Exception {
        ExportFiles.Written files = writeExport(ARN_A, EXPORT_TIME);
        exports.export(ARN_A).at(EXPORT_TIME).written(files);
        exports.answerNextRequestWith(ARN_A);
        delivery.beforeFirst = () -> clock.advance(Duration.ofHours(25).toMillis()); // a very slow route

        SnapshotResult result = runToEnd(runner(options(null, 0), TrimmedDataPolicy.FAIL));

        assertInstanceOf(SnapshotResult.Failed.class, result);
        assertEquals(1, losses.counted.size());
        assertEveryItemDeliveredOnce(files);
        assertTrue(store.load().isDone(), "the load itself is done and checkpointed");
    }

    // ---- stopping ----

    @Test
    void stoppingTheRunWhileWaitingForTheExportEndsAsStopped() throws Exception {
        exports.export(ARN_A).at(EXPORT_TIME).statuses(ExportStatus.IN_PROGRESS);
        exports.answerNextRequestWith(ARN_A);
        SnapshotRunner runner = runner(options(null, 60_000), TrimmedDataPolicy.FAIL);

        CompletableFuture<SnapshotResult> result = CompletableFuture.supplyAsync(runner::run, caller);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_LIMIT_SECONDS);
        while (exports.describeCalls(ARN_A) == 0) {
            if (System.nanoTime() > deadline) {
                fail("the export was never polled");
            }
            Thread.sleep(5);
        }
        assertEquals(state(Phase.EXPORTING, 1, EXPORT_TIME, ARN_A), store.load(),
                "the export is checkpointed before the consumer waits for it");
        run.stop();

        assertInstanceOf(SnapshotResult.Stopped.class, result.get(RUN_LIMIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, exports.requests().size());
        assertEquals(state(Phase.EXPORTING, 1, EXPORT_TIME, ARN_A), store.load());
        assertEquals(List.of(), delivery.deliveredKeys);
        assertEquals(List.of(Phase.EXPORTING), phases);
    }
}
