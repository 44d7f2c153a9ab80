package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerialLanesTest {

    @Test
    void eachLaneRunsItsTasksInOrderWhileLanesRunSideBySide() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialLanes lanes = new SerialLanes(pool, e -> {
                throw new AssertionError(e);
            });
            Map<String, List<Integer>> seen = new HashMap<>();
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(400);
            for (int i = 0; i < 100; i++) {
                for (String lane : List.of("a", "b", "c", "d")) {
                    int task = i;
                    lanes.submit(lane, () -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(0, ThreadLocalRandom.current().nextInt(500_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        synchronized (seen) {
                            seen.computeIfAbsent(lane, k -> new ArrayList<>()).add(task);
                        }
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            List<Integer> inOrder = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                inOrder.add(i);
            }
            for (String lane : List.of("a", "b", "c", "d")) {
                assertEquals(inOrder, seen.get(lane), "lane " + lane);
            }
            assertTrue(mostAtOnce.get() > 1, "lanes ran side by side: at most " + mostAtOnce.get() + " at once");
            CountDownLatch idle = new CountDownLatch(1);
            pool.execute(idle::countDown);
            assertTrue(idle.await(5, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertEquals(0, lanes.active(), "idle lanes are forgotten");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskThatThrowsIsReportedAndTheLaneGoesOn() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
            SerialLanes lanes = new SerialLanes(pool, failures::add);
            CountDownLatch after = new CountDownLatch(1);
            lanes.submit("a", () -> {
                throw new IllegalStateException("boom");
            });
            lanes.submit("a", after::countDown);
            assertTrue(after.await(5, TimeUnit.SECONDS));
            assertEquals("boom", failures.get(0).getMessage());
        } finally {
            pool.shutdownNow();
        }
    }
}
