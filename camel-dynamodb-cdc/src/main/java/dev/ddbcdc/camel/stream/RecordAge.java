package dev.ddbcdc.camel.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.flow.AckWindow;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RecordAgeExceededException;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The {@code maxRecordAge} rule of one shard reader: a stream record whose approximate creation time is more than
 * the maximum age before the engine's clock when it is read is skipped instead of delivered. Skipping is a loss the
 * user chose, so it is never silent, and it is reported per GetRecords call rather than per record, so that a backlog
 * of a million old records gives a thousand reports, not a million: {@link #endOfBatch()} counts the batch's skips,
 * logs one WARN naming the table, shard, sequence number range, creation times and age, and hands one
 * {@link RecordAgeExceededException} to the exception handler. Only then are the skipped records acknowledged, so the
 * checkpoint passes them only once they were reported (a crash in between reads and reports them again).
 * <p>
 * Not thread-safe: used by its shard reader's steps, one at a time.
 */
final class RecordAge {

    private final long maxAgeMillis;
    private final Clock clock;
    private final LossPolicy losses;
    private final StreamMetrics metrics;
    private final String tableName;
    private final String shardId;
    /** The tickets of the records skipped in the current batch, acknowledged once the batch is reported. */
    private final List<AckWindow<?>.Ticket> held = new ArrayList<>();
    private String firstSkipped;
    private String lastSkipped;
    private Instant oldest;
    private Instant newest;
    private long oldestAgeMillis;

    /** @param maxAgeMillis the maximum age, or {@code 0}: no record is too old */
    RecordAge(long maxAgeMillis, Clock clock, LossPolicy losses, StreamMetrics metrics, String tableName,
              String shardId) {
        this.maxAgeMillis = maxAgeMillis;
        this.clock = clock;
        this.losses = losses;
        this.metrics = metrics;
        this.tableName = tableName;
        this.shardId = shardId;
    }

    /**
     * Whether the record is too old to deliver. If so, it is skipped: its ticket is held and acknowledged by the
     * {@link #endOfBatch()} that reports it.
     */
    boolean skip(Record record, AckWindow<?>.Ticket ticket) {
        if (maxAgeMillis <= 0) {
            return false;
        }
        Instant created = record.dynamodb().approximateCreationDateTime();
        long age = clock.millis() - created.toEpochMilli();
        if (age <= maxAgeMillis) {
            return false;
        }
        String sequenceNumber = record.dynamodb().sequenceNumber();
        if (held.isEmpty()) {
            firstSkipped = sequenceNumber;
            oldest = created;
            newest = created;
            oldestAgeMillis = age;
        }
        lastSkipped = sequenceNumber;
        if (created.isBefore(oldest)) {
            oldest = created;
        }
        if (created.isAfter(newest)) {
            newest = created;
        }
        oldestAgeMillis = Math.max(oldestAgeMillis, age);
        held.add(ticket);
        return true;
    }

    /**
     * Reports the records skipped since the last call, if any (count, one WARN, the exception handler), then
     * acknowledges them. Called after each GetRecords batch, however its dispatch ended.
     */
    void endOfBatch() {
        if (held.isEmpty()) {
            return;
        }
        int count = held.size();
        String range = count == 1 ? "sequence number " + firstSkipped
                : "sequence numbers " + firstSkipped + " to " + lastSkipped;
        String created = oldest.equals(newest) ? "created " + oldest : "created " + oldest + " to " + newest;
        String message = "Table " + tableName + " shard " + shardId + ": skipped " + count
                         + (count == 1 ? " stream record" : " stream records") + " older than maxRecordAge ("
                         + Duration.ofMillis(maxAgeMillis) + ") when read: " + range + ", " + created + " (age up to "
                         + Duration.ofMillis(oldestAgeMillis).truncatedTo(ChronoUnit.SECONDS) + "). They are not delivered; the checkpoint moves past"
                         + " them";
        metrics.recordsTooOld.addAndGet(count);
        List<AckWindow<?>.Ticket> tickets = List.copyOf(held);
        RecordAgeExceededException skip = new RecordAgeExceededException(message, shardId, firstSkipped, lastSkipped,
                count);
        held.clear();
        try {
            losses.skipped(message, skip);
        } finally {
            tickets.forEach(AckWindow.Ticket::complete);
        }
    }
}
