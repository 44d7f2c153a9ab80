package dev.ddbcdc.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ddbcdc.localaws.LocalAws;

/**
 * Scenario 5, many shards: a simulated stream (a fake behind the SDK's DynamoDbStreamsClient, not DynamoDB Local)
 * of 10, 100 and 1,000 shards in lineages of five generations, the same total records each time. Records/s and heap
 * per shard must stay flat as the shard count grows: 1,000 shards against 10 (records/s) and against 100 (memory).
 */
final class ManyShardsScenario implements Scenario {

    static final int GENERATIONS = 5;
    static final double FLAT = 0.8;

    @Override
    public String id() {
        return "shards";
    }

    @Override
    public boolean needsLocalAws() {
        return false;
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws java.io.IOException {
        int[] counts = scale.shardCounts();
        Samples[] rate = new Samples[counts.length];
        Samples[] perShard = new Samples[counts.length];
        StringBuilder calls = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            rate[i] = new Samples();
            perShard[i] = new Samples();
        }
        for (int rep = 0; rep < scale.repetitions(); rep++) {
            for (int i = 0; i < counts.length; i++) {
                int shards = counts[i];
                int recordsPerShard = scale.manyShardsRecords() / shards;
                Map<String, Object> run = ChildJvm.run(ManyShardsChild.class, List.of("-Xmx1g"),
                        List.of(Args.of("lineages", shards / GENERATIONS), Args.of("generations", GENERATIONS),
                                Args.of("recordsPerShard", recordsPerShard)), 1800);
                rate[i].add(ChildJvm.number(run, "recordsPerSecond"));
                perShard[i].add(ChildJvm.number(run, "bytesPerShard") / 1024);
                if (rep == 0) {
                    calls.append(String.format(Locale.ROOT, " %d shards: %.0f DescribeStream, %.0f GetRecords;",
                            shards, ChildJvm.number(run, "describeStreamCalls"),
                            ChildJvm.number(run, "getRecordsCalls")));
                }
                System.err.printf(Locale.ROOT, "  shards run %d, %d shards: %.0f records/s, %.1f KB per shard%n",
                        rep + 1, shards, ChildJvm.number(run, "recordsPerSecond"),
                        ChildJvm.number(run, "bytesPerShard") / 1024);
            }
        }
        int last = counts.length - 1;
        String name = "5. Many shards";
        ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                "A simulated stream of %s shards (lineages of %d generations, the newest open), %,d records in all"
                + " each time, read from the oldest record by the consumer with its defaults (maxConcurrentShards=4,"
                + " in-memory checkpoints); each size in a fresh JVM (-Xmx1g), warmed up on a small stream first."
                + " Memory per shard: used heap after full collections once every record is in, minus the same"
                + " before the route started, over the shard count. Flat means the 1,000-shard figure is within %.0f%%"
                + " of the smaller stream's.", java.util.Arrays.toString(counts), GENERATIONS,
                scale.manyShardsRecords(), (1 - FLAT) * 100));
        result.figure(new Figure(name, "records/s at " + counts[last] + " shards", "records/s", rate[last],
                counts[0] + " shards", rate[0], Target.ratioAtLeast(FLAT), ""));
        result.figure(new Figure(name, "records/s at " + counts[1] + " shards", "records/s", rate[1],
                counts[0] + " shards", rate[0], Target.none(), ""));
        result.figure(new Figure(name, "heap per shard at " + counts[last] + " shards", "KB", perShard[last],
                counts[1] + " shards", perShard[1], Target.ratioAtMost(1 / FLAT), ""));
        result.figure(new Figure(name, "heap per shard at " + counts[0] + " shards", "KB", perShard[0],
                counts[1] + " shards", perShard[1], Target.none(), "fixed costs spread over few shards"));
        result.note("Calls to the simulated stream (first run):" + calls);
        if (result.anyMissed()) {
            int shards = counts[last];
            Map<String, Object> profiled = ChildJvm.run(ManyShardsChild.class, List.of("-Xmx1g"),
                    List.of(Args.of("lineages", shards / GENERATIONS), Args.of("generations", GENERATIONS),
                            Args.of("recordsPerShard", scale.manyShardsRecords() / shards),
                            Args.of("profile", SnapshotLoadChild.profileFile("shards"))), 1800);
            result.note(String.format(Locale.ROOT, "Profile of one %d-shard run (%.0f records/s):", shards,
                    ChildJvm.number(profiled, "recordsPerSecond")));
            for (Object line : (List<?>) profiled.get("profile")) {
                result.note(String.valueOf(line));
            }
        }
        return result;
    }
}
