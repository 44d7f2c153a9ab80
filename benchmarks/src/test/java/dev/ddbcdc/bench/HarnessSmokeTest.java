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
import software.amazon.awssdk.services.dynamodb.model.OperationType;

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

    @Test
    void theSimulatedStreamCanChangeFewItemsInTurn() {
        FakeStream stream = new FakeStream(1, 1, 30, 10);
        Shard shard = stream.describeStream(b -> b.streamArn(FakeStream.STREAM_ARN)).streamDescription().shards()
                .get(0);
        String iterator = stream.getShardIterator(b -> b.streamArn(FakeStream.STREAM_ARN).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        var records = stream.getRecords(b -> b.shardIterator(iterator)).records();
        assertEquals(30, records.size());
        assertEquals("item-3", records.get(13).dynamodb().keys().get("pk").s());
        assertEquals(OperationType.INSERT, records.get(3).eventName());
        for (int i = 10; i < 30; i++) {
            var record = records.get(i);
            assertEquals(FakeStream.operationOf(i, 10), record.eventName());
            assertTrue(record.eventName() != OperationType.INSERT, "change " + i);
            assertEquals(record.eventName() == OperationType.REMOVE, !record.dynamodb().hasNewImage(), "change " + i);
            assertTrue(record.dynamodb().sequenceNumber().compareTo(records.get(i - 1).dynamodb().sequenceNumber()) > 0);
        }
        assertTrue(records.stream().anyMatch(r -> r.eventName() == OperationType.REMOVE));
        assertEquals(30, java.util.Arrays.stream(LanesScenario.laneLoads(30, 10, 4)).sum());
    }

    @Test
    void scaleOutMembersSimulateTheSameStreamAndKnowWhenTheBucketsAreSpread() {
        java.time.Instant created = java.time.Instant.ofEpochMilli(1_700_000_000_000L);
        FakeStream a = new FakeStream(64, 1, 5, 0, created);
        FakeStream b = new FakeStream(64, 1, 5, 0, created);
        var shards = a.describeStream(r -> r.streamArn(FakeStream.STREAM_ARN)).streamDescription().shards();
        assertEquals(shards, b.describeStream(r -> r.streamArn(FakeStream.STREAM_ARN)).streamDescription().shards());
        for (Shard shard : List.of(shards.get(0), shards.get(63))) {
            assertNull(shard.sequenceNumberRange().endingSequenceNumber(), "open");
            String iterator = a.getShardIterator(r -> r.streamArn(FakeStream.STREAM_ARN).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            assertEquals(a.getRecords(r -> r.shardIterator(iterator)).records(),
                    b.getRecords(r -> r.shardIterator(iterator)).records());
        }
        assertTrue(ScaleOutScenario.spread(List.of(16), 16));
        assertTrue(ScaleOutScenario.spread(List.of(6, 5, 5), 16));
        assertTrue(ScaleOutScenario.spread(List.of(5, 5, 6), 16));
        assertFalse(ScaleOutScenario.spread(List.of(7, 5, 4), 16));
        assertFalse(ScaleOutScenario.spread(List.of(6, 5, 4), 16), "a bucket nobody leads");
        assertFalse(ScaleOutScenario.spread(List.of(15), 16));
        assertEquals(800, ScaleOutScenario.memberCeiling());
    }

    @Test
    void lanesKeepEachItemsOrderAndBatchesCountTheirChanges() throws Exception {
        LanesScenario.Run run = LanesScenario.run(4, 60, 12, null);
        assertTrue(run.maxInRoute() >= 1 && run.maxInRoute() <= 4, run.toString());
        FakeStream stream = new FakeStream(1, 1, 1000, 100);
        JdbcSinkScenario.Result batched = JdbcSinkScenario.run(dir, "batched", JdbcSinkScenario.FLUSHED, 500, stream,
                1000);
        assertEquals(2, batched.exchanges());
        JdbcSinkScenario.checkFinalState(batched.rows(), 1000, 100);
    }
}
