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

    @Test
    void exportValuesOfEarlierVersionsParseUnchanged() {
        for (String value : new String[] { "EXPORTING 1 1700000000123 " + EXPORT, "LOADING 2 1700000000123 " + EXPORT,
                "DONE 3 1700000000123 " + EXPORT }) {
            SnapshotState state = SnapshotState.parse(value);
            assertEquals(value, state.serialize());
            assertEquals(dev.ddbcdc.camel.options.SnapshotMode.EXPORT, state.mode());
            assertEquals(EXPORT, state.exportArn());
            assertEquals(java.time.Instant.ofEpochMilli(1_700_000_000_123L), state.time());
        }
    }

    @Test
    void aScanRecordsItsModeStartTimeAndSegments() {
        MemoryStateRepository repository = new MemoryStateRepository();
        SnapshotCheckpointStore store = new SnapshotCheckpointStore(repository, new CheckpointKeys("c", TABLE));
        SnapshotState scanning = SnapshotState.scanning(1_700_000_000_123L, 8);
        store.save(scanning);
        assertEquals("v1 SCAN SCANNING 1700000000123 8", repository.getState("dynamodb-cdc/c/" + TABLE + "/snapshot"));
        SnapshotState read = store.load();
        assertEquals(scanning, read);
        assertEquals(dev.ddbcdc.camel.options.SnapshotMode.SCAN, read.mode());
        assertEquals(Phase.SCANNING, read.phase());
        assertEquals(8, read.segments());
        assertEquals(1_700_000_000_123L, read.time().toEpochMilli());
        assertNull(read.exportArn());
        SnapshotState done = read.moveTo(STREAMING);
        assertTrue(done.isDone());
        assertEquals("SCAN DONE 1700000000123 8", done.serialize());
        assertEquals(done, SnapshotState.parse(done.serialize()));
        assertThrows(IllegalStateException.class, () -> read.moveTo(LOADING));
        assertThrows(IllegalArgumentException.class, () -> SnapshotState.parse("SCAN LOADING 1 8"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotState.parse("SCANNING 1 1 " + EXPORT),
                "an export is never SCANNING");
        assertThrows(IllegalArgumentException.class, () -> SnapshotState.scanning(1, 0));
    }

    @Test
    void segmentProgressIsKeptPerScanAndSegment() {
        MemoryStateRepository repository = new MemoryStateRepository();
        SnapshotCheckpointStore store = new SnapshotCheckpointStore(repository, new CheckpointKeys("c", TABLE));
        SnapshotState scan = SnapshotState.scanning(1_700_000_000_123L, 4);
        assertNull(store.segmentPosition(scan, 2));
        ScanPosition after = ScanPosition.after(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("k 1")));
        store.saveSegment(scan, 2, after);
        assertEquals(after, store.segmentPosition(scan, 2));
        assertEquals("v1 key:pk=S:k+1",
                repository.getState("dynamodb-cdc/c/" + TABLE + "/snapshot/scan/1700000000123/2-of-4"));
        assertNull(store.segmentPosition(scan, 1), "each segment its own key");
        assertNull(store.segmentPosition(SnapshotState.scanning(1_700_000_000_124L, 4), 2), "each scan its own keys");
        store.saveSegment(scan, 2, ScanPosition.end());
        assertTrue(store.segmentPosition(scan, 2).isEnd());
        repository.setState(store.segmentKey(scan, 2), "junk");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.segmentPosition(scan, 2));
        assertTrue(e.getMessage().contains(store.segmentKey(scan, 2)), e.getMessage());
        assertEquals("dynamodb-cdc/item/scan/1700000000123/pk=S:k+1",
                CheckpointKeys.deliveredScanItem(1_700_000_000_123L, after));
    }

    @Test
    void aBridgeRecordsItsSpanWindowAndExportBeforeWaitingOnIt() {
        MemoryStateRepository repository = new MemoryStateRepository();
        SnapshotCheckpointStore store = new SnapshotCheckpointStore(repository, new CheckpointKeys("c", TABLE));
        SnapshotState planned = SnapshotState.bridging(1, 1_000_000, 3_000_000, null);
        store.save(planned);
        assertEquals("v1 BRIDGE EXPORTING 1 1000000 3000000 -",
                repository.getState("dynamodb-cdc/c/" + TABLE + "/snapshot"));
        SnapshotState read = store.load();
        assertEquals(planned, read);
        assertTrue(read.isBridge());
        assertNull(read.exportArn(), "not requested yet");
        assertEquals(1_000_000, read.fromMillis());
        assertEquals(3_000_000, read.time().toEpochMilli(), "a bridge's time is its end, T1");
        assertThrows(IllegalStateException.class, () -> read.moveTo(LOADING), "nothing to load yet");

        SnapshotState requested = read.withExport(EXPORT);
        assertEquals("BRIDGE EXPORTING 1 1000000 3000000 " + EXPORT, requested.serialize());
        SnapshotState loading = requested.moveTo(LOADING);
        assertEquals(loading, SnapshotState.parse(loading.serialize()));
        SnapshotState second = loading.nextWindow();
        assertEquals("BRIDGE EXPORTING 2 1000000 3000000 -", second.serialize());
        SnapshotState done = second.withExport(EXPORT).moveTo(LOADING).moveTo(STREAMING);
        assertTrue(done.isDone());
        assertEquals("BRIDGE DONE 2 1000000 3000000 " + EXPORT, done.serialize());
        assertEquals(done, SnapshotState.parse(done.serialize()));
        assertTrue(done.source().contains("incremental exports from"), done.source());
        assertThrows(IllegalStateException.class, () -> requested.nextWindow(), "only a loaded window has a next");
        assertThrows(IllegalArgumentException.class, () -> SnapshotState.parse("BRIDGE SCANNING 1 1 2 -"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotState.parse("BRIDGE DONE 1 1 2"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotState.bridging(1, 5, 5, null));
        assertTrue(!SnapshotState.parse("DONE 3 1700000000123 " + EXPORT).isBridge(), "an export is no bridge");
    }
}
