package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardCheckpointStoreTest {

    final MemoryStateRepository repository = new MemoryStateRepository();
    final ShardCheckpointStore consumer = new ShardCheckpointStore(repository,
            new CheckpointKeys("orders", "arn:aws:dynamodb:us-east-1:1:table/t/stream/s"));

    @Test
    void eachBucketHasItsFirstStartAndJoinsTheStreamsFirstStartMadeByAnother() {
        ShardCheckpointStore first = consumer.ofUnit("bucket-03");
        ShardCheckpointStore later = consumer.ofUnit("bucket-11");
        assertFalse(first.streamStarted());
        assertNull(first.startedElsewhere(), "nobody started the stream yet");

        first.markStreamStarted(1_000, "TRIM_HORIZON");
        assertTrue(first.streamStarted());
        assertTrue(consumer.streamStarted(), "the stream's own marker too, once");
        assertEquals(1_000L, consumer.streamStartedMillis());
        assertNull(first.startedElsewhere(), "its own start");

        assertFalse(later.streamStarted(), "a bucket not led yet has not started");
        assertEquals(new ShardCheckpointStore.StreamStart(1_000, "TRIM_HORIZON"), later.startedElsewhere(),
                "and joins the stream's first start as it was made");
        later.markStreamStarted(5_000, "TRIM_HORIZON");
        assertTrue(later.streamStarted());
        assertNull(later.startedElsewhere());
        assertEquals(1_000L, consumer.streamStartedMillis(), "the stream's first start stays the first one");
        assertNull(consumer.startedElsewhere(), "a consumer without buckets makes its own first start");
    }

    @Test
    void aMarkerWrittenBeforeItSaidHowItBeganIsStillRead() {
        repository.setState(new CheckpointKeys("orders", "arn:aws:dynamodb:us-east-1:1:table/t/stream/s")
                .streamMarker(), CheckpointValues.write("started:1234"));
        assertEquals(1_234L, consumer.streamStartedMillis());
        assertEquals(new ShardCheckpointStore.StreamStart(1_234, null), consumer.ofUnit("bucket-1").startedElsewhere());
    }

    @Test
    void bucketsShareTheShardPositions() {
        consumer.ofUnit("bucket-01").save("shardId-1", ShardPosition.end());
        assertTrue(consumer.ofUnit("bucket-02").load("shardId-1").isEnd(),
                "a parent's end is seen from a child's bucket");
        assertTrue(consumer.ofStream("arn:aws:dynamodb:us-east-1:1:table/t/stream/s").load("shardId-1").isEnd());
    }
}
