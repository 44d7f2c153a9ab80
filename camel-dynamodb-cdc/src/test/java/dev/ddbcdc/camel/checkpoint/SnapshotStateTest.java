package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static dev.ddbcdc.camel.checkpoint.SnapshotState.Stage.DONE;
import static dev.ddbcdc.camel.checkpoint.SnapshotState.Stage.EXPORTING;
import static dev.ddbcdc.camel.checkpoint.SnapshotState.Stage.LOADING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotStateTest {

    static final String TABLE = "arn:aws:dynamodb:us-east-1:1:table/t";
    static final String EXPORT = TABLE + "/export/01700000000000-abcdef01";

    @Test
    void roundTripsThroughTheCheckpoint() {
        MemoryStateRepository repository = new MemoryStateRepository();
        SnapshotCheckpointStore store = new SnapshotCheckpointStore(repository,
                new CheckpointKeys("c", TABLE + "/stream/2026-01-01T00:00:00.000"));
        assertNull(store.load());
        SnapshotState exporting = new SnapshotState(EXPORTING, 1, 1_700_000_000_123L, EXPORT);
        store.save(exporting);
        assertEquals(exporting, store.load());
        assertEquals("v1 EXPORTING 1 1700000000123 " + EXPORT,
                repository.getState("dynamodb-cdc/c/" + TABLE + "/snapshot"));
        assertEquals(DONE, exporting.moveTo(LOADING).moveTo(DONE).stage());
    }

    @Test
    void stagesOnlyMoveForward() {
        SnapshotState loading = new SnapshotState(LOADING, 1, 0, EXPORT);
        assertThrows(IllegalStateException.class, () -> loading.moveTo(EXPORTING));
        assertThrows(IllegalStateException.class, () -> new SnapshotState(EXPORTING, 1, 0, EXPORT).moveTo(DONE));
    }

    @Test
    void dataFileProgress() {
        MemoryStateRepository repository = new MemoryStateRepository();
        SnapshotCheckpointStore store = new SnapshotCheckpointStore(repository, new CheckpointKeys("c", TABLE));
        String file = "AWSDynamoDB/01700000000000-abcdef01/data/abc.json.gz";
        assertEquals(0, store.acknowledgedLine(file));
        store.saveLine(file, 42);
        assertEquals(42, store.acknowledgedLine(file));
        store.markFileDone(file);
        assertTrue(store.isFileDone(file));
        repository.setState(store.fileKey(file), "junk");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.acknowledgedLine(file));
        assertTrue(e.getMessage().contains(store.fileKey(file)), e.getMessage());
    }
}
