package dev.ddbcdc.camel;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.event.OutputFormatter;
import dev.ddbcdc.camel.event.StreamRecordMapper;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.Batches;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.StreamMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The Camel side of delivery: one exchange per change, or with {@code batchSize > 1} one exchange per batch of
 * changes of one shard or data file ({@link BatchDelivery}), through the idempotent repository when one is
 * configured, formatted as {@code outputFormat} says, and acknowledged when its exchange completed
 * ({@code acknowledgments=true}) or as soon as the route returned ({@code acknowledgments=false}). A change already in
 * the idempotent repository is acknowledged without an exchange, and counted apart for the stream and the snapshot.
 */
final class ExchangeDelivery implements Delivery, RecordDispatcher {

    /** How changes are batched: at most {@code size} per exchange, sent after {@code windowMillis} at the latest. */
    record Batching(int size, long windowMillis, boolean bisect, ScheduledExecutorService timers,
                    BooleanSupplier running) {
    }

    private final DefaultConsumer consumer;
    private final boolean acknowledgments;
    private final IdempotentRepository idempotentRepository;
    private final StreamMetrics metrics;
    private final SnapshotMetrics snapshotMetrics;
    private final StreamRecordMapper mapper;
    private final OutputFormatter formatter;
    /** With batches: the changes collected per source, and how a batch is sent; else null. */
    private final Batches<BatchDelivery.Pending> batches;

    /** @param batching how changes are batched, or null for one exchange per change */
    ExchangeDelivery(DefaultConsumer consumer, boolean acknowledgments, IdempotentRepository idempotentRepository,
                     StreamMetrics metrics, SnapshotMetrics snapshotMetrics, StreamRecordMapper mapper,
                     OutputFormatter formatter, Batching batching) {
        this.consumer = consumer;
        this.acknowledgments = acknowledgments;
        this.idempotentRepository = idempotentRepository;
        this.metrics = metrics;
        this.snapshotMetrics = snapshotMetrics;
        this.mapper = mapper;
        this.formatter = formatter;
        if (batching == null) {
            this.batches = null;
        } else {
            BatchDelivery sender = new BatchDelivery(consumer, acknowledgments, batching.bisect(), idempotentRepository,
                    formatter);
            this.batches = new Batches<>(batching.size(), batching.windowMillis(), batching.timers(),
                    batching.running(), sender::send);
        }
    }

    @Override
    public void dispatch(String shardId, Record record, Acknowledgement acknowledgement) {
        dispatch(shardId, shardId, record, acknowledgement);
    }

    /** A stream record, batched with the other records of its shard, or of its lane of the shard. */
    @Override
    public void dispatch(String shardId, String lane, Record record, Acknowledgement acknowledgement) {
        send(lane, exchange -> mapper.fill(exchange, shardId, record),
                () -> CheckpointKeys.deliveredRecord(record.eventID()),
                () -> "change " + record.eventID() + " of shard " + shardId, acknowledgement, metrics.recordsDelivered,
                metrics.recordsAlreadyDelivered);
    }

    @Override
    public void endOfShard(String shardId) {
        endOfShard(shardId, shardId);
    }

    @Override
    public void endOfShard(String shardId, String lane) {
        if (batches != null) {
            batches.flush(lane);
        }
    }

    @Override
    public void endOf(String source) {
        if (batches != null) {
            batches.flush(source);
        }
    }

    /** A snapshot item, batched with the other items of its data file. */
    @Override
    public void deliver(String dataFile, Consumer<Exchange> filler, Supplier<String> deliveredKeys,
                        Supplier<String> description, Acknowledgement acknowledgement) {
        send(dataFile, filler, deliveredKeys, description, acknowledgement, snapshotMetrics.itemsDelivered,
                snapshotMetrics.itemsAlreadyDelivered);
    }

    /** A snapshot item whose data file is not named: one exchange, never batched. */
    @Override
    public void deliver(Consumer<Exchange> filler, Supplier<String> deliveredKeys, Supplier<String> description,
                        Acknowledgement acknowledgement) {
        send(null, filler, deliveredKeys, description, acknowledgement, snapshotMetrics.itemsDelivered,
                snapshotMetrics.itemsAlreadyDelivered);
    }

    private void send(String source, Consumer<Exchange> filler, Supplier<String> deliveredKeys,
                      Supplier<String> description, Acknowledgement acknowledgement, LongAdder delivered,
                      AtomicLong alreadyDelivered) {
        String deliveredKey = idempotentRepository == null ? null : deliveredKeys.get();
        if (deliveredKey != null && idempotentRepository.contains(deliveredKey)) {
            alreadyDelivered.incrementAndGet();
            acknowledgement.completed();
            return;
        }
        delivered.increment();
        if (batches != null && source != null) {
            batches.add(source, new BatchDelivery.Pending(filler, deliveredKey, acknowledgement));
            return;
        }
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
