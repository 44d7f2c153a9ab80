package dev.ddbcdc.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Camel context with one route from a consumer endpoint into a processor that does minimal work: it counts, and
 * notes when the first exchange arrived and when the expected count was reached. An optional hook sees each exchange.
 * A batch exchange (batchSize above 1) counts as the changes it holds ({@code CamelDynamoDbCdcBatchSize}); the
 * exchanges themselves are counted apart.
 */
final class CountingRoute implements AutoCloseable {

    static final String ROUTE_ID = "measured";

    final CamelContext context = new DefaultCamelContext();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong exchanges = new AtomicLong();
    private final long expected;
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile long firstNanos;
    private volatile long reachedNanos;
    private volatile long lastNanos;
    private long startNanos;

    CountingRoute(String uri, long expected, Consumer<Exchange> hook) throws Exception {
        this.expected = expected;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE_ID).process(exchange -> {
                    if (hook != null) {
                        hook.accept(exchange);
                    }
                    Integer batch = exchange.getMessage().getHeader(DynamoDbCdcConstants.BATCH_SIZE, Integer.class);
                    int changes = batch == null ? 1 : batch;
                    exchanges.incrementAndGet();
                    long n = count.addAndGet(changes);
                    lastNanos = System.nanoTime();
                    if (n - changes == 0) {
                        firstNanos = System.nanoTime();
                    }
                    if (n - changes < CountingRoute.this.expected && n >= CountingRoute.this.expected) {
                        reachedNanos = System.nanoTime();
                        reached.countDown();
                    }
                });
            }
        });
    }

    CountingRoute bind(String name, Object bean) {
        context.getRegistry().bind(name, bean);
        return this;
    }

    CountingRoute start() {
        startNanos = System.nanoTime();
        context.start();
        return this;
    }

    /** Waits until the expected count arrived; false after the timeout. */
    boolean await(long timeoutMillis) throws InterruptedException {
        return reached.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until the expected count arrived, or nothing arrived for {@code stallMillis}, or {@code maxMillis} passed;
     * true only when the expected count arrived.
     */
    boolean awaitOrStall(long stallMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (reached.await(200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            long since = lastNanos == 0 ? startNanos : lastNanos;
            if (System.nanoTime() - since > stallMillis * 1_000_000L) {
                return false;
            }
        }
        return false;
    }

    /** Records per second from start to the last exchange that arrived (0 if none). */
    double ratePerSecond() {
        long last = lastNanos;
        return last == 0 ? 0 : count.get() / ((last - startNanos) / 1e9);
    }

    long count() {
        return count.get();
    }

    /** Exchanges that arrived: as many as {@link #count()} without batches. */
    long exchanges() {
        return exchanges.get();
    }

    long startNanos() {
        return startNanos;
    }

    /** Seconds from start to the expected count. */
    double secondsToExpected() {
        return (reachedNanos - startNanos) / 1e9;
    }

    /** Seconds from start to the first exchange, or NaN if none came. */
    double secondsToFirst() {
        return firstNanos == 0 ? Double.NaN : (firstNanos - startNanos) / 1e9;
    }

    <T> T consumer(Class<T> type) {
        return type.cast(context.getRoute(ROUTE_ID).getConsumer());
    }

    @Override
    public void close() {
        context.stop();
    }
}
