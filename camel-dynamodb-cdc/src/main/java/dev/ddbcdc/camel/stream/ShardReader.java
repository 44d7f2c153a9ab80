package dev.ddbcdc.camel.stream;

import java.time.Clock;
import java.util.List;

import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.flow.AckWindow;
import dev.ddbcdc.camel.flow.Acknowledgement;
import dev.ddbcdc.camel.flow.Backoff;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.StreamRetention;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.port.StreamProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Reads one shard: one step per run (one GetRecords call and the dispatch of its records), after which the
 * {@link Host} schedules the next step. Records are dispatched in shard order through the shard's
 * {@link AckWindow}, which checkpoints only up to the highest contiguous acknowledged record. A failed exchange stops
 * dispatching, and once the records in flight have completed the shard is rewound to its last checkpoint and read
 * again from there. After trimmed data with {@code trimmedDataPolicy=CONTINUE}, and at the shard's end, the reader
 * likewise waits for the records in flight before it goes on from the oldest record or writes the end sentinel.
 * Records older than {@code maxRecordAge} are skipped and reported by its {@link RecordAge}.
 */
final class ShardReader implements Runnable {

    /** What the reader needs from its coordinator. */
    interface Host {
        boolean isRunning();

        void schedule(ShardReader reader, long delayMillis);

        /** The shard was read to its end and every record acknowledged; its end sentinel is written. */
        void shardFinished(String shardId);

        /**
         * The shard lost data and the loss policy halts: its lineage (the shard and its children) stops here.
         *
         * @param start   where this reader started
         * @param readAny whether it had read any record since
         */
        void lineageHalted(String shardId, ShardPosition start, boolean readAny);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ShardReader.class);
    private static final long ACK_WAIT_MILLIS = 20;
    /** Records of one shard in flight at most (an asynchronous route may complete them long after dispatch). */
    static final int MAX_IN_FLIGHT = 10_000;

    private final Host host;
    private final LossPolicy losses;
    private final StreamProxy proxy;
    private final ShardCheckpointStore store;
    private final RecordDispatcher dispatcher;
    private final StreamMetrics metrics;
    private final StreamOptions options;
    private final String tableName;
    private final String streamArn;
    private final String shardId;
    private final Backoff backoff = new Backoff(100, 10_000);
    private final AckWindow<ShardPosition> window;
    private final RecordAge age;
    private final Clock clock;

    private final boolean closed;
    private ShardPosition start;
    private boolean startMustBeComplete;
    private boolean iteratorFetched;
    private String iterator;
    private String lastRead;
    private boolean endReached;
    /** Trimmed data under CONTINUE: go on from the oldest record once the records in flight have completed. */
    private boolean continueFromOldest;

    ShardReader(Host host, StreamProxy proxy, ShardCheckpointStore store, RecordDispatcher dispatcher,
                StreamMetrics metrics, StreamOptions options, String tableName, String streamArn,
                String shardId, ShardStart shardStart, Clock clock, LossPolicy losses) {
        this.host = host;
        this.losses = losses;
        this.proxy = proxy;
        this.store = store;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.options = options;
        this.tableName = tableName;
        this.streamArn = streamArn;
        this.shardId = shardId;
        this.closed = shardStart.closed();
        this.start = shardStart.position();
        this.startMustBeComplete = shardStart.mustBeComplete();
        this.iterator = shardStart.iterator();
        this.iteratorFetched = iterator != null;
        this.window = new AckWindow<>(start.isAfter() ? start : null, clock, MAX_IN_FLIGHT,
                options.shardAcknowledgmentTimeout(), AckWindow.Cadence.EVERY_ADVANCE,
                new AckWindow.Checkpoints<>() {
                    @Override
                    public void save(ShardPosition acknowledged) {
                        store.save(shardId, acknowledged); // with the record's creation time: a gap's start
                    }

                    @Override
                    public void end() {
                        store.save(shardId, ShardPosition.end());
                    }
                }, host::isRunning);
        this.lastRead = start.sequenceNumber();
        this.age = new RecordAge(options.maxRecordAge(), clock, losses, metrics, tableName, shardId);
        this.clock = clock;
    }

    String shardId() {
        return shardId;
    }

    @Override
    public void run() {
        if (!host.isRunning()) {
            return;
        }
        long delay;
        try {
            delay = step();
        } catch (RuntimeException e) {
            metrics.apiErrors.incrementAndGet();
            metrics.error("Shard " + shardId + ": " + e);
            LOG.warn("Unexpected error reading table {} shard {}; retrying", tableName, shardId, e);
            delay = backoff.nextDelayMillis();
        }
        if (delay >= 0 && host.isRunning()) {
            host.schedule(this, delay);
        }
    }

    /** One step; returns the delay before the next one, or -1 when this shard is done. */
    long step() {
        if (window.failed() != null || window.timedOut()) {
            if (window.failed() != null && !window.drained()) {
                return ACK_WAIT_MILLIS;
            }
            continueFromOldest = false;
            return rewind();
        }
        if (continueFromOldest) {
            if (!window.drained()) {
                return ACK_WAIT_MILLIS;
            }
            continueFromOldest = false;
            window.restart(null);
            start = ShardPosition.trimHorizon();
            startMustBeComplete = false;
            lastRead = null;
            iteratorFetched = false;
            iterator = null;
        }
        if (endReached) {
            if (!window.endIfDrained()) {
                return ACK_WAIT_MILLIS;
            }
            metrics.shardsFinished.incrementAndGet();
            LOG.debug("Table {} shard {} finished", tableName, shardId);
            host.shardFinished(shardId);
            return -1;
        }
        if (!window.hasRoom()) {
            return ACK_WAIT_MILLIS;
        }
        GetRecordsResponse response;
        try {
            if (iterator == null) {
                iterator = proxy.shardIterator(streamArn, shardId, iteratorPosition());
                iteratorFetched = true;
            }
            metrics.getRecordsCalls.incrementAndGet();
            response = proxy.getRecords(iterator, options.maxRecordsPerRequest());
        } catch (RuntimeException e) {
            return onError(e);
        }
        backoff.reset();
        List<Record> records = response.records();
        try {
            for (Record record : records) {
                if (window.failed() != null || !host.isRunning()) {
                    // stop here: the rest is read again from the last checkpoint
                    return 0;
                }
                dispatch(record);
            }
        } finally {
            age.endOfBatch(); // the batch's records older than maxRecordAge: reported, then acknowledged
        }
        iterator = response.nextShardIterator();
        if (!records.isEmpty()) {
            metrics.lag.read(shardId,
                    records.get(records.size() - 1).dynamodb().approximateCreationDateTime().toEpochMilli());
        } else if (iterator != null) {
            metrics.lag.caughtUp(shardId);
        }
        if (iterator == null) {
            endReached = true;
            dispatcher.endOfShard(shardId);
            return 0;
        }
        if (records.isEmpty()) {
            return options.idlePollDelay();
        }
        return records.size() >= options.maxRecordsPerRequest() ? 0 : options.pollDelay();
    }

    private void dispatch(Record record) {
        String sequenceNumber = record.dynamodb().sequenceNumber();
        long created = record.dynamodb().approximateCreationDateTime().toEpochMilli();
        AckWindow<ShardPosition>.Ticket ticket = window.register(ShardPosition.after(sequenceNumber, created));
        lastRead = sequenceNumber;
        if (!start.accepts(created)) {
            metrics.recordsBeforeStart.incrementAndGet();
            ticket.complete();
            return;
        }
        if (age.skip(record, ticket)) {
            return;
        }
        metrics.recordsDispatched.increment();
        dispatcher.dispatch(shardId, record, new Acknowledgement() {
            @Override
            public void completed() {
                metrics.recordsAcknowledged.increment();
                ticket.complete();
            }

            @Override
            public void failed(Throwable cause) {
                metrics.failedExchanges.incrementAndGet();
                ticket.fail();
            }
        });
    }

    private ShardPosition iteratorPosition() {
        if (lastRead != null) {
            return ShardPosition.after(lastRead);
        }
        return iteratorFetched ? start.resumable() : start;
    }

    private long rewind() {
        ShardPosition failedAt = window.failed();
        ShardPosition acknowledgedAt = window.acknowledged();
        String failed = failedAt == null ? null : failedAt.sequenceNumber();
        String acknowledged = acknowledgedAt == null ? null : acknowledgedAt.sequenceNumber();
        if (failed != null) {
            LOG.warn("Table {} shard {}: the exchange of record {} failed; reading the shard again after {}", tableName,
                    shardId, failed, acknowledged != null ? acknowledged : "its start");
        } else {
            LOG.warn("Table {} shard {}: an exchange was not completed within shardAcknowledgmentTimeout ({} ms);"
                     + " reading the shard again after {}",
                    tableName, shardId, options.shardAcknowledgmentTimeout(),
                    acknowledged != null ? acknowledged : "its start");
        }
        metrics.rewinds.incrementAndGet();
        ShardPosition rewound = window.rewind();
        lastRead = rewound == null ? null : rewound.sequenceNumber();
        iterator = null;
        endReached = false;
        return backoff.nextDelayMillis();
    }

    private long onError(RuntimeException e) {
        switch (StreamErrors.classify(e)) {
            case EXPIRED_ITERATOR:
                metrics.expiredIterators.incrementAndGet();
                LOG.debug("Table {} shard {}: iterator expired; continuing after {}", tableName, shardId, lastRead);
                iterator = null;
                return 0;
            case THROTTLED:
                metrics.throttledCalls.incrementAndGet();
                long delay = backoff.nextDelayMillis();
                LOG.debug("Table {} shard {}: throttled, retrying in {} ms", tableName, shardId, delay);
                return delay;
            case TRIMMED:
            case SHARD_GONE:
                return onTrimmed(e);
            default:
                metrics.apiErrors.incrementAndGet();
                metrics.error("Shard " + shardId + ": " + e.getMessage());
                long retry = backoff.nextDelayMillis();
                LOG.warn("Table {} shard {}: {} (retry {} in {} ms)", tableName, shardId, e.getMessage(),
                        backoff.attempts(), retry);
                return retry;
        }
    }

    private long onTrimmed(RuntimeException e) {
        boolean shardGone = StreamErrors.classify(e) == StreamErrors.SHARD_GONE;
        // a start from a time within the retention: what was trimmed was older than that time, so not promised
        boolean trimmedBeforeStart = !shardGone && start.isFromTime() && lastRead == null
                                     && !StreamRetention.mayBeTrimmed(start.deliversFromMillis(), clock.millis());
        if (lastRead == null && (!startMustBeComplete || trimmedBeforeStart)) {
            // nothing promised before the oldest record still there: no loss
            if (shardGone || closed) {
                LOG.info("Table {} shard {} has no readable records left", tableName, shardId);
                endReached = true;
                return 0;
            }
            iterator = null;
            iteratorFetched = false;
            return backoff.nextDelayMillis();
        }
        String position = lastRead != null ? "after sequence number " + lastRead : start.describe();
        String lost = "Table " + tableName + " shard " + shardId + ": the stream records " + position
                      + (shardGone ? " are gone with their shard" : " were trimmed")
                      + " before this consumer read them (older than the stream's 24 hour retention): those changes"
                      + " are lost (checkpoint key " + store.key(shardId) + ")";
        LossPolicy.Outcome outcome = losses.report(LossPolicy.Kind.TRIMMED_DATA, lost,
                "Reading of this shard and its children stops; set trimmedDataPolicy=CONTINUE to go on from the"
                + " oldest available record",
                "Continuing from the oldest available record once the records in flight are acknowledged", e);
        if (outcome.halted()) {
            host.lineageHalted(shardId, start, lastRead != null);
            return -1;
        }
        iterator = null;
        if (shardGone) {
            endReached = true; // once the records in flight are acknowledged
        } else {
            continueFromOldest = true;
        }
        return 0;
    }
}
