package dev.ddbcdc.camel.flow;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Waits for the acknowledgements of a known number of changes, passing each on, and then decides once: when every
 * one completed, {@code allCompleted} runs; at the first failure, {@code anyFailed} runs with its cause (the later
 * acknowledgements are still passed on).
 */
public final class AckTally {

    private final AtomicInteger outstanding;
    private final Runnable allCompleted;
    private final Consumer<Throwable> anyFailed;
    private final AtomicBoolean decided = new AtomicBoolean();

    public AckTally(int count, Runnable allCompleted, Consumer<Throwable> anyFailed) {
        this.outstanding = new AtomicInteger(count);
        this.allCompleted = allCompleted;
        this.anyFailed = anyFailed;
    }

    /** An acknowledgement that passes its outcome to {@code ack}, then counts it here. */
    public Acknowledgement wrap(Acknowledgement ack) {
        return new Acknowledgement() {
            @Override
            public void completed() {
                ack.completed();
                if (outstanding.decrementAndGet() == 0 && decided.compareAndSet(false, true)) {
                    allCompleted.run();
                }
            }

            @Override
            public void failed(Throwable cause) {
                ack.failed(cause);
                outstanding.decrementAndGet();
                if (decided.compareAndSet(false, true)) {
                    anyFailed.accept(cause);
                }
            }
        };
    }
}
