package dev.ddbcdc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's own arithmetic and fakes, without running any benchmark (those run with -Pbenchmarks only). */
class HarnessSmokeTest {

    @TempDir
    Path dir;

    @Test
    void samplesGiveMedianSpreadAndQuantiles() {
        Samples samples = Samples.of(30, 10, 20);
        assertEquals(20, samples.median());
        assertEquals(10, samples.min());
        assertEquals(30, samples.max());
        assertEquals(1.0, samples.relativeSpread());
        assertEquals(25, Samples.of(10, 20, 30, 40).quantile(0.5));
    }

    @Test
    void figuresJudgeRatiosAndValuesAgainstTheirTargets() {
        Figure faster = new Figure("s", "items/s", "items/s", Samples.of(90, 100, 110), "base", Samples.of(50),
                Target.ratioAtLeast(1.5), "");
        assertEquals(2.0, faster.ratio());
        assertTrue(faster.met());
        Figure slow = new Figure("s", "p50", "ms", Samples.of(80), "floor", Samples.of(10), Target.atMost(50, "ms"),
                "");
        assertFalse(slow.met());
        assertTrue(slow.shortfall().contains("60% over"), slow.shortfall());
        Figure context = new Figure("s", "x", "u", Samples.of(1), null, null, Target.none(), "");
        assertEquals("-", context.verdict());
    }

    @Test
    void reportWritesTheMachineAndEveryFigure() throws Exception {
        ScenarioResult result = new ScenarioResult("1. Snapshot load", "setup text");
        result.figure(new Figure("1. Snapshot load", "items/s delivered", "items/s", Samples.of(5, 6, 7),
                "bare", Samples.of(10), Target.ratioAtLeast(1.0), "")).note("a note");
        result.seconds = 12;
        Path file = dir.resolve("benchmarks.md");
        new Report(List.of(result), Machine.describe(), "cmd", java.time.Instant.now(), 60, "1.00", "2.00",
                new Scale(0.1)).write(file);
        String text = Files.readString(file);
        assertTrue(text.contains("Cores available to the JVM"), text);
        assertTrue(text.contains("| 1. Snapshot load | items/s delivered (items/s) | 6.00 (5.00-7.00, 3 runs) | bare"),
                text);
        assertTrue(text.contains("**missed**") && text.contains("Missed: items/s delivered: 0.600x against >= 1.00x"),
                text);
    }

    @Test
    void theSimulatedStreamPagesItsShardsAndEndsClosedOnes() {
        FakeStream stream = new FakeStream(60, 5, 3);
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var page = stream.describeStream(b -> b.streamArn(FakeStream.STREAM_ARN).exclusiveStartShardId(from))
                    .streamDescription();
            assertTrue(page.shards().size() <= 100);
            shards.addAll(page.shards());
            start = page.lastEvaluatedShardId();
        } while (start != null);
        assertEquals(300, shards.size());
        assertEquals(shards, BareStreamRead.parentsFirst(shards));
        Shard closed = shards.get(0);
        String iterator = stream.getShardIterator(b -> b.streamArn(FakeStream.STREAM_ARN).shardId(closed.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse all = stream.getRecords(b -> b.shardIterator(iterator).limit(1000));
        assertEquals(3, all.records().size());
        assertEquals(21, all.records().get(0).dynamodb().sequenceNumber().length());
        assertNull(all.nextShardIterator());
        String after = stream.getShardIterator(b -> b.streamArn(FakeStream.STREAM_ARN).shardId(closed.shardId())
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber(all.records().get(0).dynamodb().sequenceNumber())).shardIterator();
        assertEquals(2, stream.getRecords(b -> b.shardIterator(after)).records().size());
        Shard open = shards.get(shards.size() - 1);
        assertNull(open.sequenceNumberRange().endingSequenceNumber());
    }

    @Test
    void syntheticItemsAreStableAndHoldEveryType() {
        Map<String, AttributeValue> item = SyntheticItems.item(7, 1);
        assertEquals(item, SyntheticItems.item(7, 1));
        assertEquals("item-0000000007", item.get("pk").s());
        assertEquals(11, item.size());
        assertEquals(AttributeValue.Type.NUL, item.get("note").type());
        assertEquals(AttributeValue.Type.M, item.get("address").type());
    }
}
