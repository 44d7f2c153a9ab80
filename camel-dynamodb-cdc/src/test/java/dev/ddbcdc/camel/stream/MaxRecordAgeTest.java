package dev.ddbcdc.camel.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.fakes.FakeStream;
import dev.ddbcdc.camel.fakes.ManualScheduler;
import dev.ddbcdc.camel.fakes.RecordedLosses;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RecordAgeExceededException;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.TestClock;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code maxRecordAge}: only records older than the limit when read are skipped, each skip is surfaced (counter, one
 * report per GetRecords call with the shard and sequence range, through the loss policy to the exception handler),
 * and the checkpoint passes the skipped records once they are reported. Over a {@link ManualScheduler} and a
 * {@link TestClock}: the age is measured with the engine's clock, not the system's.
 */
class MaxRecordAgeTest {

    static final String TABLE = "orders";
    static final String STREAM_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-03-01T00:00:00.000";
    /** Long ago on the system clock: a record "1 minute old" here is years old for System.currentTimeMillis. */
    static final long NOW = Instant.parse("2024-03-01T12:30:27.500Z").toEpochMilli();
    static final long HOUR = 3_600_000;
    static final long WAIT_LIMIT_MILLIS = 120_000;

    final TestClock clock = new TestClock(NOW);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final RunContext run = new RunContext(clock, scheduler);
    final FakeStream stream = new FakeStream(STREAM_ARN);
    final ShardCheckpointStore store = new ShardCheckpointStore(new MemoryStateRepository(),
            new CheckpointKeys("consumer-1", STREAM_ARN));
    final StreamMetrics metrics = new StreamMetrics();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    /** The losses reported, and the shard's checkpoint at the moment each reached the exception handler. */
    final RecordedLosses losses = new RecordedLosses();
    final List<ShardPosition> checkpointWhenHandled = new CopyOnWriteArrayList<>();
    final LossPolicy.Sink sink = new LossPolicy.Sink() {
        @Override
        public void count(LossPolicy.Kind kind, String message) {
            losses.count(kind, message);
        }

        @Override
        public void handle(String message, RuntimeException loss) {
            checkpointWhenHandled.add(store.load("s1"));
            losses.handle(message, loss);
        }
    };

    final RecordDispatcher dispatcher = (shardId, record, ack) -> {
        delivered.add(record.dynamodb().sequenceNumber());
        ack.completed();
    };

    StreamCoordinator coordinator(long maxRecordAge, FirstStart firstStart) {
        StreamOptions options = new StreamOptions(StartPosition.TRIM_HORIZON, 100, 50, 1000, 60_000, 4,
                TrimmedDataPolicy.FAIL, 600_000).withMaxRecordAge(maxRecordAge);
        return new StreamCoordinator(options, stream, store, dispatcher, run, metrics,
                new LossPolicy(TrimmedDataPolicy.FAIL, sink), firstStart, ShardOwnership.ALL,
                StreamCoordinator.Halts.NONE, TABLE, STREAM_ARN);
    }

    static Instant ago(long millis) {
        return Instant.ofEpochMilli(NOW - millis);
    }

    void advanceUntil(String what, BooleanSupplier condition) {
        long waited = 0;
        scheduler.runDue();
        while (!condition.getAsBoolean()) {
            if (waited >= WAIT_LIMIT_MILLIS) {
                fail("not within " + WAIT_LIMIT_MILLIS + " ms (simulated): " + what + "; delivered " + delivered
                     + ", handled " + losses.handled);
            }
            scheduler.advance(10);
            waited += 10;
        }
    }

    List<RecordAgeExceededException> skips() {
        List<RecordAgeExceededException> skips = new ArrayList<>();
        for (RuntimeException handled : losses.handled) {
            skips.add(assertInstanceOf(RecordAgeExceededException.class, handled));
        }
        return skips;
    }

    @AfterEach
    void stop() {
        run.stop();
        List<Throwable> failures = scheduler.failures();
        scheduler.shutdownNow();
        assertEquals(List.of(), failures, "no task of the run may end with an exception");
    }

    @Test
    void onlyRecordsOlderThanTheLimitAreSkippedEachSkipIsSurfacedAndTheCheckpointPassesThem() {
        stream.shard("s1", null);
        String a = stream.record("s1", ago(3 * HOUR));
        String b = stream.record("s1", ago(HOUR + 60_000));
        String c = stream.record("s1", ago(HOUR - 60_000));
        String d = stream.record("s1", ago(1_000));
        coordinator(HOUR, FirstStart.at(StartPosition.TRIM_HORIZON)).start();

        advanceUntil("the shard is read", () -> ShardPosition.after(d).equals(store.load("s1")));

        assertEquals(List.of(c, d), delivered, "the records younger than maxRecordAge, in order");
        assertEquals(2, metrics.recordsTooOld.get(), "each skip is counted");
        assertEquals(2, metrics.recordsDispatched.sum());
        assertEquals(0, metrics.recordsBeforeStart.get());
        List<RecordAgeExceededException> skips = skips();
        assertEquals(1, skips.size(), "one report for the GetRecords call: " + losses.handled);
        RecordAgeExceededException skip = skips.get(0);
        assertEquals("s1", skip.shardId());
        assertEquals(a, skip.firstSequenceNumber());
        assertEquals(b, skip.lastSequenceNumber());
        assertEquals(2, skip.count());
        String message = skip.getMessage();
        for (String part : new String[] { "Table orders shard s1", "skipped 2 stream records", "maxRecordAge (PT1H)",
                                          "sequence numbers " + a + " to " + b, "created " + ago(3 * HOUR),
                                          "age up to PT3H" }) {
            assertTrue(message.contains(part), part + " in: " + message);
        }
        assertEquals(List.of(), losses.counted, "not counted as trimmed data or any other loss kind");
        assertEquals(0, metrics.trimmedDataEvents.get());
        assertEquals(List.of(StreamCoordinator.OWED_FROM_OLDEST), checkpointWhenHandled,
                "reported before the checkpoint passed the skipped records");
    }

    @Test
    void theAgeIsTakenWhenTheRecordIsReadOnTheEnginesClock() {
        stream.shard("s1", null);
        String first = stream.record("s1", ago(30 * 60_000));
        coordinator(HOUR, FirstStart.at(StartPosition.TRIM_HORIZON)).start();
        advanceUntil("the first record is delivered", () -> delivered.size() == 1);
        assertEquals(List.of(first), delivered);

        // written 30 minutes ago, read after another 45: 75 minutes old when read
        String late = stream.record("s1", ago(30 * 60_000));
        clock.advance(45 * 60_000);
        advanceUntil("the second record is read", () -> ShardPosition.after(late).equals(store.load("s1")));

        assertEquals(List.of(first), delivered);
        assertEquals(1, metrics.recordsTooOld.get());
        RecordAgeExceededException skip = skips().get(0);
        assertEquals(late, skip.firstSequenceNumber());
        assertEquals(late, skip.lastSequenceNumber());
        assertTrue(skip.getMessage().contains("skipped 1 stream record older") && skip.getMessage()
                .contains("sequence number " + late + ","), skip.getMessage());
    }

    @Test
    void aBacklogIsReportedOncePerGetRecordsCallNotOncePerRecord() {
        stream.shard("s1", null);
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            old.add(stream.record("s1", ago(5 * HOUR)));
        }
        String young = stream.record("s1", ago(60_000));
        coordinator(HOUR, FirstStart.at(StartPosition.TRIM_HORIZON)).start();

        advanceUntil("the backlog is read", () -> ShardPosition.after(young).equals(store.load("s1")));

        assertEquals(List.of(young), delivered);
        assertEquals(250, metrics.recordsTooOld.get());
        List<RecordAgeExceededException> skips = skips();
        assertEquals(3, skips.size(), "one report per GetRecords call of 100 records at most");
        assertEquals(List.of(100L, 100L, 50L), skips.stream().map(RecordAgeExceededException::count).toList());
        assertEquals(old.get(0), skips.get(0).firstSequenceNumber());
        assertEquals(old.get(99), skips.get(0).lastSequenceNumber());
        assertEquals(old.get(100), skips.get(1).firstSequenceNumber());
        assertEquals(old.get(249), skips.get(2).lastSequenceNumber());
    }

    @Test
    void recordsBeforeTheStartPositionAreNotDeliverableAnywayAndNotCountedAsTooOld() {
        stream.shard("s1", null);
        stream.record("s1", ago(3 * HOUR)); // before the start position: not owed, so not a loss
        String tooOld = stream.record("s1", ago(2 * HOUR));
        String young = stream.record("s1", ago(1_000));
        coordinator(HOUR, FirstStart.from(NOW - 150 * 60_000)).start();

        advanceUntil("the shard is read", () -> ShardPosition.after(young).equals(store.load("s1")));

        assertEquals(List.of(young), delivered);
        assertEquals(1, metrics.recordsBeforeStart.get());
        assertEquals(1, metrics.recordsTooOld.get());
        assertEquals(tooOld, skips().get(0).firstSequenceNumber());
    }

    @Test
    void withoutAMaxRecordAgeEveryRecordIsDeliveredHoweverOld() {
        stream.shard("s1", null);
        String old = stream.record("s1", ago(23 * HOUR));
        String young = stream.record("s1", ago(1_000));
        coordinator(StreamOptions.NO_MAX_RECORD_AGE, FirstStart.at(StartPosition.TRIM_HORIZON)).start();

        advanceUntil("the shard is read", () -> ShardPosition.after(young).equals(store.load("s1")));

        assertEquals(List.of(old, young), delivered);
        assertEquals(0, metrics.recordsTooOld.get());
        assertEquals(List.of(), losses.handled);
    }
}
