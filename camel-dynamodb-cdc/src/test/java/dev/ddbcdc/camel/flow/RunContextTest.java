package dev.ddbcdc.camel.flow;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RunContextTest {

    final ScheduledExecutorService work = Executors.newScheduledThreadPool(1);
    final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        work.shutdownNow();
        control.shutdownNow();
    }

    @Test
    void periodicAndControlTasksDoNotWaitBehindBusyReaders() throws Exception {
        RunContext run = new RunContext(Clock.systemUTC(), new RunContext.Threads(work, control));
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) { // readers holding the only work thread, as a slow route does
            run.submit(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0);
        }
        CountDownLatch periodic = new CountDownLatch(3);
        CountDownLatch once = new CountDownLatch(1);
        run.every(periodic::countDown, 10, 10);
        run.control(once::countDown);
        try {
            assertTrue(periodic.await(5, TimeUnit.SECONDS), "the periodic task ran while every reader waited");
            assertTrue(once.await(5, TimeUnit.SECONDS), "so did the control task");
            assertTrue(!run.awaitIdle(50), "the readers are counted as the run's work");
        } finally {
            release.countDown();
        }
        run.stop();
        assertTrue(run.awaitIdle(5_000), "at rest once they end");
    }

    @Test
    void aStopCancelsWhatWaitsForItsTimeSoAGracefulShutdownNeedNotWaitForIt() throws Exception {
        RunContext run = new RunContext(Clock.systemUTC(), new RunContext.Threads(work, control));
        CountDownLatch ran = new CountDownLatch(1);
        run.submit(ran::countDown, 5_000); // a reader's next poll after an idle one
        run.every(ran::countDown, 5_000, 5_000);
        run.stop();
        long started = System.nanoTime();
        work.shutdown();
        control.shutdown();
        assertTrue(work.awaitTermination(1, TimeUnit.SECONDS) && control.awaitTermination(1, TimeUnit.SECONDS),
                "the executors ended at once");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1_000);
        assertTrue(ran.getCount() == 1, "nothing of the stopped run ran");
    }

    @Test
    void delayedTasksThatRanAreForgotten() throws Exception {
        RunContext run = new RunContext(Clock.systemUTC(), new RunContext.Threads(work, control));
        CountDownLatch ran = new CountDownLatch(500);
        for (int i = 0; i < 500; i++) {
            run.submit(ran::countDown, 1);
        }
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        run.submit(() -> { }, 60_000); // one more look at what waits
        assertTrue(run.waitingTasks() <= 2, "only what still waits is kept: " + run.waitingTasks());
        run.stop();
    }
}
