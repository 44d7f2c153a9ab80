package dev.ddbcdc.camel.stream;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.fakes.FakeStream;
import dev.ddbcdc.camel.fakes.ManualScheduler;
import dev.ddbcdc.camel.fakes.RecordedLosses;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.TestClock;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parent before child across buckets ({@code clusterMode=BUCKETS}): the coordinator of one bucket owns the child but
 * not the parent, which another member reads and checkpoints in the shared store. The child is not read until the
 * parent's END is in the store, however far the other member's position of the parent has got; a parent already ended
 * elsewhere does not hold the child back; a parent gone from the stream before it was ended elsewhere is a loss the
 * child's bucket sees. Over a {@link ManualScheduler}, as {@code StreamCoordinatorTest}.
 */
class CrossBucketParentTest {

    static final String STREAM_ARN = StreamCoordinatorTest.STREAM_ARN;
    static final long NOW = Instant.parse("2024-03-01T12:30:27.500Z").toEpochMilli();

    record Delivered(String shardId, String sequenceNumber) {
    }

    final TestClock clock = new TestClock(NOW);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final RunContext run = new RunContext(clock, scheduler);
    final FakeStream stream = new FakeStream(STREAM_ARN);
    final ShardCheckpointStore store = new ShardCheckpointStore(new MemoryStateRepository(),
            new CheckpointKeys("consumer-1", STREAM_ARN));
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    final RecordedLosses losses = new RecordedLosses();
    /** The parent's END as the store held it when each record of the child was dispatched. */
    final List<ShardPosition> parentAtChildDispatch = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        run.stop();
    }

    /** The coordinator of the bucket that owns {@code mine} only. */
    StreamCoordinator bucket(Set<String> mine, TrimmedDataPolicy policy) {
        StreamOptions options = new StreamOptions(StartPosition.TRIM_HORIZON, 100, 50, 1000, 60_000, 4, policy,
                600_000);
        RecordDispatcher dispatcher = (shardId, record, ack) -> {
            if (shardId.equals("c")) {
                parentAtChildDispatch.add(store.load("p"));
            }
            delivered.add(new Delivered(shardId, record.dynamodb().sequenceNumber()));
            ack.completed();
        };
        return new StreamCoordinator(options, stream, store, dispatcher, run, new StreamMetrics(),
                new LossPolicy(policy, losses), FirstStart.at(StartPosition.TRIM_HORIZON), mine::contains,
                StreamCoordinator.Halts.NONE, "orders", STREAM_ARN);
    }

    static Instant at(long offsetMillisFromNow) {
        return Instant.ofEpochMilli(NOW + offsetMillisFromNow);
    }

    List<String> deliveredOf(String shardId) {
        return delivered.stream().filter(d -> d.shardId().equals(shardId)).map(Delivered::sequenceNumber).toList();
    }

    void advanceUntil(String what, BooleanSupplier condition) {
        scheduler.runDue();
        for (long waited = 0; !condition.getAsBoolean(); waited += 10) {
            if (waited >= 60_000) {
                fail("not within 60 s (simulated): " + what + "; delivered " + delivered);
            }
            scheduler.advance(10);
        }
    }

    /** p (another bucket's), closed with three records; its child c (this bucket's) with two. */
    List<String> parentAndChild() {
        stream.shard("p", null);
        List<String> parent = List.of(stream.record("p", at(-90_000)), stream.record("p", at(-80_000)),
                stream.record("p", at(-70_000)));
        stream.close("p");
        stream.shard("c", "p");
        stream.record("c", at(-60_000));
        stream.record("c", at(-50_000));
        return parent;
    }

    @Test
    void aChildWaitsWhileItsParentIsReadInAnotherBucketAndIsReadOnceThatBucketStoredTheParentsEnd() {
        List<String> parent = parentAndChild();
        StreamCoordinator coordinator = bucket(Set.of("c"), TrimmedDataPolicy.FAIL);

        coordinator.start();
        scheduler.advance(3 * StreamCoordinator.ELSEWHERE_CHECK_MILLIS);
        assertEquals(List.of(), stream.iteratorCalls("c"), "p has no checkpoint yet");
        store.save("p", ShardPosition.from(0)); // the other bucket lists p
        scheduler.advance(3 * StreamCoordinator.ELSEWHERE_CHECK_MILLIS);
        for (String record : parent) { // and reads it, record by record, to its last
            store.save("p", ShardPosition.after(record));
            scheduler.advance(3 * StreamCoordinator.ELSEWHERE_CHECK_MILLIS);
            assertEquals(List.of(), stream.iteratorCalls("c"), "p is checkpointed at " + record + ", not ended");
        }
        scheduler.advance(5 * 60_000); // listings and checks go on: still no END
        assertEquals(List.of(), delivered);
        assertEquals(List.of(), stream.iteratorCalls("p"), "another bucket's shard is never read here");

        store.save("p", ShardPosition.end());
        advanceUntil("c is read once p's END is stored", () -> deliveredOf("c").size() == 2);
        assertEquals(List.of(ShardPosition.end(), ShardPosition.end()), parentAtChildDispatch);
        assertEquals(List.of(), losses.counted);
    }

    @Test
    void aParentEndedInAnotherBucketBeforeThisOneStartedDoesNotHoldTheChildBack() {
        parentAndChild();
        store.save("p", ShardPosition.end());
        StreamCoordinator coordinator = bucket(Set.of("c"), TrimmedDataPolicy.FAIL);

        coordinator.start();
        scheduler.runDue();

        assertEquals(2, deliveredOf("c").size(), "read at the first listing, not after the next check of the ends");
        assertEquals(List.of(), stream.iteratorCalls("p"));
    }

    @Test
    void aParentOfAnotherBucketGoneFromTheStreamBeforeItsEndWasStoredIsALossThatHaltsTheChildUnderFail() {
        List<String> parent = parentAndChild();
        StreamCoordinator coordinator = bucket(Set.of("c"), TrimmedDataPolicy.FAIL);
        coordinator.start();
        store.save("p", ShardPosition.after(parent.get(0))); // the other bucket read one record of p
        scheduler.advance(3 * StreamCoordinator.ELSEWHERE_CHECK_MILLIS);

        stream.unlist("p"); // its other records were trimmed before the other bucket read them
        scheduler.advance(2 * 60_000 + 1_000);

        assertEquals(1, losses.counted.size(), "reported once: " + losses.counted);
        assertTrue(losses.counted.get(0).contains("shard p"), losses.counted.get(0));
        assertEquals(List.of(), stream.iteratorCalls("c"), "under FAIL the child is not read");
        assertEquals(1, coordinator.shardCount(ShardLineageTracker.State.HALTED));
    }
}
