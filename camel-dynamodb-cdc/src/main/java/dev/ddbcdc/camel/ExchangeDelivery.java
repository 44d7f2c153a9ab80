package dev.ddbcdc.camel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.StreamMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The Camel side of delivery: one exchange per change, through the idempotent repository when one is configured,
 * formatted as {@code outputFormat} says, and acknowledged when its exchange completed ({@code acknowledgments=true})
 * or as soon as the route returned ({@code acknowledgments=false}). A change already in the idempotent repository is
 * acknowledged without an exchange, and counted apart for the stream and the snapshot.
 */
final class ExchangeDelivery implements Delivery, RecordDispatcher {

    private final DefaultConsumer consumer;
    private final boolean acknowledgments;
    private final IdempotentRepository idempotentRepository;
    private final StreamMetrics metrics;
    private final SnapshotMetrics snapshotMetrics;
    private final StreamRecordMapper mapper;
    private final OutputFormatter formatter;

    ExchangeDelivery(DefaultConsumer consumer, boolean acknowledgments, IdempotentRepository idempotentRepository,
                     StreamMetrics metrics, SnapshotMetrics snapshotMetrics, StreamRecordMapper mapper,
                     OutputFormatter formatter) {
        this.consumer = consumer;
        this.acknowledgments = acknowledgments;
        this.idempotentRepository = idempotentRepository;
        this.metrics = metrics;
        this.snapshotMetrics = snapshotMetrics;
        this.mapper = mapper;
        this.formatter = formatter;
    }

    @Override
    public void dispatch(String shardId, Record record, Acknowledgement acknowledgement) {
        send(exchange -> mapper.fill(exchange, shardId, record), () -> CheckpointKeys.deliveredRecord(record.eventID()),
                () -> "change " + record.eventID() + " of shard " + shardId, acknowledgement, metrics.recordsDelivered,
                metrics.recordsAlreadyDelivered);
    }

    /** A snapshot item. */
    @Override
    public void deliver(Consumer<Exchange> filler, Supplier<String> deliveredKeys, Supplier<String> description,
                        Acknowledgement acknowledgement) {
        send(filler, deliveredKeys, description, acknowledgement, snapshotMetrics.itemsDelivered,
                snapshotMetrics.itemsAlreadyDelivered);
    }

    private void send(Consumer<Exchange> filler, Supplier<String> deliveredKeys, Supplier<String> description,
                      Acknowledgement acknowledgement, AtomicLong delivered, AtomicLong alreadyDelivered) {
        String deliveredKey = idempotentRepository == null ? null : deliveredKeys.get();
        if (deliveredKey != null && idempotentRepository.contains(deliveredKey)) {
            alreadyDelivered.incrementAndGet();
            acknowledgement.completed();
            return;
        }
        delivered.incrementAndGet();
        Exchange exchange = consumer.createExchange(false);
        filler.accept(exchange);
        formatter.apply(exchange);
        if (acknowledgments) {
            exchange.getExchangeExtension().addOnCompletion(new Synchronization() {
                @Override
                public void onComplete(Exchange done) {
                    if (deliveredKey != null) {
                        idempotentRepository.add(deliveredKey);
                    }
                    acknowledgement.completed();
                }

                @Override
                public void onFailure(Exchange failed) {
                    acknowledgement.failed(failed.getException());
                }
            });
        }
        try {
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            consumer.getExceptionHandler().handleException("Error processing " + description.get(), exchange,
                    exchange.getException());
        }
        if (!acknowledgments) {
            if (deliveredKey != null) {
                idempotentRepository.add(deliveredKey);
            }
            acknowledgement.completed();
        }
        consumer.releaseExchange(exchange, false);
    }
}
