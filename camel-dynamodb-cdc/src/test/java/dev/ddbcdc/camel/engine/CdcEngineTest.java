package dev.ddbcdc.camel.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.fakes.ExportFiles;
import dev.ddbcdc.camel.fakes.FakeExports;
import dev.ddbcdc.camel.fakes.FakeObjects;
import dev.ddbcdc.camel.fakes.FakeStream;
import dev.ddbcdc.camel.fakes.ManualScheduler;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.StreamChangedException;
import dev.ddbcdc.camel.flow.TestClock;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.options.ViewOnRemove;
import dev.ddbcdc.camel.port.ExportPort;
import dev.ddbcdc.camel.port.StreamProxy;
import dev.ddbcdc.camel.port.TablePort;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.ShardOwnership;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine as a unit: stream only and snapshot then stream, its phases, starting and stopping it repeatedly on one
 * shared executor, a stream replaced while it was stopped, a failed snapshot and the snapshot's preflight. Every AWS
 * call goes to a fake ({@link FakeStream}, {@link FakeExports}, {@link FakeObjects}, a small {@link TablePort}); the
 * checkpoints live in a {@link MemoryStateRepository} and are asserted through the engine's own stores.
 * <p>
 * Where the engine's tasks need not block on each other, they run on a {@link ManualScheduler}: nothing runs until the
 * test moves the {@link TestClock}, so "before start() returned", "queued" and "not yet" are exact. Loading an export
 * waits on its data file loaders (on the same executor), so that test runs on a real thread pool with bounded waits.
 */
class CdcEngineTest {

    static final String TABLE = "orders";
    static final String CONSUMER = "consumer-1";
    static final String TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
    static final String STREAM_ARN = TABLE_ARN + "/stream/2024-03-01T00:00:00.000";
    static final String NEW_STREAM_ARN = TABLE_ARN + "/stream/2024-03-02T08:00:00.000";
    static final String BUCKET = "cdc-exports";
    static final String PREFIX = "snapshots/orders";
    static final String EXPORT_ARN = TABLE_ARN + "/export/01709288142345-aaaaaaaa";
    static final Instant EXPORT_TIME = Instant.parse("2024-03-01T10:15:42.345Z");
    static final long OVERLAP = 60_000;
    /** The hand-over: export time minus the overlap (10:14:42.345), floored to the minute. */
    static final Instant DELIVERS_FROM = Instant.parse("2024-03-01T10:14:00Z");
    /** Ten minutes after the export time: the snapshot's hand-over is well within the stream's retention. */
    static final long NOW = EXPORT_TIME.plus(Duration.ofMinutes(10)).toEpochMilli();
    /** Simulated time a wait on the {@link ManualScheduler} may take before it fails. */
    static final long SIMULATED_WAIT_LIMIT_MILLIS = 120_000;
    /** Real time a wait on the real thread pool may take before it fails. */
    static final long REAL_WAIT_LIMIT_MILLIS = 15_000;

    static CamelContext camel;

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void closeCamel() throws Exception {
        camel.close();
    }

    /** A stream record handed to the route. */
    record Delivered(String shardId, String sequenceNumber) {
    }

    /** A snapshot item handed to the route, with the engine's phase at that moment. */
    record Item(String deliveredKey, Object pk, Phase phase) {
    }

    /** What the engine passed to its exception handler, with its phase at that moment. */
    record Reported(String message, RuntimeException error, Phase phase) {
    }

    final TestClock clock = new TestClock(NOW);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final List<ScheduledExecutorService> pools = new ArrayList<>();
    final MemoryStateRepository repository = new MemoryStateRepository();
    final FakeStream stream = new FakeStream(STREAM_ARN);
    final FakeExports exports = new FakeExports(TABLE_ARN);
    final FakeObjects s3 = new FakeObjects().bucket(BUCKET);
    final StreamMetrics metrics = new StreamMetrics();
    final SnapshotMetrics snapshotMetrics = new SnapshotMetrics();
    final List<CdcEngine> engines = new CopyOnWriteArrayList<>();
    /** The engine the fakes report the phase of. */
    volatile CdcEngine current;

    /** Stream records and snapshot items in the order they reached the route ("record:seq", "item:key"). */
    final List<String> order = new CopyOnWriteArrayList<>();
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    final List<Item> items = new CopyOnWriteArrayList<>();
    final List<Reported> reported = new CopyOnWriteArrayList<>();
    /** Sequence numbers whose acknowledgement is held back (kept in {@link #held}) instead of completed. */
    final Set<String> hold = ConcurrentHashMap.newKeySet();
    final Map<String, Acknowledgement> held = new ConcurrentHashMap<>();

    final RecordDispatcher dispatcher = (shardId, record, ack) -> {
        String sequenceNumber = record.dynamodb().sequenceNumber();
        delivered.add(new Delivered(shardId, sequenceNumber));
        order.add("record:" + sequenceNumber);
        if (hold.contains(sequenceNumber)) {
            held.put(sequenceNumber, ack);
        } else {
            ack.completed();
        }
    };

    final Delivery delivery = (filler, deliveredKey, description, ack) -> {
        Exchange exchange = new DefaultExchange(camel);
        filler.accept(exchange);
        String key = deliveredKey.get();
        items.add(new Item(key, ((Map<?, ?>) exchange.getMessage().getBody()).get("pk"), phaseNow()));
        order.add("item:" + key);
        ack.completed();
    };

    /** The generations the engine asked to be renewed for (trimmedDataPolicy=RESNAPSHOT). */
    final List<Generation> renewals = new CopyOnWriteArrayList<>();

    final CdcEngine.Events events = new CdcEngine.Events() {
        @Override
        public void handle(String message, RuntimeException error) {
            reported.add(new Reported(message, error, phaseNow()));
        }

        @Override
        public void renew(Generation next) {
            renewals.add(next);
        }
    };

    /** The export calls go to {@link #exports}, each noting the engine's phase; point-in-time recovery may be off. */
    final class ObservedExports implements ExportPort {
        final List<Phase> phases = new CopyOnWriteArrayList<>();
        volatile PointInTimeRecoveryStatus pointInTimeRecovery;

        @Override
        public PointInTimeRecoveryStatus pointInTimeRecovery(String tableName) {
            PointInTimeRecoveryStatus status = exports.pointInTimeRecovery(tableName);
            return pointInTimeRecovery != null ? pointInTimeRecovery : status;
        }

        @Override
        public Instant earliestRestorableTime(String tableName) {
            return exports.earliestRestorableTime(tableName);
        }

        @Override
        public ExportDescription exportTableToPointInTime(ExportTableToPointInTimeRequest request) {
            phases.add(phaseNow());
            return exports.exportTableToPointInTime(request);
        }

        @Override
        public ExportDescription describeExport(String exportArn) {
            phases.add(phaseNow());
            return exports.describeExport(exportArn);
        }
    }

    final ObservedExports exportPort = new ObservedExports();

    Phase phaseNow() {
        CdcEngine engine = current;
        return engine == null ? null : engine.phase();
    }

    @AfterEach
    void stopEverything() {
        for (CdcEngine engine : engines) {
            engine.stop(1_000);
        }
        pools.forEach(ScheduledExecutorService::shutdownNow);
        List<Throwable> failures = scheduler.failures();
        scheduler.shutdownNow();
        assertEquals(List.of(), failures, "no task of the engine may end with an exception");
    }

    // ---- building the engine ----

    /** DescribeTable of the table with a NEW_AND_OLD_IMAGES stream (its latest being {@code streamArn}). */
    static TablePort tableWithStream(String streamArn) {
        TableDescription description = TableDescription.builder()
                .tableName(TABLE)
                .tableArn(TABLE_ARN)
                .latestStreamArn(streamArn)
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .build();
        return tableName -> {
            assertEquals(TABLE, tableName);
            return description;
        };
    }

    static StreamOptions streamOptions(TrimmedDataPolicy policy) {
        // idle polls every 20 ms: the real thread pool test would otherwise wait a second per empty answer
        return new StreamOptions(StartPosition.LATEST, 100, 20, 20, 60_000, 4, policy, 600_000);
    }

    static SnapshotOptions snapshotOptions() {
        return new SnapshotOptions(CONSUMER, null, BUCKET, PREFIX, null, null, ExportFormat.DYNAMODB_JSON, 0, 2, 30_000,
                OVERLAP);
    }

    ShardCheckpointStore shards(String streamArn) {
        return new ShardCheckpointStore(repository, new CheckpointKeys(CONSUMER, streamArn));
    }

    SnapshotCheckpointStore snapshots() {
        return new SnapshotCheckpointStore(repository, new CheckpointKeys(CONSUMER, STREAM_ARN));
    }

    CdcEngine engine(String streamArn, StreamProxy proxy, TrimmedDataPolicy policy, SnapshotOptions snapshot,
                     ScheduledExecutorService executor) {
        TablePort table = tableWithStream(streamArn);
        TableFacts facts = TableFacts.describe(table, TABLE, ViewOnRemove.NEW_IMAGE);
        assertEquals(streamArn, facts.streamArn());
        CdcEngine.Setup setup = new CdcEngine.Setup(CONSUMER, facts, new KeySchema("pk", null),
                streamOptions(policy), snapshot, ShardOwnership.ALL, clock);
        CdcEngine engine = new CdcEngine(setup, new CdcEngine.Ports(table, exportPort, s3, proxy), shards(streamArn),
                snapshot == null ? null : new SnapshotCheckpointStore(repository,
                        new CheckpointKeys(CONSUMER, streamArn)),
                delivery, dispatcher, metrics, snapshotMetrics, RunContext.Threads.of(executor), events);
        engines.add(engine);
        current = engine;
        return engine;
    }

    CdcEngine streamOnly(TrimmedDataPolicy policy) {
        return engine(STREAM_ARN, stream, policy, null, scheduler);
    }

    // ---- waiting ----

    /** Moves the clock in 10 ms steps until the condition holds; fails after {@value #SIMULATED_WAIT_LIMIT_MILLIS} ms. */
    void advanceUntil(String what, BooleanSupplier condition) {
        long waited = 0;
        scheduler.runDue();
        while (!condition.getAsBoolean()) {
            if (waited >= SIMULATED_WAIT_LIMIT_MILLIS) {
                fail("not within " + SIMULATED_WAIT_LIMIT_MILLIS + " ms (simulated): " + what + "; delivered "
                     + delivered + ", phase " + phaseNow());
            }
            scheduler.advance(10);
            waited += 10;
        }
    }

    /** Waits in real time (the thread pool test) until the condition holds; fails after a bound. */
    void awaitReally(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAL_WAIT_LIMIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + REAL_WAIT_LIMIT_MILLIS + " ms: " + what + "; phase " + phaseNow() + ", failure "
                     + (current == null ? null : current.failure()) + ", items " + items.size() + ", delivered "
                     + delivered);
            }
            Thread.sleep(5);
        }
    }

    List<String> deliveredSequenceNumbers() {
        return delivered.stream().map(Delivered::sequenceNumber).toList();
    }

    Instant now() {
        return clock.instant();
    }

    // ---- 1. stream only: the first start ----

    /**
     * Rule: without a snapshot, start() fixes and persists the first start's positions before it returns (LATEST:
     * closed shards finished, open shards from the start time with their LATEST iterator taken at once), so a change
     * made right after start() returned is delivered. Fails if the positions or iterators were fixed lazily by the
     * readers, if the stream marker or the followed stream were not written by start(), or if the phase were not
     * STREAMING when start() returns.
     */
    @Test
    void streamOnlyStartFixesAndPersistsTheFirstStartPositionsBeforeReturningAndDeliversWhatIsWrittenAfter() {
        stream.shard("s0", null);
        stream.record("s0", now().minusSeconds(3_600));
        stream.close("s0");
        stream.shard("s1", "s0");
        String before = stream.record("s1", now().minusSeconds(60));
        CdcEngine engine = streamOnly(TrimmedDataPolicy.FAIL);
        ShardCheckpointStore store = shards(STREAM_ARN);
        assertFalse(store.streamStarted());
        assertEquals(Phase.INIT, engine.phase());

        engine.start();

        // nothing has run on the executor yet: all of this was done by start() itself
        assertEquals(Phase.STREAMING, engine.phase());
        assertNull(engine.failure());
        assertTrue(store.streamStarted(), "the stream marker is written before start() returns");
        assertEquals(ShardPosition.end(), store.load("s0"), "a closed shard is finished at a LATEST first start");
        assertEquals(ShardPosition.from(NOW), store.load("s1"), "an open shard is persisted as from(start time)");
        assertEquals(List.of(new FakeStream.IteratorCall("s1", ShardIteratorType.LATEST, null)), stream.iteratorCalls(),
                "the LATEST iterator is taken by start() itself");
        assertEquals(STREAM_ARN, store.followedStream(), "the followed stream is recorded at start");
        assertEquals(List.of(), delivered);

        // written after start() returned, before any reader ran
        clock.advance(1_000);
        String after1 = stream.record("s1", now());
        String after2 = stream.record("s1", now());
        advanceUntil("the records written after start() are delivered", () -> delivered.size() >= 2);
        scheduler.advance(5_000);

        assertEquals(List.of(new Delivered("s1", after1), new Delivered("s1", after2)), delivered,
                "what was written after start() is delivered, what was there before (" + before + ") is not");
        assertEquals(ShardPosition.after(after2), store.load("s1"));
        assertEquals(1, stream.iteratorCalls().size(), "the reader began with the iterator taken at the start");
        assertEquals(1, engine.shardCount(ShardLineageTracker.State.READING));
        assertEquals(Phase.STREAMING, engine.phase());
        assertEquals(List.of(), reported);
    }

    // ---- 2. started and stopped repeatedly on one shared executor ----

    /**
     * Rule: the engine is started and stopped as a unit, repeatedly, on one shared executor. Each run resumes from the
     * checkpoints: what a run acknowledged (also an acknowledgement that arrives after its stop) is never delivered
     * again, what it did not acknowledge is delivered again, and what was written while stopped is delivered by the
     * next run. A task of a stopped run that is still queued on the executor, whether it falls due while the engine is
     * stopped or after the next start, reads and delivers nothing. Fails if a run's tasks outlived its stop (a
     * record read while stopped, or delivered twice once a second reader runs), if a restart were treated as a first
     * start (LATEST would skip what was written while stopped), if stop() did not reach STOPPED or start() STREAMING
     * again, or if a late acknowledgement were not written.
     */
    @Test
    void startedAndStoppedThreeTimesOnOneSharedExecutorDeliversEveryRecordOnceAndAStoppedRunsQueuedTaskDeliversNothing() {
        stream.shard("s1", null);
        stream.record("s1", now().minusSeconds(60)); // before the first start: LATEST skips it
        CdcEngine engine = streamOnly(TrimmedDataPolicy.FAIL);
        ShardCheckpointStore store = shards(STREAM_ARN);
        List<String> expected = new ArrayList<>();
        List<String> writtenWhileStopped = new ArrayList<>();

        for (int cycle = 1; cycle <= 3; cycle++) {
            engine.start();
            assertEquals(Phase.STREAMING, engine.phase(), "run " + cycle);
            expected.addAll(writtenWhileStopped);
            writtenWhileStopped.clear();
            clock.advance(1_000);
            String a = stream.record("s1", now());
            String b = stream.record("s1", now());
            expected.add(a);
            expected.add(b);
            if (cycle >= 2) {
                hold.add(b); // b's exchange is still in flight when the run stops
            }
            advanceUntil("run " + cycle + " delivers " + expected, () -> delivered.size() >= expected.size());
            scheduler.advance(5_000);
            assertEquals(expected, deliveredSequenceNumbers(), "run " + cycle + ": each record once, in order");
            assertEquals(ShardPosition.after(cycle >= 2 ? a : b), store.load("s1"),
                    "run " + cycle + ": checkpointed up to the last acknowledged record");
            assertTrue(scheduler.queued() > 0, "run " + cycle + ": its reader's next step is queued when it stops");

            engine.stop(1_000);

            assertEquals(Phase.STOPPED, engine.phase(), "run " + cycle);
            hold.clear();
            if (cycle == 2) {
                held.remove(b).completed(); // acknowledged after the stop: still written
                assertEquals(ShardPosition.after(b), store.load("s1"), "a late acknowledgement is checkpointed");
            } else if (cycle == 3) {
                held.remove(b); // never acknowledged (the exchange was lost): read again by the next run
                writtenWhileStopped.add(b);
            }
            int getRecords = stream.getRecordsCalls("s1");
            clock.advance(1_000);
            writtenWhileStopped.add(stream.record("s1", now()));
            if (cycle == 1) {
                // the stopped run's queued tasks fall due while the engine is stopped
                scheduler.advance(600_000);
                assertEquals(getRecords, stream.getRecordsCalls("s1"), "a stopped run reads nothing");
                assertEquals(expected, deliveredSequenceNumbers(), "a stopped run delivers nothing");
            }
            // in runs 2 and 3 they stay queued and fall due after the next start: they must not read either
        }

        engine.start();
        assertEquals(Phase.STREAMING, engine.phase());
        expected.addAll(writtenWhileStopped);
        advanceUntil("the fourth run delivers " + expected, () -> delivered.size() >= expected.size());
        scheduler.advance(600_000);

        assertEquals(expected, deliveredSequenceNumbers(),
                "nothing acknowledged is delivered again, nothing written while stopped is missed");
        assertEquals(ShardPosition.after(expected.get(expected.size() - 1)), store.load("s1"));
        assertEquals(1, stream.iteratorCalls().stream().filter(c -> c.type() == ShardIteratorType.LATEST).count(),
                "only the very first start is a LATEST first start");
        assertEquals(List.of(), reported);
    }

    // ---- 3. a stream replaced while the engine was stopped ----

    /** A run on the old stream: the followed-stream key then names it. */
    void runOnTheOldStream() {
        FakeStream old = new FakeStream(STREAM_ARN);
        old.shard("o1", null);
        CdcEngine engine = engine(STREAM_ARN, old, TrimmedDataPolicy.FAIL, null, scheduler);
        engine.start();
        clock.advance(1_000);
        old.record("o1", now());
        advanceUntil("the old stream is read", () -> delivered.size() == 1);
        engine.stop(1_000);
        engines.remove(engine);
        delivered.clear();
        order.clear();
        assertEquals(STREAM_ARN, shards(NEW_STREAM_ARN).followedStream());
    }

    /**
     * Rule: a stream replaced while the consumer was stopped is a gap for the loss policy, never a first start. Under
     * FAIL, start() returns with phase FAILED, the gap named (both ARNs) in failure(), counted once as a stream
     * change, passed once to the exception handler as a StreamChangedException, readiness' stream problem set, and
     * nothing of the new stream read; the followed stream is not switched, so a restart reports it again. Fails if the
     * replacement were read as a first start (LATEST), if start() threw or read the new stream, or if the key moved
     * to the new stream under FAIL.
     */
    @Test
    void aStreamReplacedWhileStoppedFailsTheStartUnderFailAndIsReportedAgainAtTheNextStart() {
        runOnTheOldStream();
        FakeStream replaced = new FakeStream(NEW_STREAM_ARN);
        replaced.shard("n1", null);
        replaced.record("n1", now().minusSeconds(30));
        CdcEngine engine = engine(NEW_STREAM_ARN, replaced, TrimmedDataPolicy.FAIL, null, scheduler);

        engine.start();

        assertEquals(Phase.FAILED, engine.phase());
        String failure = engine.failure();
        assertNotNull(failure);
        assertTrue(failure.contains(STREAM_ARN) && failure.contains(NEW_STREAM_ARN), failure);
        assertEquals(1, reported.size(), "reported once");
        StreamChangedException changed = assertInstanceOf(StreamChangedException.class, reported.get(0).error());
        assertTrue(changed.getMessage().contains(STREAM_ARN) && changed.getMessage().contains(NEW_STREAM_ARN));
        assertEquals(1, metrics.streamChanges.get());
        assertEquals(0, metrics.trimmedDataEvents.get(), "a replaced stream is not counted as trimmed data");
        assertNotNull(metrics.streamProblem(), "readiness is DOWN");
        assertTrue(metrics.streamProblem().contains(NEW_STREAM_ARN), metrics.streamProblem());
        scheduler.advance(600_000);
        assertEquals(0, replaced.listCalls(), "nothing of the new stream is listed");
        assertEquals(List.of(), replaced.iteratorCalls(), "nor read");
        assertEquals(List.of(), delivered);
        assertFalse(shards(NEW_STREAM_ARN).streamStarted(), "no first start on the new stream");
        assertEquals(STREAM_ARN, shards(NEW_STREAM_ARN).followedStream(), "under FAIL the old stream stays followed");

        engine.stop(1_000);
        assertEquals(Phase.STOPPED, engine.phase());
        engine.start();

        assertEquals(Phase.FAILED, engine.phase(), "the next start says so again");
        assertEquals(2, reported.size());
        assertInstanceOf(StreamChangedException.class, reported.get(1).error());
        assertEquals(2, metrics.streamChanges.get());
        scheduler.advance(600_000);
        assertEquals(0, replaced.listCalls());
        assertEquals(List.of(), delivered);
    }

    /**
     * Rule: under RESNAPSHOT, a stream replaced while stopped is reported once, then the next checkpoint generation
     * is recorded and the engine ends its run and asks to be renewed (the consumer builds the engine of that
     * generation, whose new snapshot captures the gap): this engine reads and exports nothing, and is not FAILED.
     * Fails if the gap were not reported first, if the new stream were read, or if the generation were not recorded.
     */
    @Test
    void aStreamReplacedWhileStoppedUnderResnapshotBeginsTheNextGenerationAndAsksForANewEngine() {
        runOnTheOldStream();
        FakeStream replaced = new FakeStream(NEW_STREAM_ARN);
        replaced.shard("n1", null);
        CdcEngine engine = engine(NEW_STREAM_ARN, replaced, TrimmedDataPolicy.RESNAPSHOT, snapshotOptions(),
                scheduler);

        engine.start();
        advanceUntil("the engine asks to be renewed", () -> !renewals.isEmpty());

        Generation next = renewals.get(0);
        assertEquals(new Generation(2, Generation.Cause.STREAM_REPLACED, next.sinceMillis()), next);
        assertEquals(next, shards(NEW_STREAM_ARN).generation(), "recorded before the renewal");
        assertEquals(Phase.STOPPED, engine.phase());
        assertNull(engine.failure());
        assertEquals(1, reported.size(), "reported once: " + reported);
        StreamChangedException changed = assertInstanceOf(StreamChangedException.class, reported.get(0).error());
        assertTrue(changed.getMessage().contains("trimmedDataPolicy=RESNAPSHOT"), changed.getMessage());
        scheduler.advance(600_000);
        assertEquals(List.of(), exportPort.phases, "no export by this engine");
        assertEquals(0, replaced.listCalls(), "nothing of the new stream is read by this engine");
        assertEquals(List.of(Generation.FIRST.next(Generation.Cause.STREAM_REPLACED, next.sinceMillis())), renewals);
    }

    /**
     * Rule: under CONTINUE, the replaced stream is reported once and the new stream is read from its oldest record
     * (TRIM_HORIZON, not LATEST: the records it already holds are delivered), and the followed-stream key names the
     * new stream, so a later start neither reports it again nor reads it again. Fails if the new stream were read as
     * a LATEST first start, if the report were missing or repeated, or if the key stayed on the old stream.
     */
    @Test
    void aStreamReplacedWhileStoppedIsReportedOnceUnderContinueAndTheNewStreamIsReadFromItsOldestRecord() {
        runOnTheOldStream();
        FakeStream replaced = new FakeStream(NEW_STREAM_ARN);
        replaced.shard("n1", null);
        String first = replaced.record("n1", now().minusSeconds(30));
        String second = replaced.record("n1", now().minusSeconds(20));
        CdcEngine engine = engine(NEW_STREAM_ARN, replaced, TrimmedDataPolicy.CONTINUE, null, scheduler);

        engine.start();

        assertEquals(Phase.STREAMING, engine.phase());
        assertNull(engine.failure());
        assertEquals(1, reported.size());
        StreamChangedException changed = assertInstanceOf(StreamChangedException.class, reported.get(0).error());
        assertTrue(changed.getMessage().contains(STREAM_ARN) && changed.getMessage().contains(NEW_STREAM_ARN));
        assertEquals(1, metrics.streamChanges.get());
        assertEquals(NEW_STREAM_ARN, shards(NEW_STREAM_ARN).followedStream(), "the new stream is followed now");
        advanceUntil("the records already in the new stream are delivered", () -> delivered.size() >= 2);
        scheduler.advance(5_000);
        assertEquals(List.of(new Delivered("n1", first), new Delivered("n1", second)), delivered);
        assertEquals(ShardIteratorType.TRIM_HORIZON, replaced.iteratorCalls("n1").get(0).type(),
                "read from its oldest record");
        assertEquals(ShardPosition.after(second), shards(NEW_STREAM_ARN).load("n1"));

        engine.stop(1_000);
        clock.advance(1_000);
        String later = replaced.record("n1", now());
        engine.start();
        advanceUntil("the record written while stopped is delivered", () -> delivered.size() >= 3);
        scheduler.advance(5_000);

        assertEquals(Phase.STREAMING, engine.phase());
        assertEquals(1, reported.size(), "reported once: the next start follows the new stream");
        assertEquals(1, metrics.streamChanges.get());
        assertEquals(List.of(first, second, later), deliveredSequenceNumbers());
    }

    /**
     * Rule: the replaced stream becomes the followed one only once its start positions are fixed. Fails if the key
     * moved to the new stream before a start that then failed: the next start would take the new stream for the
     * followed one, make a LATEST first start on it and skip, unreported, the records it already held.
     */
    @Test
    void aReplacementWhoseStartFailsIsReportedAndReadFromItsOldestRecordAtTheNextStart() {
        runOnTheOldStream();
        FakeStream replaced = new FakeStream(NEW_STREAM_ARN);
        replaced.shard("n1", null);
        String held = replaced.record("n1", now().minusSeconds(30));
        java.util.concurrent.atomic.AtomicBoolean listable = new java.util.concurrent.atomic.AtomicBoolean(false);
        StreamProxy failingOnce = new StreamProxy() {
            @Override
            public List<software.amazon.awssdk.services.dynamodb.model.Shard> listShards(String streamArn) {
                if (!listable.get()) {
                    throw software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException.builder()
                            .message("listing failed").build();
                }
                return replaced.listShards(streamArn);
            }

            @Override
            public String shardIterator(String streamArn, String shardId, ShardPosition position) {
                return replaced.shardIterator(streamArn, shardId, position);
            }

            @Override
            public software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse getRecords(String iterator,
                                                                                                  int limit) {
                return replaced.getRecords(iterator, limit);
            }
        };
        CdcEngine first = engine(NEW_STREAM_ARN, failingOnce, TrimmedDataPolicy.CONTINUE, null, scheduler);

        IllegalStateException failed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                first::start);
        assertTrue(failed.getMessage().contains("could not fix the start positions"), failed.getMessage());
        assertEquals(STREAM_ARN, shards(NEW_STREAM_ARN).followedStream(), "not followed before it was read");
        first.stop(1_000);

        listable.set(true);
        CdcEngine second = engine(NEW_STREAM_ARN, failingOnce, TrimmedDataPolicy.CONTINUE, null, scheduler);
        second.start();
        advanceUntil("the record the new stream held is delivered", () -> delivered.size() >= 1);

        assertEquals(List.of(held), deliveredSequenceNumbers());
        assertEquals(ShardIteratorType.TRIM_HORIZON, replaced.iteratorCalls("n1").get(0).type());
        assertEquals(2, metrics.streamChanges.get(), "reported at both starts");
        assertEquals(NEW_STREAM_ARN, shards(NEW_STREAM_ARN).followedStream());
    }

    // ---- 4. snapshot then stream ----

    static String item(String pk, int n) {
        return "{\"pk\":{\"S\":\"" + pk + "\"},\"n\":{\"N\":\"" + n + "\"}}";
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

    /**
     * Rule: with a snapshot, the engine goes EXPORTING (export calls) -> LOADING (every item delivered and
     * acknowledged, the snapshot checkpointed DONE) -> STREAMING, and the stream starts at the hand-over: records
     * created before the export time minus streamOverlap, floored to the minute, are skipped, the others delivered,
     * and only after every item. Fails if a phase were skipped or entered at the wrong time, an item were missing or
     * repeated, the stream were read before the snapshot ended, or the hand-over were not floored to the minute or
     * taken from another time.
     */
    @Test
    void aSnapshotGoesExportingLoadingStreamingDeliversEveryItemThenStreamsFromTheHandOver() throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
        pools.add(pool);
        ExportFiles.Written files = ExportFiles.write(s3, BUCKET, PREFIX, EXPORT_ARN, TABLE_ARN, EXPORT_TIME, List.of(
                List.of(item("a1", 1), item("a2", 2), item("a3", 3)),
                List.of(),
                List.of(item("b1", 4), item("b2", 5))));
        exports.export(EXPORT_ARN).at(EXPORT_TIME).written(files)
                .statuses(ExportStatus.IN_PROGRESS, ExportStatus.IN_PROGRESS, ExportStatus.COMPLETED);
        exports.answerNextRequestWith(EXPORT_ARN);
        stream.shard("s1", null);
        String tooEarly = stream.record("s1", DELIVERS_FROM.minusMillis(1));
        String atTheMinute = stream.record("s1", DELIVERS_FROM);
        String withinTheOverlap = stream.record("s1", DELIVERS_FROM.plusSeconds(30)); // before T - overlap, same minute
        String afterTheExport = stream.record("s1", EXPORT_TIME.plusSeconds(60));
        CdcEngine engine = engine(STREAM_ARN, stream, TrimmedDataPolicy.FAIL, snapshotOptions(), pool);

        engine.start();
        awaitReally("the stream is read after the snapshot", () -> engine.phase() == Phase.STREAMING
                                                                     && delivered.size() >= 3);
        String live = stream.record("s1", now());
        awaitReally("a record written while streaming is delivered", () -> delivered.size() >= 4);

        assertNull(engine.failure());
        assertFalse(exportPort.phases.isEmpty());
        assertEquals(Set.of(Phase.EXPORTING), Set.copyOf(exportPort.phases), "every export call is made EXPORTING");
        assertEquals(1, exports.requests().size());
        assertEquals(deliveredKeysOf(files), Set.copyOf(items.stream().map(Item::deliveredKey).toList()));
        assertEquals(files.itemCount(), items.size(), "each item once");
        assertEquals(Set.of("a1", "a2", "a3", "b1", "b2"), Set.copyOf(items.stream().map(Item::pk).toList()));
        assertEquals(Set.of(Phase.LOADING), Set.copyOf(items.stream().map(Item::phase).toList()),
                "every item is delivered LOADING");
        List<String> expectedOrder = new ArrayList<>();
        order.stream().filter(o -> o.startsWith("item:")).forEach(expectedOrder::add);
        List.of(atTheMinute, withinTheOverlap, afterTheExport, live).forEach(s -> expectedOrder.add("record:" + s));
        assertEquals(expectedOrder, order, "every item first, then the stream from the hand-over (not " + tooEarly
                                           + ", created before " + DELIVERS_FROM + ")");
        assertEquals(1, metrics.recordsBeforeStart.get(), "the record before the hand-over is skipped");
        SnapshotState done = snapshots().load();
        assertTrue(done.isDone(), "the snapshot is checkpointed DONE: " + done);
        assertEquals(EXPORT_ARN, done.exportArn());
        assertEquals(EXPORT_TIME, done.exportTime());
        for (ExportFiles.DataFile file : files.dataFiles()) {
            assertTrue(snapshots().isFileDone(file.key()), file.key());
        }
        ShardCheckpointStore store = shards(STREAM_ARN);
        assertTrue(store.streamStarted());
        awaitReally("the stream's checkpoint reaches the live record",
                () -> ShardPosition.after(live).equals(store.load("s1")));
        assertEquals(Phase.STREAMING, engine.phase());
        assertEquals(List.of(), reported);
    }

    /**
     * Rule: a snapshot already DONE in the store is not taken again: the engine goes straight to STREAMING, without
     * any export call or S3 read or item, and (the stream not started yet) the stream starts at that snapshot's
     * hand-over. Fails if the snapshot were requested or loaded again, or the hand-over not taken from the stored
     * export time.
     */
    @Test
    void aSnapshotAlreadyDoneGoesStraightToStreamingFromItsHandOverWithoutExportCalls() {
        snapshots().save(new SnapshotState(Phase.STREAMING, 1, EXPORT_TIME.toEpochMilli(), EXPORT_ARN));
        stream.shard("s1", null);
        stream.record("s1", DELIVERS_FROM.minusMillis(1));
        String atTheMinute = stream.record("s1", DELIVERS_FROM);
        String afterTheExport = stream.record("s1", EXPORT_TIME.plusSeconds(60));
        CdcEngine engine = engine(STREAM_ARN, stream, TrimmedDataPolicy.FAIL, snapshotOptions(), scheduler);

        engine.start();
        assertEquals(Phase.INIT, engine.phase(), "the snapshot runs on the executor");
        scheduler.runDue();

        assertEquals(Phase.STREAMING, engine.phase());
        assertEquals(0, exports.calls(), "no export call");
        assertEquals(List.of(), exportPort.phases);
        assertEquals(List.of(), s3.opens(), "nothing is read from S3");
        assertEquals(0, s3.bucketExistsCalls(), "no preflight of a new export");
        advanceUntil("the stream is read from the hand-over", () -> delivered.size() >= 2);
        scheduler.advance(5_000);
        assertEquals(List.of(atTheMinute, afterTheExport), deliveredSequenceNumbers());
        assertEquals(List.of(), items);
        assertEquals(ShardPosition.after(afterTheExport), shards(STREAM_ARN).load("s1"));
        assertNull(engine.failure());
    }

    // ---- 5. a failed snapshot ----

    /**
     * Rule: an export that FAILED in this run fails the snapshot: phase FAILED, failure() names the export's failure
     * code, the exception handler is told before the phase is FAILED (whoever sees FAILED can rely on the handler
     * having been told), and nothing is streamed. Fails if the handler were told after the move to FAILED, not at all,
     * or if the failure lost the code, or the stream were read.
     */
    @Test
    void anExportThatFailedInThisRunEndsInPhaseFailedNamingItsCodeAfterTheHandlerWasTold() {
        exports.export(EXPORT_ARN).at(EXPORT_TIME).statuses(ExportStatus.IN_PROGRESS)
                .fails("S3NoSuchBucket", "The specified bucket does not exist");
        exports.answerNextRequestWith(EXPORT_ARN);
        stream.shard("s1", null);
        stream.record("s1", EXPORT_TIME.plusSeconds(1));
        CdcEngine engine = engine(STREAM_ARN, stream, TrimmedDataPolicy.FAIL, snapshotOptions(), scheduler);

        engine.start();
        advanceUntil("the snapshot fails", () -> engine.phase() == Phase.FAILED);

        assertTrue(engine.failure().contains("S3NoSuchBucket"), engine.failure());
        assertEquals(1, reported.size(), "the handler is told once");
        Reported told = reported.get(0);
        SnapshotException cause = assertInstanceOf(SnapshotException.class, told.error());
        assertTrue(cause.getMessage().contains("S3NoSuchBucket"), cause.getMessage());
        assertEquals(Phase.EXPORTING, told.phase(), "the handler is told before the phase is FAILED");
        assertTrue(snapshotMetrics.lastError().contains("S3NoSuchBucket"), snapshotMetrics.lastError());
        scheduler.advance(600_000);
        assertEquals(Phase.FAILED, engine.phase());
        assertEquals(0, stream.listCalls(), "nothing is streamed");
        assertEquals(List.of(), delivered);
        assertEquals(List.of(), items);
        assertFalse(shards(STREAM_ARN).streamStarted());
        assertEquals(1, exports.requests().size(), "an export that failed in this run is not requested again");
        assertEquals(Phase.EXPORTING, snapshots().load().phase(), "the failed export stays checkpointed");
    }

    // ---- 6. the snapshot's preflight ----

    /**
     * Rule: bad configuration fails start() itself, with a message that says what to do, and nothing is left running:
     * point-in-time recovery off throws IllegalStateException naming update-continuous-backups; no export is
     * requested, no stream read, no task runs later, and the run is over (a second start() fails the same way rather
     * than with "running already"). Fails if the preflight ran on the executor (start() would return), if a task
     * were left to run, or if the failed run were left running.
     */
    @Test
    void pointInTimeRecoveryOffFailsStartWithTheCommandToEnableItAndLeavesNothingRunning() {
        exportPort.pointInTimeRecovery = PointInTimeRecoveryStatus.DISABLED;
        exports.export(EXPORT_ARN).at(EXPORT_TIME);
        exports.answerNextRequestWith(EXPORT_ARN);
        stream.shard("s1", null);
        stream.record("s1", EXPORT_TIME.plusSeconds(1));
        CdcEngine engine = engine(STREAM_ARN, stream, TrimmedDataPolicy.FAIL, snapshotOptions(), scheduler);

        IllegalStateException thrown = assertThrows(IllegalStateException.class, engine::start);

        assertTrue(thrown.getMessage().contains("update-continuous-backups"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(TABLE), thrown.getMessage());
        scheduler.advance(600_000);
        assertNotEquals(Phase.EXPORTING, engine.phase());
        assertNotEquals(Phase.STREAMING, engine.phase());
        assertEquals(List.of(), exports.requests(), "no export is requested");
        assertEquals(0, exports.describeCalls(EXPORT_ARN));
        assertEquals(List.of(), exportPort.phases);
        assertEquals(0, stream.listCalls(), "the stream is not read");
        assertEquals(List.of(), delivered);
        assertNull(snapshots().load(), "nothing is checkpointed");
        assertFalse(shards(STREAM_ARN).streamStarted());

        IllegalStateException again = assertThrows(IllegalStateException.class, engine::start);
        assertTrue(again.getMessage().contains("update-continuous-backups"),
                "the failed run is over, so a second start() checks again: " + again.getMessage());
        scheduler.advance(600_000);
        assertEquals(List.of(), exports.requests());
        assertEquals(0, stream.listCalls());
    }
}
