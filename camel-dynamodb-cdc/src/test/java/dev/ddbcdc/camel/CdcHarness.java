package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalDynamoDb;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExceptionHandler;

/**
 * A Camel context with one dynamodb-cdc route into a collecting processor, against a {@link LocalDynamoDb}. Tests
 * start and stop it like a real route, and may start a second one on the same checkpoints to test restarts.
 */
final class CdcHarness implements AutoCloseable {

    static final String ROUTE_ID = "cdc";

    final CamelContext context = new DefaultCamelContext();
    final List<Exchange> received = new CopyOnWriteArrayList<>();
    final List<Throwable> handled = new CopyOnWriteArrayList<>();
    /** The messages the consumer passed to the exception handler with {@link #handled} (null when it gave none). */
    final List<String> handledMessages = new CopyOnWriteArrayList<>();
    private Processor behaviour = exchange -> {
    };

    /** Endpoint URI for a table of the given local DynamoDB, with fast polling; {@code options} are appended. */
    static String uri(LocalDynamoDb ddb, String table, String options) {
        return "dynamodb-cdc:" + table + "?region=us-east-1&uriEndpointOverride=" + ddb.endpoint()
               + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + LocalDynamoDb.SECRET_KEY
               + "&idlePollDelay=50&pollDelay=0&shardDiscoveryInterval=500"
               + (options.isEmpty() ? "" : "&" + options);
    }

    /**
     * Endpoint URI for a snapshot of a table of the local AWS test kit (through its export emulation) into
     * {@code bucket}, polling the export every 100 ms; {@code options} are appended.
     */
    static String snapshotUri(LocalAws aws, String table, String bucket, String options) {
        return "dynamodb-cdc:" + table + "?region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint()
               + "&s3UriEndpointOverride=" + aws.s3Endpoint()
               + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + LocalDynamoDb.SECRET_KEY
               + "&idlePollDelay=50&pollDelay=0&shardDiscoveryInterval=500&exportPollInterval=100"
               + (bucket == null ? "" : "&exportS3Bucket=" + bucket)
               + (options.isEmpty() ? "" : "&" + options);
    }

    /** What the route does with each exchange before it is collected (e.g. throw). */
    CdcHarness behaviour(Processor behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    CdcHarness bind(String name, Object bean) {
        context.getRegistry().bind(name, bean);
        return this;
    }

    CdcHarness start(String uri) throws Exception {
        context.getRegistry().bind("capturingHandler", (ExceptionHandler) new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handledMessages.add(message);
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                handledMessages.add(message);
                handled.add(exception);
            }
        });
        String withHandler = uri + (uri.contains("exceptionHandler=") ? "" : "&exceptionHandler=#capturingHandler");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(withHandler).routeId(ROUTE_ID).process(exchange -> behaviour.process(exchange))
                        .process(received::add);
            }
        });
        context.start();
        return this;
    }

    DynamoDbCdcConsumer consumer() {
        return (DynamoDbCdcConsumer) context.getRoute(ROUTE_ID).getConsumer();
    }

    /** Waits until the consumer is in {@code phase}; fails naming the phase it is in otherwise. */
    void awaitPhase(Phase phase, Duration timeout) {
        awaitCondition(() -> consumer().getPhase() == phase, timeout, () -> "phase " + consumer().getPhase()
                                                                            + ", handled " + handled);
    }

    /** Waits until at least {@code count} exchanges arrived; fails with what did arrive otherwise. */
    List<Exchange> await(int count, Duration timeout) {
        awaitCondition(() -> received.size() >= count, timeout,
                () -> "expected " + count + " exchanges, got " + received.size());
        return new ArrayList<>(received);
    }

    static void awaitCondition(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out: " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Waits for the given quiet period and asserts that nothing beyond {@code count} arrived. */
    void assertNoMoreThan(int count, Duration quiet) throws InterruptedException {
        Thread.sleep(quiet.toMillis());
        if (received.size() > count) {
            throw new AssertionError("expected no more than " + count + " exchanges, got " + received.size());
        }
    }

    @Override
    public void close() {
        context.stop();
    }
}
