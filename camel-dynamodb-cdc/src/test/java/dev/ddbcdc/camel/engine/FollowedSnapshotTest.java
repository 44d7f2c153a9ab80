package dev.ddbcdc.camel.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.fakes.RecordedLosses;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.flow.StreamRetention;
import dev.ddbcdc.camel.flow.TestClock;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A bucket's engine and the snapshot another member takes ({@code clusterMode=BUCKETS}): it shows the stored
 * snapshot's progress, delivers and requests nothing, and hands over to its shards from the same time once the
 * snapshot is stored done, with the same check that the stream still holds the records from then.
 */
class FollowedSnapshotTest {

    static final Instant EXPORT_TIME = Instant.parse("2024-03-01T10:15:42.345Z");
    static final long OVERLAP = 60_000;
    static final long DELIVERS_FROM = Instant.parse("2024-03-01T10:14:00Z").toEpochMilli();
    static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/export/01709288142345-aaaaaaaa";

    final TestClock clock = new TestClock(EXPORT_TIME.plus(Duration.ofMinutes(10)).toEpochMilli());
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    final ExecutorService caller = Executors.newSingleThreadExecutor();
    final RunContext run = new RunContext(clock, executor);
    final SnapshotCheckpointStore store = new SnapshotCheckpointStore(new MemoryStateRepository(),
            new CheckpointKeys("consumer-1", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"));
    final RecordedLosses losses = new RecordedLosses();
    final List<Phase> phases = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        run.stop();
        caller.shutdownNow();
        executor.shutdownNow();
    }

    CompletableFuture<SnapshotResult> follow() {
        SnapshotOptions options = new SnapshotOptions("consumer-1", null, "bucket", null, null, null,
                ExportFormat.DYNAMODB_JSON, 10, 2, 30_000, OVERLAP);
        SnapshotWork work = new SnapshotWork(store, (filler, key, description, ack) -> {
            throw new AssertionError("a follower delivers nothing");
        }, new SnapshotMetrics(), run, new KeySchema("pk", null), "orders",
                new LossPolicy(TrimmedDataPolicy.FAIL, losses), () -> false, phases::add);
        FollowedSnapshot followed = new FollowedSnapshot(options, work, 0);
        return CompletableFuture.supplyAsync(followed::run, caller);
    }

    /** Lets the follower's pauses (by the run's clock) go by until {@code done}. */
    void advanceUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            clock.advance(100);
            Thread.sleep(2);
        }
    }

    @Test
    void showsTheProgressOfTheSnapshotTakenElsewhereThenHandsOverFromTheSameTime() throws Exception {
        CompletableFuture<SnapshotResult> result = follow();
        store.save(new SnapshotState(Phase.EXPORTING, 1, EXPORT_TIME.toEpochMilli(), ARN));
        advanceUntil(() -> phases.contains(Phase.EXPORTING));
        store.save(new SnapshotState(Phase.LOADING, 1, EXPORT_TIME.toEpochMilli(), ARN));
        advanceUntil(() -> phases.contains(Phase.LOADING));
        assertFalse(result.isDone(), "not before the snapshot is done");
        store.save(new SnapshotState(Phase.STREAMING, 1, EXPORT_TIME.toEpochMilli(), ARN));
        advanceUntil(result::isDone);
        HandOver handOver = assertInstanceOf(SnapshotResult.Completed.class, result.get(1, TimeUnit.SECONDS))
                .handOver();
        assertEquals(DELIVERS_FROM, handOver.deliversFromMillis(), "the hand-over of the member that took it");
        assertEquals(List.of(Phase.EXPORTING, Phase.LOADING), phases);
    }

    @Test
    void aSnapshotDoneTooLongAgoIsAGapForTheLossPolicyAsForTheMemberThatTookIt() throws Exception {
        store.save(new SnapshotState(Phase.STREAMING, 1, EXPORT_TIME.toEpochMilli(), ARN));
        clock.advance(StreamRetention.RETENTION.toMillis());
        SnapshotResult result = follow().get(10, TimeUnit.SECONDS);
        assertInstanceOf(SnapshotResult.Failed.class, result, "trimmedDataPolicy=FAIL");
        assertEquals(List.of(LossPolicy.Kind.HAND_OVER_TRIMMED), losses.kinds, "reported once");
    }

    @Test
    void aSnapshotLoadedBetweenTwoLooksStillPassesThroughLoading() throws Exception {
        CompletableFuture<SnapshotResult> result = follow();
        store.save(new SnapshotState(Phase.EXPORTING, 1, EXPORT_TIME.toEpochMilli(), ARN));
        advanceUntil(() -> phases.contains(Phase.EXPORTING));
        store.save(new SnapshotState(Phase.STREAMING, 1, EXPORT_TIME.toEpochMilli(), ARN));
        advanceUntil(result::isDone);
        assertInstanceOf(SnapshotResult.Completed.class, result.get(1, TimeUnit.SECONDS));
        assertEquals(List.of(Phase.EXPORTING, Phase.LOADING), phases, "EXPORTING cannot go to STREAMING");
    }

    @Test
    void stopsWaitingWhenTheRunStops() throws Exception {
        CompletableFuture<SnapshotResult> result = follow();
        run.stop();
        advanceUntil(result::isDone);
        assertInstanceOf(SnapshotResult.Stopped.class, result.get(1, TimeUnit.SECONDS));
    }
}
