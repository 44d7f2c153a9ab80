package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static dev.ddbcdc.camel.checkpoint.Phase.EXPORTING;
import static dev.ddbcdc.camel.checkpoint.Phase.LOADING;
import static dev.ddbcdc.camel.checkpoint.Phase.STREAMING;
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
        SnapshotState done = exporting.moveTo(LOADING).moveTo(STREAMING);
        assertEquals(STREAMING, done.phase());
        assertTrue(done.isDone());
        assertEquals("DONE 1 1700000000123 " + EXPORT, done.serialize(), "handed over is stored as DONE, as before");
        assertEquals(done, SnapshotState.parse("DONE 1 1700000000123 " + EXPORT));
    }

    @Test
    void onlyTheSnapshotsPhasesArePersisted() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotState(Phase.FAILED, 1, 0, EXPORT));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotState(Phase.INIT, 1, 0, EXPORT));
    }

    @Test
    void stagesOnlyMoveForward() {
        SnapshotState loading = new SnapshotState(LOADING, 1, 0, EXPORT);
        assertThrows(IllegalStateException.class, () -> loading.moveTo(EXPORTING));
        assertThrows(IllegalStateException.class, () -> new SnapshotState(EXPORTING, 1, 0, EXPORT).moveTo(STREAMING));
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
