package dev.ddbcdc.camel.scan;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.ScanPosition;
import dev.ddbcdc.camel.event.AttributeValues;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.flow.AckWaits;
import dev.ddbcdc.camel.flow.AckWindow;
import dev.ddbcdc.camel.flow.Backoff;
import dev.ddbcdc.camel.flow.TicketAcknowledgement;
import dev.ddbcdc.camel.port.AwsErrors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Scans one segment, page by page, from its checkpoint to its end, and hands each item to the route as a READ event
 * of the segment's source (so a batch holds items of one segment, in order). Each Scan call waits for its turn in the
 * read budget; throttling and other retryable errors are retried with backoff.
 * <p>
 * Items are acknowledged in order ({@link AckWindow}); the position is the key of the last item below which every
 * item was acknowledged, which is what DynamoDB's LastEvaluatedKey would be had a page ended there, and it is
 * checkpointed (at most every {@value #CHECKPOINT_EVERY_ITEMS} items or {@value #CHECKPOINT_EVERY_MILLIS} ms while
 * running, and always when the consumer stops), then the segment's end sentinel once every item was acknowledged.
 * A failed exchange or an acknowledgement timeout makes the segment be scanned again after the last acknowledged
 * item, once the exchanges in flight have completed: nothing is skipped, and only what was in flight is delivered
 * again.
 */
final class SegmentScanner {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentScanner.class);
    static final int CHECKPOINT_EVERY_ITEMS = 1000;
    static final long CHECKPOINT_EVERY_MILLIS = 1000;
    private static final int MAX_IN_FLIGHT = 1000;

    private final TableScan scan;
    private final int segment;
    /** Boxed once: every item's segment header. */
    private final Integer segmentHeader;
    private final String source;
    private final String where;
    private final BooleanSupplier goOn;
    private volatile AckWindow<ScanPosition> acks;
    private AckWaits waits;

    SegmentScanner(TableScan scan, int segment, BooleanSupplier goOn) {
        this.scan = scan;
        this.segment = segment;
        this.segmentHeader = segment;
        this.source = "scan-segment/" + segment;
        this.where = "Segment " + segment + " of " + scan.state.segments() + " of the scan of table " + scan.tableName;
        this.goOn = goOn;
    }

    /** Scans the segment; true when every item is acknowledged (or was before), false when the consumer stopped first. */
    boolean scan() {
        ScanPosition start = scan.store.segmentPosition(scan.state, segment);
        if (start != null && start.isEnd()) {
            return true;
        }
        acks = new AckWindow<>(start, scan.run.clock(), MAX_IN_FLIGHT, scan.options.acknowledgmentTimeout(),
                new AckWindow.Cadence(CHECKPOINT_EVERY_ITEMS, CHECKPOINT_EVERY_MILLIS),
                new AckWindow.Checkpoints<>() {
                    @Override
                    public void save(ScanPosition position) {
                        scan.store.saveSegment(scan.state, segment, position);
                    }

                    @Override
                    public void end() {
                        scan.store.saveSegment(scan.state, segment, ScanPosition.end());
                    }
                }, goOn);
        waits = new AckWaits(acks, goOn, scan.run.clock(), scan.run::pause, scan.options.acknowledgmentTimeout());
        if (start != null) {
            LOG.info("{}: resuming after key {}", where, start.keyText());
        }
        Backoff backoff = new Backoff(200, 30_000);
        ScanPosition resumeAfter = start;
        while (goOn.getAsBoolean()) {
            if (readFrom(resumeAfter) && acknowledgedAtEnd() && acks.endIfDrained()) {
                return true;
            }
            waits.awaitDrained();
            if (!goOn.getAsBoolean()) {
                break;
            }
            resumeAfter = acks.rewind();
            scan.metrics.rewinds.incrementAndGet();
            LOG.info("{}: scanning again after {} (after a failed or unacknowledged exchange)", where,
                    resumeAfter == null ? "its start" : "key " + resumeAfter.keyText());
            scan.run.pause(backoff.nextDelayMillis());
        }
        flush();
        return false;
    }

    /** Scans after {@code resumeAfter} ({@code null}: from the start); true when the end was reached, all handed over. */
    private boolean readFrom(ScanPosition resumeAfter) {
        Map<String, AttributeValue> startKey = resumeAfter == null ? null : resumeAfter.exclusiveStartKey();
        do {
            ScanResponse page = page(startKey);
            if (page == null) {
                return false;
            }
            int room = 0; // items that may still be dispatched before the in-flight cap is asked again
            for (Map<String, AttributeValue> item : page.items()) {
                if (!goOn.getAsBoolean() || acks.failed() != null) {
                    return false;
                }
                if (room <= 0) {
                    room = waits.awaitRoom();
                    if (room <= 0) {
                        return false;
                    }
                }
                room--;
                dispatch(item);
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                    : null;
        } while (startKey != null);
        scan.delivery.endOf(source);
        return true;
    }

    /** One Scan call in its turn of the budget, retried while throttled; {@code null} when the consumer stopped. */
    private ScanResponse page(Map<String, AttributeValue> startKey) {
        ScanRequest.Builder request = ScanRequest.builder().tableName(scan.tableName).segment(segment)
                .totalSegments(scan.state.segments()).consistentRead(scan.options.consistentRead())
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).exclusiveStartKey(startKey);
        if (scan.options.pageSize() > 0) {
            request.limit(scan.options.pageSize());
        }
        ScanRequest call = request.build();
        Backoff backoff = new Backoff(500, 30_000);
        while (goOn.getAsBoolean()) {
            double reserved = scan.limiter.acquire();
            if (!goOn.getAsBoolean()) {
                scan.limiter.settle(reserved, 0);
                return null;
            }
            try {
                ScanResponse response = scan.port.scan(call);
                double units = ReadCost.of(response, scan.options.consistentRead());
                scan.limiter.settle(reserved, scan.budget.items() ? response.items().size() : units);
                scan.metrics.scanPages.incrementAndGet();
                scan.metrics.readUnits.add(units);
                return response;
            } catch (SdkException e) {
                scan.limiter.settle(reserved, 0);
                if (!AwsErrors.isRetryable(e)) {
                    throw new SnapshotException(where + ": Scan failed: " + e.getMessage()
                                                + " (a Scan snapshot needs dynamodb:Scan and dynamodb:DescribeTable"
                                                + " on the table)",
                            e);
                }
                scan.metrics.readErrors.incrementAndGet();
                scan.metrics.error(where + ": " + e.getMessage());
                long delay = backoff.nextDelayMillis();
                LOG.warn("{}: Scan failed ({}); retrying in {} ms", where, e.getMessage(), delay);
                scan.run.pause(delay);
            }
        }
        return null;
    }

    private void dispatch(Map<String, AttributeValue> item) {
        AckWindow<ScanPosition>.Ticket ticket = acks.register(
                ScanPosition.after(scan.keySchema.keyAttributesOf(item)));
        scan.metrics.itemsDispatched.increment();
        ScanItem exchange = new ScanItem(item, ticket);
        scan.delivery.deliver(source, exchange, exchange,
                () -> "item " + ticket.position().keyText() + " of " + where, exchange);
    }

    /**
     * One item on its way: fills its exchange (the item turned into plain Java values only now: an item the
     * idempotent repository holds is never converted), names its id in the idempotent repository, and hears how it
     * ended.
     */
    private final class ScanItem extends TicketAcknowledgement<ScanPosition>
            implements Consumer<Exchange>, Supplier<String> {

        private final Map<String, AttributeValue> item;

        ScanItem(Map<String, AttributeValue> item, AckWindow<ScanPosition>.Ticket ticket) {
            super(ticket, scan.metrics.itemsAcknowledged, scan.metrics.failedExchanges);
            this.item = item;
        }

        @Override
        public void accept(Exchange exchange) {
            scan.mapper.fillScanItem(exchange, AttributeValues.toJava(item), segmentHeader);
        }

        @Override
        public String get() {
            return CheckpointKeys.deliveredScanItem(scan.state.time().toEpochMilli(), position());
        }
    }

    /** After the last page: true once every item is acknowledged; false on a failure, a timeout or a stop. */
    private boolean acknowledgedAtEnd() {
        AckWaits.End end = waits.awaitAcknowledgments();
        if (end == AckWaits.End.TIMED_OUT) {
            LOG.warn("{}: {} items were not acknowledged within scanAcknowledgmentTimeout ({} ms)", where,
                    acks.inFlight(), scan.options.acknowledgmentTimeout());
        }
        return end == AckWaits.End.ACKNOWLEDGED;
    }

    /** Writes the key of the last acknowledged item if it was not written yet. */
    void flush() {
        AckWindow<ScanPosition> window = acks;
        if (window != null) {
            window.flush();
        }
    }
}
