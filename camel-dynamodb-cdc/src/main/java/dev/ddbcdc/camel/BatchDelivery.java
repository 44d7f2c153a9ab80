package dev.ddbcdc.camel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.ddbcdc.camel.event.ChangeHeaders;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.flow.AckTally;
import dev.ddbcdc.camel.flow.Acknowledgement;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;

/**
 * Sends a batch of changes of one source (a shard, a data file) as one exchange whose body is a {@code List} of
 * exchanges, one per change with its own body and headers (as Camel's batching consumers do), and acknowledges each
 * change by the batch's outcome:
 * <ul>
 * <li>completed: every change, except that the route may report failed items ({@code BATCH_ITEM_FAILURES}, or an
 * item exchange with an exception): then every change before the first failed one is acknowledged, and that one and
 * all after it fail, so they are delivered again in order (like Lambda's ReportBatchItemFailures);</li>
 * <li>failed: every change fails; with {@code bisect}, a batch of more than one change is first split in halves, the
 * first half sent again, and the second only once the first completed, so one poison change is isolated while the
 * changes before it are acknowledged, and no change of a key overtakes an earlier one that failed.</li>
 * </ul>
 */
final class BatchDelivery {

    /** A change waiting in a batch: how to fill its exchange, its idempotency id, and its acknowledgement. */
    record Pending(Consumer<Exchange> filler, String deliveredKey, Acknowledgement ack) {
    }

    private final DefaultConsumer consumer;
    private final boolean acknowledgments;
    private final boolean bisect;
    private final IdempotentRepository idempotentRepository;
    private final OutputFormatter formatter;

    BatchDelivery(DefaultConsumer consumer, boolean acknowledgments, boolean bisect,
                  IdempotentRepository idempotentRepository, OutputFormatter formatter) {
        this.consumer = consumer;
        this.acknowledgments = acknowledgments;
        this.bisect = bisect;
        this.idempotentRepository = idempotentRepository;
        this.formatter = formatter;
    }

    /** Sends {@code batch} of {@code source} to the route. */
    void send(String source, List<Pending> batch) {
        List<Exchange> items = new ArrayList<>(batch.size());
        for (Pending change : batch) {
            Exchange item = consumer.createExchange(false);
            change.filler().accept(item);
            formatter.apply(item);
            items.add(item);
        }
        Exchange exchange = consumer.createExchange(false);
        exchange.getMessage().setBody(items);
        exchange.getMessage().setHeader(ChangeHeaders.BATCH_SIZE, items.size());
        if (acknowledgments) {
            exchange.getExchangeExtension().addOnCompletion(new Synchronization() {
                @Override
                public void onComplete(Exchange done) {
                    completed(batch, items, done);
                }

                @Override
                public void onFailure(Exchange failed) {
                    failed(source, batch, failed.getException());
                }
            });
        }
        try {
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            consumer.getExceptionHandler().handleException("Error processing a batch of " + batch.size()
                                                           + " changes of " + source, exchange,
                    exchange.getException());
        }
        if (!acknowledgments) {
            acknowledge(batch, batch.size());
        }
        consumer.releaseExchange(exchange, false);
    }

    private void completed(List<Pending> batch, List<Exchange> items, Exchange done) {
        int firstFailed;
        try {
            firstFailed = firstFailed(items, done);
        } catch (IllegalArgumentException e) {
            consumer.getExceptionHandler().handleException("The route reported the failed changes of a batch in a"
                                                           + " form not understood; every change of it is delivered"
                                                           + " again", done, e);
            batch.forEach(change -> change.ack().failed(e));
            return;
        }
        acknowledge(batch, firstFailed);
        for (int i = firstFailed; i < batch.size(); i++) {
            Exception cause = items.get(i).getException();
            batch.get(i).ack().failed(cause != null ? cause
                    : new IllegalStateException("the route reported change " + (i + 1) + " of the batch failed"
                                                + (i == firstFailed ? "" : " or one before it")));
        }
    }

    private void failed(String source, List<Pending> batch, Throwable cause) {
        if (!bisect || batch.size() < 2) {
            batch.forEach(change -> change.ack().failed(cause));
            return;
        }
        int half = batch.size() / 2;
        List<Pending> second = batch.subList(half, batch.size());
        List<Pending> first = new ArrayList<>(batch.subList(0, half));
        // the second half goes once the first half completed, so that no change overtakes an earlier one that failed
        AckTally tally = new AckTally(first.size(), () -> send(source, second), failure -> second
                .forEach(change -> change.ack().failed(failure)));
        List<Pending> tracked = new ArrayList<>(first.size());
        first.forEach(change -> tracked.add(new Pending(change.filler(), change.deliveredKey(), tally.wrap(change.ack()))));
        send(source, tracked);
    }

    /**
     * The index of the first failed item: the smallest of the reported indexes and items, and of the items whose
     * exchange has an exception; the batch's size when none failed.
     */
    static int firstFailed(List<Exchange> items, Exchange done) {
        Object reported = done.getMessage().getHeader(ChangeHeaders.BATCH_ITEM_FAILURES);
        if (reported == null) {
            reported = done.getProperty(ChangeHeaders.BATCH_ITEM_FAILURES);
        }
        int first = items.size();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).getException() != null) {
                first = i;
                break;
            }
        }
        if (reported == null) {
            return first;
        }
        // the item exchanges' positions, only when the route reported failures (usually it does not)
        Map<Exchange, Integer> positions = new IdentityHashMap<>(items.size() * 2);
        for (int i = 0; i < items.size(); i++) {
            positions.put(items.get(i), i);
        }
        if (reported instanceof Collection<?> failures) {
            for (Object failure : failures) {
                first = Math.min(first, position(failure, positions, items.size()));
            }
        } else {
            first = Math.min(first, position(reported, positions, items.size()));
        }
        return first;
    }

    private static int position(Object failure, Map<Exchange, Integer> positions, int size) {
        if (failure instanceof Number index && index.intValue() >= 0 && index.intValue() < size) {
            return index.intValue();
        }
        if (failure instanceof Exchange item && positions.containsKey(item)) {
            return positions.get(item);
        }
        throw new IllegalArgumentException(ChangeHeaders.BATCH_ITEM_FAILURES + " holds " + failure + ", neither an"
                                           + " index from 0 to " + (size - 1) + " nor an item exchange of the batch");
    }

    /**
     * Acknowledges the first {@code count} changes of {@code batch}: each goes to the idempotent repository, then all
     * are completed in order, jointly where they can be ({@link Acknowledgement#completeAll}). Should the repository
     * fail, the changes it took are still completed.
     */
    private void acknowledge(List<Pending> batch, int count) {
        List<Acknowledgement> acks = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Pending change = batch.get(i);
                if (change.deliveredKey() != null) {
                    idempotentRepository.add(change.deliveredKey());
                }
                acks.add(change.ack());
            }
        } finally {
            Acknowledgement.completeAll(acks);
        }
    }
}
