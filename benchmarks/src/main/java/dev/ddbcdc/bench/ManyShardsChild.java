package dev.ddbcdc.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConsumer;
import dev.ddbcdc.camel.stream.ShardLineageTracker;

/**
 * Scenario 5 in a JVM of its own: the consumer reads a simulated stream of many shards in lineages from the oldest
 * record. Measured: records/s to the last record, and the heap the consumer holds per shard once every record is in
 * and every open shard is being read (used heap after full collections, minus the same before the route started).
 */
public final class ManyShardsChild {

    private ManyShardsChild() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int lineages = (int) args.getLong("lineages");
        int generations = (int) args.getLong("generations");
        int recordsPerShard = (int) args.getLong("recordsPerShard");
        warmUp();
        FakeStream stream = new FakeStream(lineages, generations, recordsPerShard);
        FakeTable table = new FakeTable();
        String uri = "dynamodb-cdc:" + FakeTable.TABLE + "?region=us-east-1&dynamoDbClient=#table"
                     + "&dynamoDbStreamsClient=#streams&startPosition=TRIM_HORIZON";
        Map<String, Object> result = new LinkedHashMap<>();
        try (CountingRoute route = new CountingRoute(uri, stream.totalRecords(), null)) {
            route.bind("table", table).bind("streams", stream);
            long before = HeapWatch.usedAfterFullGc();
            JfrProfile profile = args.get("profile", "").isEmpty() ? null
                    : new JfrProfile(java.nio.file.Path.of(args.get("profile")));
            route.start();
            if (!route.await(20 * 60_000L)) {
                throw new IllegalStateException("Delivered " + route.count() + " of " + stream.totalRecords());
            }
            double seconds = route.secondsToExpected();
            if (profile != null) {
                result.put("profile", profile.stopAndSummarise(12));
            }
            DynamoDbCdcConsumer consumer = route.consumer(DynamoDbCdcConsumer.class);
            LatencyScenario.waitFor(() -> consumer.shardCount(ShardLineageTracker.State.FINISHED)
                                          >= (long) lineages * (generations - 1), 60_000);
            long after = HeapWatch.usedAfterFullGc();
            result.put("shards", stream.shardCount());
            result.put("records", route.count());
            result.put("recordsPerSecond", stream.totalRecords() / seconds);
            result.put("bytesPerShard", (after - before) / (double) stream.shardCount());
            result.put("describeStreamCalls", stream.describeStreamCalls.get());
            result.put("getRecordsCalls", stream.getRecordsCalls.get());
            result.put("finishedShards", consumer.shardCount(ShardLineageTracker.State.FINISHED));
            result.put("readingShards", consumer.shardCount(ShardLineageTracker.State.READING));
        }
        ChildJvm.printResult(result);
        System.exit(0);
    }

    /** A small stream first, so the measured run does not pay for class loading and the first JIT. */
    private static void warmUp() throws Exception {
        FakeStream stream = new FakeStream(10, 2, 500);
        String uri = "dynamodb-cdc:" + FakeTable.TABLE + "?region=us-east-1&dynamoDbClient=#table"
                     + "&dynamoDbStreamsClient=#streams&startPosition=TRIM_HORIZON";
        try (CountingRoute route = new CountingRoute(uri, stream.totalRecords(), null)) {
            route.bind("table", new FakeTable()).bind("streams", stream).start();
            route.await(60_000);
        }
    }
}
