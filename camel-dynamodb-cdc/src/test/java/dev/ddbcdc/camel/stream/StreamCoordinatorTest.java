package dev.ddbcdc.camel.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.fakes.FakeStream.IteratorCall;
import dev.ddbcdc.camel.fakes.FakeStream;
import dev.ddbcdc.camel.fakes.ManualScheduler;
import dev.ddbcdc.camel.fakes.RecordedLosses;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.TestClock;
import dev.ddbcdc.camel.flow.TrimmedDataException;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Where each shard starts and when it is read: the start-position matrix of the first start, checkpoints, shards found
 * later, parent before child, lost parents and shard ownership. The coordinator runs over a {@link ManualScheduler}:
 * nothing runs until the test moves the clock, so "before start() returned" and "not yet" are exact.
 */
class StreamCoordinatorTest {

    static final String TABLE = "orders";
    static final String STREAM_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-03-01T00:00:00.000";
    static final long NOW = Instant.parse("2024-03-01T12:30:27.500Z").toEpochMilli();
    /** Longer than any wait a test needs (two listings); a bounded wait fails after this much simulated time. */
    static final long WAIT_LIMIT_MILLIS = 120_000;

    /** One record handed to the route. */
    record Delivered(String shardId, String sequenceNumber) {
    }

    final TestClock clock = new TestClock(NOW);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final RunContext run = new RunContext(clock, scheduler);
    final FakeStream stream = new FakeStream(STREAM_ARN);
    /** Checkpoint reads per key. */
    final Map<String, Integer> reads = new ConcurrentHashMap<>();
    final MemoryStateRepository repository = new MemoryStateRepository() {
        @Override
        public String getState(String key) {
            reads.merge(key, 1, Integer::sum);
            return super.getState(key);
        }
    };
    final ShardCheckpointStore store = new ShardCheckpointStore(repository, new CheckpointKeys("consumer-1", STREAM_ARN));
    final StreamMetrics metrics = new StreamMetrics();
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    /** The acknowledgements held back while {@link #holdAcknowledgements} is set, by sequence number. */
    final Map<String, Acknowledgement> held = new ConcurrentHashMap<>();
    volatile boolean holdAcknowledgements;
    /** Called with each record as it is dispatched, before it is acknowledged. */
    volatile java.util.function.BiConsumer<String, Record> onDispatch = (shardId, record) -> { };
    final RecordedLosses losses = new RecordedLosses();

    final RecordDispatcher dispatcher = (shardId, record, ack) -> {
        String sequenceNumber = record.dynamodb().sequenceNumber();
        onDispatch.accept(shardId, record);
        delivered.add(new Delivered(shardId, sequenceNumber));
        if (holdAcknowledgements) {
            held.put(sequenceNumber, ack);
        } else {
            ack.completed();
        }
    };

    StreamCoordinator coordinator(FirstStart firstStart, TrimmedDataPolicy policy, ShardOwnership ownership) {
        return coordinator(run, firstStart, policy, ownership);
    }

    StreamCoordinator coordinator(RunContext runContext, FirstStart firstStart, TrimmedDataPolicy policy,
                                  ShardOwnership ownership) {
        StreamOptions options = new StreamOptions(StartPosition.LATEST, 100, 50, 1000, 60_000, 4, policy, 600_000);
        LossPolicy lossPolicy = new LossPolicy(policy, losses);
        return new StreamCoordinator(options, stream, store, dispatcher, runContext, metrics, lossPolicy, firstStart,
                ownership, StreamCoordinator.Halts.NONE, TABLE, STREAM_ARN);
    }

    StreamCoordinator coordinator(FirstStart firstStart) {
        return coordinator(firstStart, TrimmedDataPolicy.FAIL, ShardOwnership.ALL);
    }

    static Instant at(long offsetMillisFromNow) {
        return Instant.ofEpochMilli(NOW + offsetMillisFromNow);
    }

    /** Moves the clock in small steps until the condition holds; fails after {@value #WAIT_LIMIT_MILLIS} ms. */
    void advanceUntil(String what, BooleanSupplier condition) {
        long waited = 0;
        scheduler.runDue();
        while (!condition.getAsBoolean()) {
            if (waited >= WAIT_LIMIT_MILLIS) {
                fail("not within " + WAIT_LIMIT_MILLIS + " ms (simulated): " + what + "; delivered " + delivered
                     + ", iterator calls " + stream.iteratorCalls());
            }
            scheduler.advance(10);
            waited += 10;
        }
    }

    List<String> deliveredOf(String shardId) {
        return delivered.stream().filter(d -> d.shardId().equals(shardId)).map(Delivered::sequenceNumber).toList();
    }

    void acknowledge(String sequenceNumber) {
        Acknowledgement ack = held.remove(sequenceNumber);
        if (ack == null) {
            fail("record " + sequenceNumber + " is not held");
        }
        ack.completed();
    }

    static IteratorCall call(String shardId, ShardIteratorType type) {
        return new IteratorCall(shardId, type, null);
    }

    @AfterEach
    void stop() {
        run.stop();
        List<Throwable> failures = scheduler.failures();
        scheduler.shutdownNow();
        assertEquals(List.of(), failures, "no task of the run may end with an exception");
    }

    // ---- first start: LATEST, TRIM_HORIZON, from(time) ----

    @Test
    void latestFirstStartEndsClosedShardsAndTakesTheLatestIteratorOfOpenShardsBeforeStartReturns() {
        stream.shard("s0", null);
        stream.record("s0", at(-3_600_000));
        stream.close("s0");
        stream.shard("s1", "s0");
        stream.record("s1", at(-60_000));
        stream.shard("s2", null);
        stream.record("s2", at(-10_000));
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.LATEST));

        coordinator.start();

        assertEquals(0, delivered.size(), "nothing has run on the executor yet");
        assertEquals(List.of(call("s1", ShardIteratorType.LATEST), call("s2", ShardIteratorType.LATEST)),
                stream.iteratorCalls(), "the LATEST iterators are taken by start() itself, before it returns");
        assertEquals(ShardPosition.end(), store.load("s0"), "a closed shard is finished at a LATEST first start");
        assertEquals(ShardPosition.from(NOW), store.load("s1"), "an open shard's checkpoint is from(start time)");
        assertEquals(ShardPosition.from(NOW), store.load("s2"));
        assertTrue(store.streamStarted());

        // written after start() returned, before any reader ran: delivered, since the iterators were taken before
        String late1 = stream.record("s1", at(1_000));
        String late2 = stream.record("s2", at(1_000));
        advanceUntil("the records written after the start are delivered", () -> delivered.size() >= 2);
        scheduler.advance(5_000);

        assertEquals(List.of(late1), deliveredOf("s1"), "records from before the start are not delivered");
        assertEquals(List.of(late2), deliveredOf("s2"));
        assertEquals(List.of(), deliveredOf("s0"));
        assertEquals(List.of(), stream.iteratorCalls("s0"), "a finished shard is never read");
        assertEquals(2, stream.iteratorCalls().size(), "the readers began with the iterators taken at the start");
        assertEquals(ShardPosition.after(late1), store.load("s1"));
        assertEquals(ShardPosition.after(late2), store.load("s2"));
    }

    @Test
    void trimHorizonFirstStartReadsEveryShardFromItsOldestRecordAndStoresItAsOwedFromTheOldestRecord() {
        stream.shard("s0", null);
        String a = stream.record("s0", at(-7_200_000));
        String b = stream.record("s0", at(-7_100_000));
        stream.close("s0");
        stream.shard("s1", "s0");
        String c = stream.record("s1", at(-3_600_000));
        stream.shard("s2", null);
        String d = stream.record("s2", at(-1_800_000));
        holdAcknowledgements = true;
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON));

        coordinator.start();

        assertTrue(store.streamStarted());
        ShardPosition owed = ShardPosition.from(0);
        assertEquals(owed, store.load("s0"), "owed from the oldest record: a shard trimmed away unread is a loss");
        assertEquals(owed, store.load("s1"));
        assertEquals(owed, store.load("s2"));
        assertEquals(List.of(), stream.iteratorCalls(), "no iterator is taken at a TRIM_HORIZON start");

        advanceUntil("s0 and s2 are read", () -> delivered.size() >= 3);
        assertEquals(List.of(a, b), deliveredOf("s0"), "a closed shard is read too, from its oldest record");
        assertEquals(List.of(d), deliveredOf("s2"));
        assertEquals(List.of(call("s0", ShardIteratorType.TRIM_HORIZON), call("s2", ShardIteratorType.TRIM_HORIZON)),
                stream.iteratorCalls());
        assertEquals(owed, store.load("s0"), "nothing more is stored before a record is acknowledged");
        assertEquals(owed, store.load("s2"));

        acknowledge(d);
        assertEquals(ShardPosition.after(d), store.load("s2"));
        acknowledge(a);
        acknowledge(b);
        advanceUntil("s1 is read after s0 ended", () -> deliveredOf("s1").size() == 1);
        assertEquals(ShardPosition.end(), store.load("s0"));
        assertEquals(List.of(c), deliveredOf("s1"));
        assertEquals(List.of(call("s1", ShardIteratorType.TRIM_HORIZON)), stream.iteratorCalls("s1"));
        assertEquals(owed, store.load("s1"), "c is still in flight");
    }

    @Test
    void fromTimeFirstStartReadsEveryShardFromItsOldestRecordAndSkipsButCheckpointsRecordsBeforeTheMinute() {
        long handOver = Instant.parse("2024-03-01T12:10:42.500Z").toEpochMilli();
        stream.shard("s0", null);
        String beforeMinute = stream.record("s0", Instant.parse("2024-03-01T12:09:59.999Z"));
        String atMinute = stream.record("s0", Instant.parse("2024-03-01T12:10:00.000Z"));
        String withinMinute = stream.record("s0", Instant.parse("2024-03-01T12:10:30.000Z"));
        stream.close("s0");
        stream.shard("s1", "s0");
        String old1 = stream.record("s1", Instant.parse("2024-03-01T12:05:00Z"));
        String new1 = stream.record("s1", Instant.parse("2024-03-01T12:20:00Z"));
        stream.shard("s2", null);
        String onlyOld = stream.record("s2", Instant.parse("2024-03-01T12:00:00Z"));
        StreamCoordinator coordinator = coordinator(FirstStart.from(handOver));

        coordinator.start();

        for (String shard : List.of("s0", "s1", "s2")) {
            assertEquals(ShardPosition.from(handOver), store.load(shard),
                    shard + ": the hand-over position is persisted before anything is read");
        }
        assertEquals(List.of(), stream.iteratorCalls());

        advanceUntil("every shard is read", () -> delivered.size() >= 3 && store.load("s2") != null
                                                  && ShardPosition.after(new1).equals(store.load("s1")));

        assertEquals(List.of(atMinute, withinMinute), deliveredOf("s0"),
                "records created from the hand-over time floored to the minute are delivered");
        assertEquals(List.of(new1), deliveredOf("s1"));
        assertEquals(List.of(), deliveredOf("s2"));
        assertEquals(List.of(call("s0", ShardIteratorType.TRIM_HORIZON), call("s2", ShardIteratorType.TRIM_HORIZON),
                call("s1", ShardIteratorType.TRIM_HORIZON)), stream.iteratorCalls(),
                "every shard from its oldest record, the child after its parent");
        assertEquals(ShardPosition.end(), store.load("s0"));
        assertEquals(ShardPosition.after(onlyOld), store.load("s2"), "a skipped record is checkpointed");
        assertEquals(3, metrics.recordsBeforeStart.get(), "skipped: " + List.of(beforeMinute, old1, onlyOld));
    }

    // ---- checkpoints ----

    @Test
    void aShardWithACheckpointResumesAfterItsSequenceNumber() {
        stream.shard("s0", null);
        stream.record("s0", at(-7_200_000));
        stream.close("s0");
        stream.shard("s1", "s0");
        String c = stream.record("s1", at(-3_000_000));
        String d = stream.record("s1", at(-2_000_000));
        String e = stream.record("s1", at(-1_000_000));
        store.markStreamStarted(NOW - 86_400_000);
        store.save("s0", ShardPosition.end());
        store.save("s1", ShardPosition.after(c));
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.LATEST));

        coordinator.start();
        advanceUntil("s1 is read to its last record", () -> ShardPosition.after(e).equals(store.load("s1")));

        assertEquals(List.of(new IteratorCall("s1", ShardIteratorType.AFTER_SEQUENCE_NUMBER, c)),
                stream.iteratorCalls(), "the finished parent is not read, the child resumes after its checkpoint");
        assertEquals(List.of(d, e), deliveredOf("s1"));
    }

    @Test
    void aCheckpointWinsOverTheFirstStartPosition() {
        // a crash after the positions were saved but before the stream marker: the start repeats as a first start
        stream.shard("s1", null);
        String c = stream.record("s1", at(-3_000_000));
        String d = stream.record("s1", at(-2_000_000));
        store.save("s1", ShardPosition.after(c));
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.LATEST));

        coordinator.start();

        assertEquals(ShardPosition.after(c), store.load("s1"), "the checkpoint is not replaced by from(now)");
        advanceUntil("d is delivered", () -> delivered.size() == 1);
        assertEquals(List.of(new IteratorCall("s1", ShardIteratorType.AFTER_SEQUENCE_NUMBER, c)),
                stream.iteratorCalls());
        assertEquals(List.of(d), deliveredOf("s1"));
    }

    @Test
    void aCheckpointWhoseNextRecordsWereTrimmedIsALossThatHaltsTheShardUnderFail() {
        stream.shard("s1", null);
        String c = stream.record("s1", at(-90_000_000));
        stream.record("s1", at(-89_000_000));
        String e = stream.record("s1", at(-1_000));
        stream.trim("s1", 2); // c and the record after it are gone
        store.markStreamStarted(NOW - 100_000_000);
        store.save("s1", ShardPosition.after(c));
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON));

        coordinator.start();
        advanceUntil("the trimmed checkpoint is found", () -> !losses.counted.isEmpty());
        scheduler.advance(10_000);

        assertEquals(1, losses.counted.size());
        assertTrue(losses.counted.get(0).contains("after sequence number " + c), losses.counted.get(0));
        assertEquals(List.of(new IteratorCall("s1", ShardIteratorType.AFTER_SEQUENCE_NUMBER, c)),
                stream.iteratorCalls(), "not silently restarted from the oldest record");
        assertEquals(List.of(), delivered, e + " is not delivered under FAIL");
        assertEquals(ShardPosition.after(c), store.load("s1"));
        assertEquals(1, coordinator.shardCount(ShardLineageTracker.State.HALTED));
    }

    // ---- shards found after the first start ----

    @Test
    void aShardFoundAfterTheFirstStartIsReadFromItsOldestRecordWhateverTheStartPosition() {
        stream.shard("s1", null);
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.LATEST));
        coordinator.start();
        scheduler.advance(1_000);

        stream.shard("s2", null);
        String x = stream.record("s2", at(-10_000)); // written before the consumer found the shard
        String y = stream.record("s2", at(-5_000));
        advanceUntil("s2 is found at the next listing and read", () -> deliveredOf("s2").size() == 2);

        assertEquals(List.of(call("s2", ShardIteratorType.TRIM_HORIZON)), stream.iteratorCalls("s2"));
        assertEquals(List.of(x, y), deliveredOf("s2"));
        assertEquals(ShardPosition.after(y), store.load("s2"));
    }

    @Test
    void aTrimmedStartIsALossForAShardFoundAfterTheFirstStartButNotForOneListedAtATrimHorizonStart() {
        stream.shard("s1", null);
        String r = stream.record("s1", at(-60_000));
        stream.failGetRecordsAsTrimmed("s1", 1);
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON));
        coordinator.start();
        advanceUntil("s1 is read after its trimmed start", () -> deliveredOf("s1").size() == 1);
        assertEquals(List.of(r), deliveredOf("s1"));
        assertEquals(List.of(), losses.counted, "nothing before the oldest record was promised at the first start");

        stream.shard("s2", null);
        stream.record("s2", at(1_000));
        stream.failGetRecordsAsTrimmed("s2", 1);
        advanceUntil("s2 is found and its start is found trimmed", () -> !losses.counted.isEmpty());
        scheduler.advance(10_000);

        assertEquals(1, losses.counted.size(), "a shard born after the first start must be read from its beginning");
        assertTrue(losses.counted.get(0).contains("s2"), losses.counted.get(0));
        assertInstanceOf(TrimmedDataException.class, losses.handled.get(0));
        assertEquals(List.of(), deliveredOf("s2"), "FAIL halts the shard");
        assertEquals(1, stream.getRecordsCalls("s2"), "a halted shard is not read again");
        assertEquals(1, coordinator.shardCount(ShardLineageTracker.State.HALTED));
    }

    // ---- parent before child ----

    @Test
    void aChildIsReadOnlyOnceItsParentsEndIsCheckpointed() {
        stream.shard("s0", null);
        String a = stream.record("s0", at(-7_200_000));
        String b = stream.record("s0", at(-7_100_000));
        stream.close("s0");
        stream.shard("s1", "s0");
        String c = stream.record("s1", at(-3_600_000));
        List<ShardPosition> parentWhenChildDispatched = new ArrayList<>();
        onDispatch = (shardId, record) -> {
            if (shardId.equals("s1")) {
                parentWhenChildDispatched.add(store.load("s0"));
            }
        };
        holdAcknowledgements = true;
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON));

        coordinator.start();
        advanceUntil("the parent is read", () -> deliveredOf("s0").size() == 2);
        acknowledge(b);
        scheduler.advance(2 * 60_000 + 1_000); // two more listings: the child is looked at again
        assertEquals(List.of(), stream.iteratorCalls("s1"), "read to its end, but a is not acknowledged yet");
        assertEquals(ShardPosition.from(0), store.load("s0"), "b cannot be checkpointed before a");

        acknowledge(a);
        advanceUntil("the child is read", () -> deliveredOf("s1").size() == 1);
        assertEquals(List.of(c), deliveredOf("s1"));
        assertEquals(List.of(ShardPosition.end()), parentWhenChildDispatched,
                "the parent's END was in the store before the child's first record was dispatched");
        assertEquals(List.of(new Delivered("s0", a), new Delivered("s0", b), new Delivered("s1", c)), delivered);
    }

    // ---- a parent no longer listed ----

    void parentGoneWithAnUnfinishedCheckpoint() {
        stream.shard("p", null);
        String p1 = stream.record("p", at(-90_000_000));
        stream.record("p", at(-89_000_000));
        stream.close("p");
        stream.unlist("p");
        stream.shard("c", "p");
        stream.record("c", at(-3_600_000));
        store.markStreamStarted(NOW - 100_000_000);
        store.save("p", ShardPosition.after(p1));
    }

    @Test
    void aParentGoneWithAnUnfinishedCheckpointIsALossThatHaltsTheChildUnderFail() {
        parentGoneWithAnUnfinishedCheckpoint();
        ShardPosition parentCheckpoint = store.load("p");
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON), TrimmedDataPolicy.FAIL,
                ShardOwnership.ALL);

        coordinator.start();
        scheduler.advance(2 * 60_000 + 1_000); // two more listings

        assertEquals(1, losses.counted.size(), "reported once, not at every listing");
        assertTrue(losses.counted.get(0).contains("shard p"), losses.counted.get(0));
        assertInstanceOf(TrimmedDataException.class, losses.handled.get(0));
        assertEquals(List.of(), stream.iteratorCalls("c"), "the child is not read");
        assertEquals(List.of(), delivered);
        assertEquals(1, coordinator.shardCount(ShardLineageTracker.State.HALTED));
        assertEquals(parentCheckpoint, store.load("p"), "the parent's checkpoint is kept for the user");
        assertEquals(ShardPosition.from(0), store.load("c"), "owed from its oldest record, nothing acknowledged");
    }

    @Test
    void aParentGoneWithAnUnfinishedCheckpointIsEndedAndTheChildReadUnderContinue() {
        parentGoneWithAnUnfinishedCheckpoint();
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON),
                TrimmedDataPolicy.CONTINUE, ShardOwnership.ALL);

        coordinator.start();

        assertEquals(1, losses.counted.size());
        assertEquals(ShardPosition.end(), store.load("p"), "the loss is accepted: the parent is finished");
        advanceUntil("the child is read", () -> deliveredOf("c").size() == 1);
        assertEquals(List.of(call("c", ShardIteratorType.TRIM_HORIZON)), stream.iteratorCalls("c"));
        scheduler.advance(60_000);
        assertEquals(1, losses.counted.size());
    }

    @Test
    void aParentGoneAfterItsEndWasCheckpointedIsNoLoss() {
        parentGoneWithAnUnfinishedCheckpoint();
        store.save("p", ShardPosition.end());
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON), TrimmedDataPolicy.FAIL,
                ShardOwnership.ALL);

        coordinator.start();
        advanceUntil("the child is read", () -> deliveredOf("c").size() == 1);

        assertEquals(List.of(), losses.counted);
        assertEquals(0, coordinator.shardCount(ShardLineageTracker.State.HALTED));
    }

    @Test
    void aShardTrimmedAwayBeforeAnythingOfItWasAcknowledgedIsALossForItsChild() {
        // first run: p is listed at a TRIM_HORIZON first start and its record dispatched, never acknowledged
        stream.shard("p", null);
        stream.record("p", at(-60_000));
        stream.close("p");
        holdAcknowledgements = true;
        coordinator(FirstStart.at(StartPosition.TRIM_HORIZON)).start();
        advanceUntil("p's record is dispatched", () -> deliveredOf("p").size() == 1);
        run.stop();
        // 30 hours later p is trimmed away; its child c was born meanwhile and nothing of it was read either
        clock.advance(30 * 3_600_000L);
        stream.unlist("p");
        stream.shard("c", "p");
        stream.record("c", Instant.ofEpochMilli(clock.millis() - 1_000));
        RunContext restarted = new RunContext(clock, scheduler);
        StreamCoordinator second = coordinator(restarted, FirstStart.at(StartPosition.TRIM_HORIZON),
                TrimmedDataPolicy.FAIL, ShardOwnership.ALL);
        holdAcknowledgements = false;

        second.start();
        scheduler.advance(1_000);
        restarted.stop();

        assertEquals(1, losses.counted.size(), "p's unread record is a loss: " + losses.counted);
        assertTrue(losses.counted.get(0).contains("shard p") && losses.counted.get(0).contains("oldest record"),
                losses.counted.get(0));
        assertEquals(List.of(), deliveredOf("c"), "under FAIL the child is not read ahead of the lost parent");
    }

    // ---- ownership ----

    @Test
    void shardsOfAnotherOwnerAreNeverReadAndAChildOfOneWaitsForItsEndInTheStore() {
        stream.shard("a", null);
        String ra = stream.record("a", at(-60_000));
        stream.shard("b", null);
        stream.record("b", at(-60_000));
        stream.shard("p", null);
        stream.record("p", at(-120_000));
        stream.close("p");
        stream.shard("c", "p");
        String rc = stream.record("c", at(-30_000));
        Set<String> mine = Set.of("a", "c");
        StreamCoordinator coordinator = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON), TrimmedDataPolicy.FAIL,
                mine::contains);

        coordinator.start();
        advanceUntil("a is read", () -> deliveredOf("a").size() == 1);
        scheduler.advance(5 * StreamCoordinator.ELSEWHERE_CHECK_MILLIS);

        assertEquals(List.of(ra), deliveredOf("a"));
        assertEquals(List.of(), stream.iteratorCalls("b"), "a shard of another owner is never read");
        assertEquals(List.of(), stream.iteratorCalls("p"));
        assertEquals(List.of(), stream.iteratorCalls("c"), "the child waits for its parent's END");
        assertEquals(2, coordinator.shardCount(ShardLineageTracker.State.ELSEWHERE));
        assertNull(store.load("p"), "nothing is written for another owner's shard");

        assertEquals(null, reads.get(store.key("b")), "another owner's shard that none of ours waits for is not looked"
                                                        + " at");
        assertTrue(reads.getOrDefault(store.key("p"), 0) >= 5, "the awaited parent is, every second");

        store.save("p", ShardPosition.end()); // the other owner finished p
        advanceUntil("c is read once p's END is in the store", () -> deliveredOf("c").size() == 1);
        assertEquals(List.of(rc), deliveredOf("c"));
        assertEquals(List.of(call("c", ShardIteratorType.TRIM_HORIZON)), stream.iteratorCalls("c"));
        scheduler.advance(2 * 60_000);
        assertEquals(List.of(), stream.iteratorCalls("b"));
        assertEquals(List.of(), stream.iteratorCalls("p"));
    }

    @Test
    void aBucketsRunThatEndsTakesOnlyItsOwnShardsOffTheCountersTheBucketsShare() {
        stream.shard("a", null);
        stream.record("a", at(-60_000));
        stream.shard("b", null);
        stream.record("b", at(-60_000));
        RunContext otherRun = new RunContext(clock, scheduler);
        StreamCoordinator bucketA = coordinator(FirstStart.at(StartPosition.TRIM_HORIZON), TrimmedDataPolicy.FAIL,
                "a"::equals);
        StreamCoordinator bucketB = coordinator(otherRun, FirstStart.at(StartPosition.TRIM_HORIZON),
                TrimmedDataPolicy.FAIL, "b"::equals);
        bucketA.start();
        bucketB.start();
        advanceUntil("both read", () -> deliveredOf("a").size() == 1 && deliveredOf("b").size() == 1);
        assertEquals(2, metrics.shardsReading.get(), "the open shards of both buckets");

        run.stop(); // bucket a moved to another member
        bucketA.release();
        bucketA.release();
        assertEquals(1, metrics.shardsReading.get(), "b is still read here; a released once");
        assertEquals(-1, metrics.lag.millisBehind("a", NOW), "a's lag is forgotten");
        assertTrue(metrics.lag.millisBehind("b", NOW) >= 0, "b's lag is kept");
        otherRun.stop();
    }
}
