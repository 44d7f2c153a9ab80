package dev.ddbcdc.camel.stream;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import dev.ddbcdc.camel.DynamoDbCdcConfiguration;
import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.port.StreamProxy;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader's recovery paths, against a small fake of the streams API. */
class ShardReaderTest {

    /** Serves scripted GetRecords answers (or failures) and records the iterator requests. */
    static final class FakeProxy implements StreamProxy {
        final Deque<Object> answers = new ArrayDeque<>();
        final List<ShardPosition> iteratorRequests = new ArrayList<>();

        @Override
        public List<Shard> listShards(String streamArn) {
            return List.of();
        }

        @Override
        public String shardIterator(String streamArn, String shardId, ShardPosition position) {
            iteratorRequests.add(position);
            return "it-" + iteratorRequests.size();
        }

        @Override
        public GetRecordsResponse getRecords(String shardIterator, int limit) {
            Object next = answers.removeFirst();
            if (next instanceof RuntimeException) {
                throw (RuntimeException) next;
            }
            return (GetRecordsResponse) next;
        }
    }

    static final class FakeHost implements ShardReader.Host {
        final List<String> finished = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        /** The losses the reader reported through its loss policy. */
        final List<RuntimeException> losses = new ArrayList<>();

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public void schedule(ShardReader reader, long delayMillis) {
        }

        @Override
        public void shardFinished(String shardId) {
            finished.add(shardId);
        }

        @Override
        public void lineageHalted(String shardId, ShardPosition start, boolean readAny) {
            stopped.add(shardId);
        }
    }

    static Record record(String sequenceNumber) {
        return Record.builder().eventID("e" + sequenceNumber).eventName(OperationType.INSERT)
                .dynamodb(d -> d.sequenceNumber(sequenceNumber).approximateCreationDateTime(Instant.now())).build();
    }

    static GetRecordsResponse page(String next, Record... records) {
        return GetRecordsResponse.builder().records(records).nextShardIterator(next).build();
    }

    final FakeProxy proxy = new FakeProxy();
    final FakeHost host = new FakeHost();
    final MemoryStateRepository repository = new MemoryStateRepository();
    final ShardCheckpointStore store = new ShardCheckpointStore(repository, new CheckpointKeys("c", "stream"));
    final StreamMetrics metrics = new StreamMetrics();
    final List<String> delivered = new ArrayList<>();
    String failOn;
    String neverCompletes;
    /** Records whose acknowledgement the test holds back, to complete later (on other threads, in any order). */
    final Map<String, Acknowledgement> held = new ConcurrentHashMap<>();
    boolean holdAll;

    ShardReader reader(ShardPosition start) {
        return reader(start, new DynamoDbCdcConfiguration());
    }

    ShardReader reader(ShardPosition start, DynamoDbCdcConfiguration configuration) {
        return reader(start, configuration, true);
    }

    ShardReader reader(ShardPosition start, DynamoDbCdcConfiguration configuration, boolean mustBeComplete) {
        return reader(start, configuration, mustBeComplete, false);
    }

    ShardReader reader(ShardPosition start, DynamoDbCdcConfiguration configuration, boolean mustBeComplete,
                       boolean closed) {
        RecordDispatcher dispatcher = (shardId, record, ack) -> {
            if (record.dynamodb().sequenceNumber().equals(neverCompletes)) {
                delivered.add(record.dynamodb().sequenceNumber());
                return;
            }
            delivered.add(record.dynamodb().sequenceNumber());
            if (holdAll) {
                held.put(record.dynamodb().sequenceNumber(), ack);
                return;
            }
            if (record.dynamodb().sequenceNumber().equals(failOn)) {
                ack.failed(new IllegalStateException("route failed"));
            } else {
                ack.completed();
            }
        };
        return new ShardReader(host, proxy, store, dispatcher, metrics, configuration.streamOptions(), "t", "stream",
                "s1", new ShardStart(start, closed, mustBeComplete), java.time.Clock.systemUTC(),
                new LossPolicy(configuration.getTrimmedDataPolicy(), new LossPolicy.Sink() {
                    @Override
                    public void count(LossPolicy.Kind kind, String message) {
                        metrics.trimmedDataEvents.incrementAndGet();
                    }

                    @Override
                    public void handle(String message, RuntimeException loss) {
                        host.losses.add(loss);
                    }
                }));
    }

    @Test
    void expiredIteratorResumesAfterTheLastRecordRead() {
        ShardReader reader = reader(ShardPosition.trimHorizon());
        proxy.answers.add(page("next", record("1"), record("2")));
        proxy.answers.add(ExpiredIteratorException.builder().message("expired").build());
        proxy.answers.add(page("next2", record("3")));
        reader.step();
        assertEquals(0, reader.step());
        reader.step();
        assertEquals(List.of(ShardPosition.trimHorizon(), ShardPosition.after("2")), proxy.iteratorRequests);
        assertEquals(List.of("1", "2", "3"), delivered);
        assertEquals(1, metrics.expiredIterators.get());
        assertEquals(ShardPosition.after("3"), store.load("s1"));
    }

    @Test
    void throttlingBacksOffAndRetriesTheSameIterator() {
        ShardReader reader = reader(ShardPosition.after("9"));
        proxy.answers.add(LimitExceededException.builder().message("slow down").build());
        proxy.answers.add(page("next", record("10")));
        long delay = reader.step();
        assertTrue(delay >= 50 && delay <= 100, "jittered backoff, was " + delay);
        reader.step();
        assertEquals(1, proxy.iteratorRequests.size(), "the iterator is still good");
        assertEquals(1, metrics.throttledCalls.get());
        assertEquals(List.of("10"), delivered);
    }

    @Test
    void aFailedExchangeStopsDispatchAndRewindsToTheCheckpoint() {
        failOn = "2";
        ShardReader reader = reader(ShardPosition.after("0"));
        proxy.answers.add(page("next", record("1"), record("2"), record("3")));
        reader.step();
        assertEquals(List.of("1", "2"), delivered, "nothing after the failed record");
        assertEquals(ShardPosition.after("1"), store.load("s1"));
        reader.step(); // rewind
        failOn = null;
        proxy.answers.add(page("next", record("2"), record("3")));
        reader.step();
        assertEquals(ShardPosition.after("1"), proxy.iteratorRequests.get(1));
        assertEquals(List.of("1", "2", "2", "3"), delivered);
        assertEquals(ShardPosition.after("3"), store.load("s1"));
        assertEquals(1, metrics.rewinds.get());
    }

    @Test
    void anExchangeNotCompletedWithinTheTimeoutRewindsTheShard() throws Exception {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        configuration.setShardAcknowledgmentTimeout(1);
        neverCompletes = "2";
        ShardReader reader = reader(ShardPosition.after("0"), configuration);
        proxy.answers.add(page("next", record("1"), record("2")));
        reader.step();
        Thread.sleep(5);
        reader.step(); // timed out: rewind
        assertEquals(1, metrics.rewinds.get());
        neverCompletes = null;
        proxy.answers.add(page("next", record("2")));
        reader.step();
        assertEquals(ShardPosition.after("1"), proxy.iteratorRequests.get(1));
        assertEquals(ShardPosition.after("2"), store.load("s1"));
    }

    @Test
    void theEndSentinelIsWrittenWhenTheShardEndsAndEverythingIsAcknowledged() {
        ShardReader reader = reader(ShardPosition.trimHorizon());
        proxy.answers.add(page(null, record("1")));
        reader.step();
        assertEquals(-1, reader.step());
        assertEquals(ShardPosition.end(), store.load("s1"));
        assertEquals(List.of("s1"), host.finished);
    }

    @Test
    void recordsBeforeAFromPositionAreSkippedButCheckpointed() {
        ShardReader reader = reader(ShardPosition.from(System.currentTimeMillis() + 120_000));
        proxy.answers.add(page("next", record("1")));
        reader.step();
        assertEquals(List.of(), delivered);
        assertEquals(1, metrics.recordsBeforeStart.get());
        assertEquals(ShardPosition.after("1"), store.load("s1"));
    }

    static TrimmedDataAccessException trimmed() {
        return TrimmedDataAccessException.builder().message("trimmed").build();
    }

    /** Completes the held acknowledgements on one thread each, in the given order, and waits for all of them. */
    void completeLateOnOtherThreads(String... order) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(order.length);
        for (String sequenceNumber : order) {
            Acknowledgement ack = held.remove(sequenceNumber);
            Thread thread = new Thread(() -> {
                ack.completed();
                done.countDown();
            });
            thread.start();
            thread.join(); // one after the other, so the order is the one given
        }
        done.await();
    }

    @Test
    void continueAfterTrimmedDataWaitsForTheRecordsInFlightAndWritesEndOnlyOnceAllAreAcknowledged()
            throws Exception {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        configuration.setTrimmedDataPolicy(TrimmedDataPolicy.CONTINUE);
        ShardReader reader = reader(ShardPosition.after("0"), configuration);
        holdAll = true;
        proxy.answers.add(page("next", record("1"), record("2"), record("3")));
        proxy.answers.add(trimmed());
        reader.step();
        reader.step(); // trimmed after 3: the loss is reported, 1 to 3 are still in flight
        assertEquals(1, host.losses.size());
        holdAll = false;
        proxy.answers.add(page(null, record("7")));
        for (int i = 0; i < 5; i++) {
            assertNotEquals(-1, reader.step(), "the shard cannot end while 1 to 3 are in flight");
        }
        assertEquals(List.of(), host.finished);
        assertNotEquals(ShardPosition.end(), store.load("s1"));
        completeLateOnOtherThreads("3", "1", "2");
        assertEquals(ShardPosition.after("3"), store.load("s1"), "the late completions count");
        long result = 0;
        for (int i = 0; i < 5 && result != -1; i++) {
            result = reader.step();
        }
        assertEquals(-1, result, "the shard ends once everything is acknowledged");
        assertEquals(List.of("1", "2", "3", "7"), delivered);
        assertEquals(ShardPosition.end(), store.load("s1"));
        assertEquals(List.of("s1"), host.finished);
        assertEquals(ShardPosition.trimHorizon(), proxy.iteratorRequests.get(proxy.iteratorRequests.size() - 1),
                "CONTINUE goes on from the oldest available record");
    }

    @Test
    void continueAfterTrimmedDataNeverMovesTheCheckpointBackwardsWhenLateCompletionsArrive() throws Exception {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        configuration.setTrimmedDataPolicy(TrimmedDataPolicy.CONTINUE);
        ShardReader reader = reader(ShardPosition.after("0"), configuration);
        holdAll = true;
        proxy.answers.add(page("next", record("1"), record("2")));
        proxy.answers.add(trimmed());
        reader.step();
        reader.step();
        completeLateOnOtherThreads("2", "1");
        holdAll = false;
        proxy.answers.add(page("next", record("8"), record("9")));
        for (int i = 0; i < 5 && delivered.size() < 4; i++) {
            reader.step();
        }
        assertEquals(List.of("1", "2", "8", "9"), delivered);
        assertEquals(ShardPosition.after("9"), store.load("s1"));
    }

    @Test
    void trimmedDataWithNothingPromisedIsNoLoss() {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        ShardReader reader = reader(ShardPosition.trimHorizon(), configuration, false);
        proxy.answers.add(trimmed());
        proxy.answers.add(page("next", record("5")));
        reader.step();
        reader.step();
        assertEquals(List.of(), host.losses, "nothing was promised before the oldest record: no loss");
        assertEquals(0, metrics.trimmedDataEvents.get());
        assertEquals(List.of("5"), delivered);
    }

    /**
     * A start from a time within the retention (a snapshot's hand-over): whatever was trimmed was older than 24 hours,
     * so older than that time and not promised (DynamoDB trims continuously, so a fresh iterator can meet it).
     */
    @Test
    void trimmedRecordsBeforeAStartFromATimeWithinTheRetentionAreNoLoss() {
        ShardReader reader = reader(ShardPosition.from(System.currentTimeMillis() - 3_600_000));
        proxy.answers.add(trimmed());
        proxy.answers.add(page("next", record("5")));
        reader.step();
        reader.step();
        assertEquals(List.of(), host.losses);
        assertEquals(List.of("5"), delivered);
    }

    @Test
    void trimmedRecordsAtAStartFromATimeBeyondTheRetentionAreALoss() {
        ShardReader reader = reader(ShardPosition.from(System.currentTimeMillis() - 25 * 3_600_000L));
        proxy.answers.add(trimmed());
        assertEquals(-1, reader.step());
        assertEquals(1, host.losses.size());
        assertTrue(host.losses.get(0).getMessage().contains("created from"), host.losses.get(0).getMessage());
    }

    @Test
    void trimmedDataUnderFailStopsTheLineageAndReportsTheLossOnce() {
        store.save("s1", ShardPosition.after("4"));
        ShardReader reader = reader(store.load("s1"));
        proxy.answers.add(trimmed());
        assertEquals(-1, reader.step());
        assertEquals(1, host.losses.size());
        assertTrue(host.losses.get(0).getMessage().contains("after sequence number 4"), host.losses.get(0).getMessage());
        assertEquals(List.of("s1"), host.stopped);
        assertEquals(1, metrics.trimmedDataEvents.get());
        assertEquals(ShardPosition.after("4"), store.load("s1"), "the checkpoint is kept for the user");
    }

    static ResourceNotFoundException shardGone() {
        return ResourceNotFoundException.builder().message("no such shard").build();
    }

    @Test
    void aClosedShardWithNothingPromisedAndNothingReadableLeftIsFinishedWithoutALoss() {
        ShardReader reader = reader(ShardPosition.trimHorizon(), new DynamoDbCdcConfiguration(), false, true);
        proxy.answers.add(shardGone());
        long result = 0;
        for (int i = 0; i < 3 && result != -1; i++) {
            result = reader.step();
        }
        assertEquals(-1, result);
        assertEquals(List.of(), host.losses, "nothing was promised: no loss");
        assertEquals(ShardPosition.end(), store.load("s1"));
        assertEquals(List.of("s1"), host.finished);
    }

    @Test
    void aShardGoneUnderContinueWithRecordsInFlightEndsOnlyOnceTheyAreAcknowledged() throws Exception {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        configuration.setTrimmedDataPolicy(TrimmedDataPolicy.CONTINUE);
        ShardReader reader = reader(ShardPosition.after("0"), configuration, true, true);
        holdAll = true;
        proxy.answers.add(page("next", record("1"), record("2")));
        proxy.answers.add(shardGone());
        reader.step();
        reader.step(); // the shard is gone after 2: a loss, reported once
        assertEquals(1, host.losses.size());
        for (int i = 0; i < 3; i++) {
            assertNotEquals(-1, reader.step(), "no END while 1 and 2 are in flight");
        }
        assertNotEquals(ShardPosition.end(), store.load("s1"));
        completeLateOnOtherThreads("2", "1");
        assertEquals(-1, reader.step());
        assertEquals(ShardPosition.end(), store.load("s1"));
        assertEquals(List.of("s1"), host.finished);
        assertEquals(1, host.losses.size());
    }
}
