package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckWindowTest {

    /** The checkpoints a window wrote, in order. */
    static final class Written<P> implements AckWindow.Checkpoints<P> {
        final List<Object> values = new CopyOnWriteArrayList<>();

        @Override
        public void save(P position) {
            values.add(position);
        }

        @Override
        public void end() {
            values.add("END");
        }

        Object last() {
            return values.isEmpty() ? null : values.get(values.size() - 1);
        }
    }

    final TestClock clock = new TestClock(1_000);
    final AtomicBoolean running = new AtomicBoolean(true);

    <P> AckWindow<P> window(P acknowledged, Written<P> written) {
        return new AckWindow<>(acknowledged, clock, 100, 5_000, AckWindow.Cadence.EVERY_ADVANCE, written,
                running::get);
    }

    @Test
    void acknowledgesOnlyTheHighestContiguousCompletedRecord() {
        Written<String> written = new Written<>();
        AckWindow<String> acks = window("10", written);
        AckWindow<String>.Ticket a = acks.register("11");
        AckWindow<String>.Ticket b = acks.register("12");
        AckWindow<String>.Ticket c = acks.register("13");
        b.complete();
        assertEquals("10", acks.acknowledged(), "12 done but 11 still in flight");
        c.complete();
        assertEquals(List.of(), written.values);
        a.complete();
        assertEquals("13", acks.acknowledged(), "11 completes the run up to 13");
        assertEquals(List.of("13"), written.values, "one write for the whole run");
        assertTrue(acks.drained());
    }

    @Test
    void completingSeveralAtOnceIsCompletingEachInTurn() {
        Written<String> written = new Written<>();
        AckWindow<String> acks = window(null, written);
        AckWindow<String>.Ticket a = acks.register("1");
        AckWindow<String>.Ticket b = acks.register("2");
        AckWindow<String>.Ticket c = acks.register("3");
        AckWindow<String>.Ticket d = acks.register("4");
        AckWindow<String>.Ticket e = acks.register("5");
        acks.completeAll(List.of(b, c));
        assertNull(acks.acknowledged(), "1 still in flight");
        assertEquals(3, acks.inFlight());
        acks.completeAll(List.of(a, b));
        assertEquals("3", acks.acknowledged(), "b counted once");
        assertEquals(List.of("3"), written.values, "one write for the run");
        d.fail();
        acks.completeAll(List.of(e));
        assertEquals("3", acks.acknowledged(), "a failure still holds the position");
        assertTrue(acks.drained());
        acks.rewind();
        AckWindow<String>.Ticket again = acks.register("4");
        acks.completeAll(List.of(d, again));
        assertEquals("4", acks.acknowledged(), "a ticket of a forgotten round is ignored");
        AckWindow<String> other = window(null, new Written<>());
        AckWindow<String>.Ticket foreign = other.register("9");
        AckWindow<String>.Ticket mine = acks.register("5");
        assertThrows(IllegalArgumentException.class, () -> acks.completeAll(List.of(mine, foreign)));
        assertEquals(1, acks.inFlight(), "nothing settled when a ticket is foreign");
    }

    @Test
    void aFailureHoldsThePositionInFrontOfIt() {
        AckWindow<String> acks = window(null, new Written<>());
        AckWindow<String>.Ticket a = acks.register("1");
        AckWindow<String>.Ticket b = acks.register("2");
        AckWindow<String>.Ticket c = acks.register("3");
        b.fail();
        assertEquals("2", acks.failed());
        c.complete();
        assertFalse(acks.drained());
        a.complete();
        assertEquals("1", acks.acknowledged(), "records before the failure still count");
        assertTrue(acks.drained());
        assertFalse(acks.endIfDrained(), "no end with a failure in the window");
        assertEquals("1", acks.rewind(), "never past the failed record");
        assertNull(acks.failed());
    }

    @Test
    void rewindForgetsInFlightRecordsAndLateCompletionsAreIgnored() {
        Written<String> written = new Written<>();
        AckWindow<String> acks = window("5", written);
        AckWindow<String>.Ticket a = acks.register("6");
        assertEquals(1, acks.inFlight());
        assertEquals("5", acks.rewind());
        assertEquals(0, acks.inFlight());
        AckWindow<String>.Ticket again = acks.register("6");
        a.complete();
        a.complete();
        assertEquals("5", acks.acknowledged(), "a completion from before the rewind moves nothing");
        assertEquals(1, acks.inFlight(), "nor is it counted against the new round");
        again.complete();
        assertEquals("6", acks.acknowledged());
    }

    @Test
    void restartTakesANewBaseAndIgnoresTheOldRound() {
        Written<String> written = new Written<>();
        AckWindow<String> acks = window("5", written);
        AckWindow<String>.Ticket old = acks.register("6");
        acks.restart(null);
        old.complete();
        assertNull(acks.acknowledged());
        assertTrue(acks.drained());
        AckWindow<String>.Ticket fresh = acks.register("100");
        fresh.complete();
        assertEquals(List.of("100"), written.values);
    }

    @Test
    void theEndIsWrittenOnlyOnceEverythingIsAcknowledgedAndAfterTheLastPosition() {
        Written<Long> written = new Written<>();
        AckWindow<Long> acks = new AckWindow<>(null, clock, 100, 5_000, new AckWindow.Cadence(1000, 60_000), written,
                running::get);
        AckWindow<Long>.Ticket one = acks.register(1L);
        AckWindow<Long>.Ticket two = acks.register(2L);
        two.complete();
        assertFalse(acks.endIfDrained());
        one.complete();
        assertEquals(List.of(), written.values, "the cadence holds the write back");
        assertTrue(acks.endIfDrained());
        assertEquals(List.of(2L, "END"), written.values);
    }

    @Test
    void theCadenceWritesEveryNPositionsOrAfterTMillisAndEveryAdvanceOnceStopped() {
        Written<Long> written = new Written<>();
        AckWindow<Long> acks = new AckWindow<>(null, clock, 100, 5_000, new AckWindow.Cadence(3, 1_000), written,
                running::get);
        acks.register(1L).complete();
        acks.register(2L).complete();
        assertEquals(List.of(), written.values);
        acks.register(3L).complete();
        assertEquals(List.of(3L), written.values, "every 3 positions");
        acks.register(4L).complete();
        clock.advance(1_000);
        acks.register(5L).complete();
        assertEquals(List.of(3L, 5L), written.values, "or after 1 s");
        running.set(false);
        acks.register(6L).complete();
        assertEquals(List.of(3L, 5L, 6L), written.values, "stopping: every advance");
        acks.flush();
        assertEquals(3, written.values.size(), "flush writes nothing new");
    }

    @Test
    void theInFlightCapAndTheTimeoutAreTheWindows() {
        AckWindow<Long> acks = new AckWindow<>(null, clock, 2, 5_000, AckWindow.Cadence.EVERY_ADVANCE,
                new Written<>(), running::get);
        assertEquals(2, acks.room());
        AckWindow<Long>.Ticket one = acks.register(1L);
        assertEquals(1, acks.room());
        clock.advance(4_000);
        acks.register(2L);
        assertFalse(acks.hasRoom());
        assertEquals(0, acks.room());
        assertFalse(acks.timedOut());
        clock.advance(1_001);
        assertTrue(acks.timedOut(), "the oldest record in flight is older than the timeout");
        one.complete();
        assertTrue(acks.hasRoom());
        assertEquals(1, acks.room());
        assertFalse(acks.timedOut(), "the one left was dispatched 1,001 ms ago");
    }

    @Test
    void completionsFromManyThreadsInAnyOrderWriteOnlyIncreasingPositionsAndEndAtTheLast() throws Exception {
        for (int run = 0; run < 20; run++) {
            Written<Long> written = new Written<>();
            AckWindow<Long> acks = new AckWindow<>(0L, clock, 10_000, 60_000, new AckWindow.Cadence(7, 60_000),
                    written, running::get);
            running.set(true);
            List<AckWindow<Long>.Ticket> tickets = new ArrayList<>();
            for (long line = 1; line <= 2_000; line++) {
                tickets.add(acks.register(line));
            }
            Collections.shuffle(tickets, new Random(run));
            ExecutorService threads = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            int slices = 4;
            for (int t = 0; t < slices; t++) {
                List<AckWindow<Long>.Ticket> mine = tickets.subList(t * 500, (t + 1) * 500);
                threads.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    mine.forEach(AckWindow.Ticket::complete);
                });
            }
            go.countDown();
            threads.shutdown();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(acks.drained());
            assertEquals(2_000L, acks.acknowledged());
            assertTrue(acks.endIfDrained());
            long previous = 0;
            for (Object value : written.values.subList(0, written.values.size() - 1)) {
                assertTrue((Long) value > previous, "positions only increase: " + written.values);
                previous = (Long) value;
            }
            assertEquals(2_000L, previous, "the last position is written before the end");
            assertEquals("END", written.last());
        }
    }
}
