package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ddbcdc.camel.fakes.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchesTest {

    record Sent(String source, List<Integer> batch) {
    }

    @Test
    void aFullBatchGoesAtOnceAndAnOldOneWhenItsWindowEnds() {
        TestClock clock = new TestClock(0);
        ManualScheduler timers = new ManualScheduler(clock);
        List<Sent> sent = new ArrayList<>();
        Batches<Integer> batches = new Batches<>(3, 100, timers, () -> true, (s, b) -> sent.add(new Sent(s, b)));
        for (int i = 1; i <= 4; i++) {
            batches.add("shard-1", i);
        }
        batches.add("shard-2", 10);
        assertEquals(List.of(new Sent("shard-1", List.of(1, 2, 3))), sent, "the full batch, on the adding thread");
        timers.advance(99);
        assertEquals(1, sent.size(), "nothing before the window ends");
        timers.advance(1);
        assertEquals(List.of(new Sent("shard-1", List.of(1, 2, 3)), new Sent("shard-1", List.of(4)),
                new Sent("shard-2", List.of(10))), sent);
        assertEquals(0, batches.collected());
    }

    @Test
    void aWindowThatEndsAfterItsBatchWasSentFullSendsNothing() {
        TestClock clock = new TestClock(0);
        ManualScheduler timers = new ManualScheduler(clock);
        List<Sent> sent = new ArrayList<>();
        Batches<Integer> batches = new Batches<>(2, 100, timers, () -> true, (s, b) -> sent.add(new Sent(s, b)));
        batches.add("f", 1);
        batches.add("f", 2); // full: sent; the timer of this batch must not send the next one early
        clock.advance(50);
        batches.add("f", 3);
        timers.advance(50);
        assertEquals(List.of(new Sent("f", List.of(1, 2))), sent, "the next batch waits its own window");
        timers.advance(50);
        assertEquals(List.of(new Sent("f", List.of(1, 2)), new Sent("f", List.of(3))), sent);
    }

    @Test
    void aFlushSendsThePartialBatchAtOnceAndItsTimerThenSendsNothing() {
        TestClock clock = new TestClock(0);
        ManualScheduler timers = new ManualScheduler(clock);
        List<Sent> sent = new ArrayList<>();
        Batches<Integer> batches = new Batches<>(10, 100, timers, () -> true, (s, b) -> sent.add(new Sent(s, b)));
        batches.add("file-1", 1);
        batches.add("file-1", 2);
        batches.add("file-2", 3);
        batches.flush("file-1");
        batches.flush("file-3"); // nothing collected: nothing sent
        assertEquals(List.of(new Sent("file-1", List.of(1, 2))), sent, "the flushed source only");
        clock.advance(50);
        batches.add("file-1", 4);
        timers.advance(50);
        assertEquals(List.of(new Sent("file-1", List.of(1, 2)), new Sent("file-2", List.of(3))), sent,
                "the flushed batch's timer does not send the next one early");
        timers.advance(50);
        assertEquals(new Sent("file-1", List.of(4)), sent.get(2));
        assertEquals(0, batches.collected());
    }

    /** A stopping pool runs the delayed tasks it holds: a timer left behind a sent batch would make a stop wait. */
    @Test
    void aBatchSentFullOrFlushedCancelsItsWindowTimer() {
        TestClock clock = new TestClock(0);
        ManualScheduler timers = new ManualScheduler(clock);
        List<Sent> sent = new ArrayList<>();
        Batches<Integer> batches = new Batches<>(2, 100, timers, () -> true, (s, b) -> sent.add(new Sent(s, b)));
        batches.add("f", 1);
        assertEquals(1, timers.queued(), "the window's timer");
        batches.add("f", 2);
        assertEquals(0, timers.queued(), "sent full: no timer left");
        batches.add("f", 3);
        batches.flush("f");
        assertEquals(0, timers.queued(), "flushed: no timer left");
        assertEquals(List.of(new Sent("f", List.of(1, 2)), new Sent("f", List.of(3))), sent);
    }

    @Test
    void whatIsCollectedWhenTheRunStopsIsDroppedUnsent() {
        TestClock clock = new TestClock(0);
        ManualScheduler timers = new ManualScheduler(clock);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Sent> sent = new ArrayList<>();
        Batches<Integer> batches = new Batches<>(10, 100, timers, running::get, (s, b) -> sent.add(new Sent(s, b)));
        batches.add("shard-1", 1);
        running.set(false);
        timers.advance(100);
        assertEquals(List.of(), sent);
    }

    /** A full batch sent by the adding thread while a timer sends the one before: they never overlap or swap. */
    @Test
    void batchesOfOneSourceGoOutInOrderAndOneAtATimeWhicheverThreadSendsThem() throws Exception {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
        ExecutorService adders = Executors.newSingleThreadExecutor();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean overlapping = new AtomicBoolean();
        AtomicBoolean inside = new AtomicBoolean();
        try {
            Batches<Integer> batches = new Batches<>(7, 1, timers, () -> true, (s, b) -> {
                if (!inside.compareAndSet(false, true)) {
                    overlapping.set(true);
                }
                order.addAll(b);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.set(false);
            });
            CountDownLatch added = new CountDownLatch(1);
            adders.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    batches.add("shard", i);
                    if (i % 5 == 0) { // some windows end before their batch is full: timers send those
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
                added.countDown();
            });
            assertTrue(added.await(30, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (order.size() < 2_000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                expected.add(i);
            }
            assertEquals(expected, new ArrayList<>(order));
            assertEquals(false, overlapping.get(), "two batches of one source were sent at once");
        } finally {
            timers.shutdownNow();
            adders.shutdownNow();
        }
    }
}
