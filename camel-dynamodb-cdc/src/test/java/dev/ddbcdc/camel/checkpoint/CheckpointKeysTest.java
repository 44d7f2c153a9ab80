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

    @Test
    void aLaterGenerationHasItsOwnSnapshotShardAndMarkerKeysButSharesTheTableKeys() {
        MemoryStateRepository repository = new MemoryStateRepository();
        CheckpointKeys first = new CheckpointKeys("c", STREAM);
        CheckpointKeys second = first.of(Generation.FIRST.next(Generation.Cause.TRIMMED_DATA, 5000));
        assertEquals(2, second.generation());
        assertEquals("dynamodb-cdc/c/" + STREAM + "/s", first.shard("s"), "the first generation keeps its keys");
        assertEquals("dynamodb-cdc/c/generation-2/" + STREAM + "/s", second.shard("s"));
        assertEquals("dynamodb-cdc/c/generation-2/" + STREAM, second.streamMarker());
        assertEquals("dynamodb-cdc/c/generation-2/arn:aws:dynamodb:us-east-1:1:table/t/snapshot", second.snapshot());
        assertEquals(first.followedStream(), second.followedStream());
        assertEquals(first.leader(), second.leader());
        assertEquals(first.generationKey(), second.generationKey());
        assertEquals("dynamodb-cdc/c/arn:aws:dynamodb:us-east-1:1:table/t/generation", first.generationKey());

        ShardCheckpointStore before = new ShardCheckpointStore(repository, first);
        before.save("s", ShardPosition.after("7"));
        before.markStreamStarted(1);
        ShardCheckpointStore after = new ShardCheckpointStore(repository, second);
        assertNull(after.load("s"), "nothing of the generation before is read");
        assertFalse(after.streamStarted());
    }

    @Test
    void theGenerationIsStoredOnceForTheTable() {
        MemoryStateRepository repository = new MemoryStateRepository();
        ShardCheckpointStore store = new ShardCheckpointStore(repository, new CheckpointKeys("c", STREAM));
        assertEquals(Generation.FIRST, store.generation(), "none stored: the first");
        Generation next = store.generation().next(Generation.Cause.STREAM_REPLACED, 1234);
        store.beginGeneration(next);
        assertEquals(next, new ShardCheckpointStore(repository, new CheckpointKeys("c", STREAM, 2)).generation());
        assertEquals("v1 2 STREAM_REPLACED 1234", repository.getState(store.generationKey()));

        repository.setState(store.generationKey(), "v1 two");
        IllegalStateException e = assertThrows(IllegalStateException.class, store::generation);
        assertTrue(e.getMessage().contains(store.generationKey()), e.getMessage());
    }
}
