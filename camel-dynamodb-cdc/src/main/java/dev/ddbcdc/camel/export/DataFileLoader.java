package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.event.DataLineMapper;
import dev.ddbcdc.camel.flow.AckWaits;
import dev.ddbcdc.camel.flow.AckWindow;
import dev.ddbcdc.camel.flow.Backoff;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.TicketAcknowledgement;
import dev.ddbcdc.camel.port.ObjectStore;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Loads one export data file: streams it (gzip, one item per line, never the whole file in memory) through one
 * parser for the whole file ({@link ItemReader}, which gives each item its exact line) and hands each item to the
 * route. When resuming, the lines already acknowledged are skipped by their line ends, unparsed. The object is read once: S3 refuses it up front if its ETag is not the one the
 * manifest gives (a replaced file), and its MD5 is computed in the same pass and checked against the manifest at the
 * end of the object, before the file can be marked done (with the gzip CRC and the line count, this catches
 * corruption in transit; items of such a file may already have been delivered, but the snapshot stops).
 * <p>
 * Lines are acknowledged in order ({@link AckWindow}); the highest contiguous acknowledged line is checkpointed
 * (at most every {@value #CHECKPOINT_EVERY_LINES} lines or {@value #CHECKPOINT_EVERY_MILLIS} ms while running, and
 * always when the consumer stops), and the file's end sentinel once every line was acknowledged and the line count
 * matched the manifest. A failed exchange, a read error or an acknowledgment timeout make the file be read again
 * from its last acknowledged line once the exchanges in flight have completed. A corrupt line, a wrong checksum or
 * a missing file stop the load with a {@link SnapshotException} naming the file and line.
 */
final class DataFileLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DataFileLoader.class);
    static final int CHECKPOINT_EVERY_LINES = 1000;
    static final long CHECKPOINT_EVERY_MILLIS = 1000;
    private static final int MAX_IN_FLIGHT = 1000;
    private static final int BUFFER = 64 * 1024;

    private final ObjectStore s3;
    private final String bucket;
    private final DataFile file;
    private final ItemParser parser;
    private final DataLineMapper mapper;
    private final Delivery delivery;
    private final SnapshotCheckpointStore store;
    private final SnapshotMetrics metrics;
    private final BooleanSupplier running;
    private final long acknowledgmentTimeoutMillis;
    private final String where;

    private final Clock clock;
    private volatile AckWindow<Long> acks;
    private AckWaits waits;

    DataFileLoader(ObjectStore s3, String bucket, DataFile file, ItemParser parser, DataLineMapper mapper,
                   Delivery delivery, SnapshotCheckpointStore store, SnapshotMetrics metrics, BooleanSupplier running,
                   long acknowledgmentTimeoutMillis, String exportArn, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.file = file;
        this.parser = parser;
        this.mapper = mapper;
        this.delivery = delivery;
        this.store = store;
        this.metrics = metrics;
        this.running = running;
        this.acknowledgmentTimeoutMillis = acknowledgmentTimeoutMillis;
        this.where = "Data file s3://" + bucket + "/" + file.key() + " of export " + exportArn;
        this.clock = clock;
    }

    /** Loads the file; true when every line is acknowledged (or was before), false when the consumer stopped first. */
    boolean load() {
        if (store.isFileDone(file.key())) {
            metrics.itemsAlreadyDone.addAndGet(file.itemCount());
            return true;
        }
        try {
            return loadFromCheckpoint();
        } catch (SnapshotException e) {
            flush();
            throw e;
        }
    }

    private boolean loadFromCheckpoint() {
        long resumeAfter = store.acknowledgedLine(file.key());
        metrics.itemsAlreadyDone.addAndGet(Math.min(resumeAfter, file.itemCount()));
        acks = new AckWindow<>(resumeAfter == 0 ? null : resumeAfter, clock, MAX_IN_FLIGHT,
                acknowledgmentTimeoutMillis, new AckWindow.Cadence(CHECKPOINT_EVERY_LINES, CHECKPOINT_EVERY_MILLIS),
                new AckWindow.Checkpoints<>() {
                    @Override
                    public void save(Long line) {
                        store.saveLine(file.key(), line);
                    }

                    @Override
                    public void end() {
                        store.markFileDone(file.key());
                    }
                }, running);
        waits = new AckWaits(acks, running, clock, DataFileLoader::pause, acknowledgmentTimeoutMillis);
        Backoff backoff = new Backoff(200, 30_000);
        while (running.getAsBoolean()) {
            boolean endReached = false;
            try {
                endReached = readFrom(resumeAfter);
            } catch (IOException | SdkException e) {
                metrics.readErrors.incrementAndGet();
                metrics.error(where + ": " + e.getMessage());
                LOG.warn("{}: read failed after the line it had reached ({}); reading again from line {}", where,
                        e.getMessage(), acknowledgedLine(resumeAfter) + 1);
            }
            if (endReached && acknowledgedAtEnd() && acks.endIfDrained()) {
                return true;
            }
            waits.awaitDrained();
            if (!running.getAsBoolean()) {
                break;
            }
            long acknowledged = rewind();
            metrics.rewinds.incrementAndGet();
            LOG.info("{}: reading again from line {} (after a failed or unacknowledged exchange, or a read error)",
                    where, acknowledged + 1);
            resumeAfter = acknowledged;
            pause(backoff.nextDelayMillis());
        }
        flush();
        return false;
    }

    /** Reads lines after {@code resumeAfter}; true when the end was reached with every line handed over. */
    private boolean readFrom(long resumeAfter) throws IOException {
        long line = 0;
        FileChecksum checksum = new FileChecksum(file.md5Base64(), where);
        try (PushbackInputStream object = new PushbackInputStream(checksum.wrap(open()), 1)) {
            int first = object.read();
            if (first >= 0) {
                object.unread(first);
                line = readLines(object, resumeAfter, checksum);
                if (line < 0) {
                    return false;
                }
            } else { // an empty object: an empty partition, no lines
                checksum.verifyAtEnd(object);
            }
        } catch (ZipException e) {
            throw new SnapshotException(where + " is not a readable gzip file: " + e.getMessage(), e);
        }
        if (line != file.itemCount()) {
            throw new SnapshotException(where + " has " + line + " lines, but manifest-files.json says it holds "
                                        + file.itemCount() + " items");
        }
        return true;
    }

    /**
     * Dispatches the items of the lines after {@code resumeAfter} (the lines before are skipped unread, by their line
     * ends); returns the number of lines, or -1 when it stopped early.
     */
    private long readLines(InputStream object, long resumeAfter, FileChecksum checksum) throws IOException {
        try (GZIPInputStream gunzip = new GZIPInputStream(object, BUFFER)) {
            long skipped = 0;
            InputStream rest = gunzip;
            if (resumeAfter > 0) {
                ByteLines lines = new ByteLines(gunzip, BUFFER);
                skipped = skip(lines, resumeAfter);
                rest = lines.rest();
            }
            try (ItemReader items = parser.reader(rest, skipped)) {
                long line = skipped;
                int room = 0; // records that may still be dispatched before the in-flight cap is asked again
                while (nextItem(items)) {
                    line = items.line();
                    if (!running.getAsBoolean() || acks.failed() != null) {
                        return -1;
                    }
                    if (room <= 0) {
                        room = waits.awaitRoom();
                    }
                    room--;
                    dispatch(items.item(), line);
                }
                delivery.endOf(file.key());
                checksum.verifyAtEnd(object);
                return line;
            }
        }
    }

    private long skip(ByteLines lines, long count) throws IOException {
        try {
            return lines.skip(count);
        } catch (ZipException e) {
            throw new SnapshotException(where + " is not a readable gzip file: " + e.getMessage(), e);
        }
    }

    private boolean nextItem(ItemReader items) throws IOException {
        try {
            return items.next();
        } catch (ZipException e) {
            throw new SnapshotException(where + " is not a readable gzip file after line " + items.linesRead() + ": "
                                        + e.getMessage(), e);
        } catch (ItemReader.BadLineException e) {
            throw new SnapshotException(where + " line " + e.line() + " is not a valid item: " + e.getMessage(), e);
        }
    }

    private void dispatch(Map<String, Object> item, long line) {
        // boxed once: the window's position and the item's line header
        AckWindow<Long>.Ticket ticket = acks.register(Long.valueOf(line));
        metrics.itemsDispatched.increment();
        ItemExchange exchange = new ItemExchange(item, ticket);
        delivery.deliver(file.key(), exchange, exchange, () -> "item at line " + line + " of " + where, exchange);
    }

    /**
     * One item on its way: fills its exchange, names its id in the idempotent repository, and hears how it ended (one
     * object for all three).
     */
    private final class ItemExchange extends TicketAcknowledgement<Long> implements Consumer<Exchange>, Supplier<String> {

        private final Map<String, Object> item;

        ItemExchange(Map<String, Object> item, AckWindow<Long>.Ticket ticket) {
            super(ticket, metrics.itemsAcknowledged, metrics.failedExchanges);
            this.item = item;
        }

        @Override
        public void accept(Exchange exchange) {
            mapper.fill(exchange, item, file.key(), position());
        }

        /** The item's id in the idempotent repository. */
        @Override
        public String get() {
            return CheckpointKeys.deliveredItem(file.key(), position());
        }
    }

    /** Writes the highest contiguous acknowledged line if it was not written yet. */
    void flush() {
        AckWindow<Long> window = acks;
        if (window != null) {
            window.flush();
        }
    }

    private long acknowledgedLine(long otherwise) {
        Long acknowledged = acks.acknowledged();
        return acknowledged == null ? otherwise : acknowledged;
    }

    /** Forgets the lines in flight and returns the last acknowledged line (0: none), to read again after it. */
    private long rewind() {
        Long acknowledged = acks.rewind();
        return acknowledged == null ? 0 : acknowledged;
    }

    /**
     * Opens the object; when the manifest gives its ETag, only if the object still has it (S3 checks it before
     * sending a byte), so a file that is not the one the export wrote is refused before any of its items is delivered.
     */
    private InputStream open() {
        String etag = file.etag();
        try {
            return s3.open(bucket, file.key(), etag);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw new SnapshotException(where + " is missing: manifest-files.json lists it, but the bucket has no such"
                                        + " object",
                    e);
        } catch (ObjectStore.ObjectChangedException e) {
            throw new SnapshotException(where + " no longer has the ETag " + etag + " manifest-files.json gives:"
                                        + " the object was replaced, it is not the file the export wrote",
                    e);
        }
    }

    /** After the last line: true once every line is acknowledged; false on a failure, a timeout or a stop. */
    private boolean acknowledgedAtEnd() {
        AckWaits.End end = waits.awaitAcknowledgments();
        if (end == AckWaits.End.TIMED_OUT) {
            LOG.warn("{}: {} items were not acknowledged within s3DataFileAcknowledgmentTimeout ({} ms)", where,
                    acks.inFlight(), acknowledgmentTimeoutMillis);
        }
        return end == AckWaits.End.ACKNOWLEDGED;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    DataFile file() {
        return file;
    }
}
