package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint values carry a format version, and the unversioned values of earlier builds keep working. */
class CheckpointValuesTest {

    static final String TABLE = "arn:aws:dynamodb:us-east-1:1:table/t";
    static final String STREAM = TABLE + "/stream/2026-01-01T00:00:00.000";
    static final String EXPORT = TABLE + "/export/01700000000000-abcdef01";
    static final String FILE = "AWSDynamoDB/01700000000000-abcdef01/data/abc.json.gz";

    final MemoryStateRepository repository = new MemoryStateRepository();
    final CheckpointKeys keys = new CheckpointKeys("c", STREAM);
    final ShardCheckpointStore shards = new ShardCheckpointStore(repository, keys);
    final SnapshotCheckpointStore snapshot = new SnapshotCheckpointStore(repository, keys);

    @Test
    void everyValueIsWrittenWithTheFormatVersion() {
        shards.save("s1", ShardPosition.after("42"));
        shards.save("s2", ShardPosition.end());
        shards.markStreamStarted(7);
        shards.followStream(STREAM);
        snapshot.save(new SnapshotState(Phase.LOADING, 2, 9, EXPORT));
        snapshot.saveLine(FILE, 3);
        assertEquals("v1 seq:42", repository.getState(keys.shard("s1")));
        assertEquals("v1 END", repository.getState(keys.shard("s2")));
        assertEquals("v1 started:7", repository.getState(keys.streamMarker()));
        assertEquals("v1 " + STREAM, repository.getState(keys.followedStream()));
        assertEquals("v1 LOADING 2 9 " + EXPORT, repository.getState(keys.snapshot()));
        assertEquals("v1 line:3", repository.getState(keys.dataFile(FILE)));
        snapshot.markFileDone(FILE);
        assertEquals("v1 END", repository.getState(keys.dataFile(FILE)));
    }

    @Test
    void theUnversionedValuesOfEarlierVersionsAreReadAsTheyWere() {
        repository.setState(keys.shard("s1"), "seq:42");
        repository.setState(keys.shard("s2"), "END");
        repository.setState(keys.shard("s3"), "from:1700000000000");
        repository.setState(keys.streamMarker(), "started:1");
        repository.setState(keys.snapshot(), "DONE 1 9 " + EXPORT);
        repository.setState(keys.dataFile(FILE), "line:5");
        assertEquals(ShardPosition.after("42"), shards.load("s1"));
        assertEquals(ShardPosition.end(), shards.load("s2"));
        assertEquals(ShardPosition.from(1_700_000_000_000L), shards.load("s3"));
        assertTrue(shards.streamStarted());
        assertNull(shards.followedStream(), "earlier builds did not record the followed stream");
        assertEquals(new SnapshotState(Phase.STREAMING, 1, 9, EXPORT), snapshot.load());
        assertEquals(5, snapshot.acknowledgedLine(FILE));
        assertFalse(snapshot.isFileDone(FILE));
        repository.setState(keys.dataFile(FILE), "END");
        assertTrue(snapshot.isFileDone(FILE));
    }

    @Test
    void aValueOfANewerFormatIsRefusedNamingTheKey() {
        repository.setState(keys.shard("s1"), "v2 seq:42");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shards.load("s1"));
        assertTrue(e.getMessage().contains(keys.shard("s1")) && e.getMessage().contains("v2"), e.getMessage());
        assertNull(CheckpointValues.read("k", null));
        assertNull(CheckpointValues.read("k", ""));
    }
}
