package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointKeysTest {

    static final String STREAM = "arn:aws:dynamodb:us-east-1:1:table/t/stream/2026";

    @Test
    void consumerIdsKeepSeparatePositions() {
        MemoryStateRepository repository = new MemoryStateRepository();
        ShardCheckpointStore one = new ShardCheckpointStore(repository, new CheckpointKeys("one", STREAM));
        ShardCheckpointStore two = new ShardCheckpointStore(repository, new CheckpointKeys("two", STREAM));
        one.save("shard-1", ShardPosition.after("42"));
        assertEquals(ShardPosition.after("42"), one.load("shard-1"));
        assertNull(two.load("shard-1"));
        assertEquals("dynamodb-cdc/one/" + STREAM + "/shard-1", one.key("shard-1"));
    }

    @Test
    void streamMarker() {
        ShardCheckpointStore store = new ShardCheckpointStore(new MemoryStateRepository(), new CheckpointKeys("c", STREAM));
        assertFalse(store.streamStarted());
        store.markStreamStarted(1000);
        assertTrue(store.streamStarted());
    }

    @Test
    void unreadableValueNamesTheKey() {
        MemoryStateRepository repository = new MemoryStateRepository();
        repository.setState("dynamodb-cdc/c/" + STREAM + "/s", "garbage");
        ShardCheckpointStore store = new ShardCheckpointStore(repository, new CheckpointKeys("c", STREAM));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.load("s"));
        assertTrue(e.getMessage().contains("dynamodb-cdc/c/" + STREAM + "/s"), e.getMessage());
    }
}
