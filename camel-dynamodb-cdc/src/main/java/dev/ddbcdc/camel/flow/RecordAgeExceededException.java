package dev.ddbcdc.camel.flow;

/**
 * Stream records of one shard were older than {@code maxRecordAge} when they were read, and were skipped: not
 * delivered, but checkpointed. A loss the user chose, reported once per GetRecords call with the range it skipped
 * (every record of the shard from {@link #firstSequenceNumber()} to {@link #lastSequenceNumber()} that was not
 * delivered is among the {@link #count()} skipped; records between them that were young enough were delivered).
 */
public class RecordAgeExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String shardId;
    private final String firstSequenceNumber;
    private final String lastSequenceNumber;
    private final long count;

    public RecordAgeExceededException(String message, String shardId, String firstSequenceNumber,
                                      String lastSequenceNumber, long count) {
        super(message);
        this.shardId = shardId;
        this.firstSequenceNumber = firstSequenceNumber;
        this.lastSequenceNumber = lastSequenceNumber;
        this.count = count;
    }

    /** The shard the records were read from. */
    public String shardId() {
        return shardId;
    }

    /** The sequence number of the first record skipped. */
    public String firstSequenceNumber() {
        return firstSequenceNumber;
    }

    /** The sequence number of the last record skipped. */
    public String lastSequenceNumber() {
        return lastSequenceNumber;
    }

    /** How many records were skipped. */
    public long count() {
        return count;
    }
}
