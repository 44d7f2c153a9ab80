package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.spi.StateRepository;

/**
 * The snapshot's state, the progress of each export data file and of each Scan segment, over a Camel
 * {@link StateRepository}. A data file's value is {@code line:<n>} (lines 1 to n were acknowledged) or {@code END}
 * (every line was); a segment's is a {@link ScanPosition}.
 */
public final class SnapshotCheckpointStore {

    private static final String END = "END";
    private static final String LINE_PREFIX = "line:";

    private final StateRepository<String, String> repository;
    private final CheckpointKeys keys;

    public SnapshotCheckpointStore(StateRepository<String, String> repository, CheckpointKeys keys) {
        this.repository = repository;
        this.keys = keys;
    }

    /** The stored snapshot state, or {@code null} when no snapshot was started. */
    public SnapshotState load() {
        String value = CheckpointValues.read(keys.snapshot(), repository.getState(keys.snapshot()));
        if (value == null) {
            return null;
        }
        try {
            return SnapshotState.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Checkpoint key " + keys.snapshot() + " holds an unreadable value '" + value
                                            + "'; remove it (and the keys below it) to take a new snapshot",
                    e);
        }
    }

    public void save(SnapshotState state) {
        repository.setState(keys.snapshot(), CheckpointValues.write(state.serialize()));
    }

    public String key() {
        return keys.snapshot();
    }

    public boolean isFileDone(String dataFileS3Key) {
        String key = keys.dataFile(dataFileS3Key);
        return END.equals(CheckpointValues.read(key, repository.getState(key)));
    }

    /** The last acknowledged line of a data file (1-based), or 0 when none was. */
    public long acknowledgedLine(String dataFileS3Key) {
        String key = keys.dataFile(dataFileS3Key);
        String value = CheckpointValues.read(key, repository.getState(key));
        if (value == null) {
            return 0;
        }
        if (value.startsWith(LINE_PREFIX)) {
            try {
                return Long.parseLong(value.substring(LINE_PREFIX.length()));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalStateException("Checkpoint key " + key + " holds an unreadable value '" + value
                                        + "'; remove it to read the data file from its first line");
    }

    public void saveLine(String dataFileS3Key, long line) {
        repository.setState(keys.dataFile(dataFileS3Key), CheckpointValues.write(LINE_PREFIX + line));
    }

    public void markFileDone(String dataFileS3Key) {
        repository.setState(keys.dataFile(dataFileS3Key), CheckpointValues.write(END));
    }

    public String fileKey(String dataFileS3Key) {
        return keys.dataFile(dataFileS3Key);
    }

    /** Where segment {@code segment} of the scan of {@code state} resumes: {@code null} from its start. */
    public ScanPosition segmentPosition(SnapshotState state, int segment) {
        String key = keys.scanSegment(state.time().toEpochMilli(), segment, state.segments());
        String value = CheckpointValues.read(key, repository.getState(key));
        try {
            return ScanPosition.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Checkpoint key " + key + " holds an unreadable value '" + value
                                            + "'; remove it to scan the segment from its start",
                    e);
        }
    }

    public void saveSegment(SnapshotState state, int segment, ScanPosition position) {
        repository.setState(keys.scanSegment(state.time().toEpochMilli(), segment, state.segments()),
                CheckpointValues.write(position.serialize()));
    }

    public String segmentKey(SnapshotState state, int segment) {
        return keys.scanSegment(state.time().toEpochMilli(), segment, state.segments());
    }
}
