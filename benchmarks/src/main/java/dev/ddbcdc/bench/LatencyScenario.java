package dev.ddbcdc.bench;

import java.util.Locale;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.camel.DynamoDbCdcConsumer;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Scenario 3, latency: steady PutItems at 200/s; the time from issuing each write to its delivery into the route,
 * for the consumer with its defaults, for the bare SDK tailing the shard hot (the floor), and for aws2-ddbstream
 * with its defaults. Then an idle window: GetRecords calls per second per shard being read.
 */
final class LatencyScenario implements Scenario {

    @Override
    public String id() {
        return "latency";
    }

    /** One measured run of one reader: its p50, p99 and idle calls per second per shard. */
    private record Run(double p50, double p99, double idleCallsPerShard, int delivered, long written,
                       double emptyShareWhileWriting, double p99WithWarmUp) {

        Run(LatencyRecorder latencies, double idleCallsPerShard, long written, double emptyShare) {
            this(latencies.percentileMillis(50), latencies.percentileMillis(99), idleCallsPerShard,
                    latencies.all().count(), written, emptyShare, latencies.all().percentileMillis(99));
        }
    }

    /** Seconds of writes at the start of a run left out of the steady-state percentiles. */
    static final int WARM_UP_SECONDS = 2;

    /** The consumer with a shorter pollDelay: what configuration alone does to latency (idle polling unchanged). */
    static final String FAST_POLL = "pollDelay=20";
    /** Idle window of the readers whose idle polling is context only. */
    static final int SHORT_IDLE_SECONDS = 3;

    /** Each run gets a DynamoDB Local of its own: with the tables and records of earlier runs it grows slower. */
    @Override
    public boolean needsLocalAws() {
        return false;
    }

    /** A measured run of one reader against its own DynamoDB Local. */
    private interface Reader {
        Run run(LocalDynamoDb ddb, Endpoints endpoints) throws Exception;
    }

    private static Run fresh(Reader reader) throws Exception {
        try (LocalDynamoDb ddb = LocalDynamoDb.start()) {
            return reader.run(ddb, new Endpoints(ddb.endpoint(), null));
        }
    }

    @Override
    public ScenarioResult run(LocalAws unused, Scale scale) throws Exception {
        Samples oursP50 = new Samples();
        Samples oursP99 = new Samples();
        Samples oursIdle = new Samples();
        Samples floorP50 = new Samples();
        Samples floorP99 = new Samples();
        Samples floorIdle = new Samples();
        Samples aws2P50 = new Samples();
        Samples aws2P99 = new Samples();
        Samples aws2Idle = new Samples();
        Samples oursP99All = new Samples();
        Samples aws2P99All = new Samples();
        Samples fastP50 = new Samples();
        Samples fastP99 = new Samples();
        Samples oursEmpty = new Samples();
        Samples fastEmpty = new Samples();
        StringBuilder counts = new StringBuilder();
        for (int rep = 0; rep < scale.repetitions(); rep++) {
            Run ours = fresh((ddb, endpoints) -> ours(ddb, endpoints, scale, "lat_ours", "", scale.idleSeconds()));
            Run fast = fresh((ddb, endpoints) -> ours(ddb, endpoints, scale, "lat_fast", FAST_POLL,
                    SHORT_IDLE_SECONDS));
            fastP50.add(fast.p50());
            fastP99.add(fast.p99());
            oursEmpty.add(ours.emptyShareWhileWriting());
            fastEmpty.add(fast.emptyShareWhileWriting());
            Run floor = fresh((ddb, endpoints) -> floor(ddb, endpoints, scale, "lat_floor", SHORT_IDLE_SECONDS));
            Run aws2 = fresh((ddb, endpoints) -> aws2(ddb, endpoints, scale, "lat_aws2"));
            oursP50.add(ours.p50());
            oursP99.add(ours.p99());
            oursP99All.add(ours.p99WithWarmUp());
            aws2P99All.add(aws2.p99WithWarmUp());
            oursIdle.add(ours.idleCallsPerShard());
            floorP50.add(floor.p50());
            floorP99.add(floor.p99());
            floorIdle.add(floor.idleCallsPerShard());
            aws2P50.add(aws2.p50());
            aws2P99.add(aws2.p99());
            aws2Idle.add(aws2.idleCallsPerShard());
            counts.append(String.format(Locale.ROOT, " run %d: %d/%d, %d/%d, %d/%d;", rep + 1, ours.delivered(),
                    ours.written(), floor.delivered(), floor.written(), aws2.delivered(), aws2.written()));
            System.err.printf(Locale.ROOT, "  latency run %d: ours p50 %.1f p99 %.1f ms, floor p50 %.1f p99 %.1f ms,"
                    + " aws2 p50 %.1f p99 %.1f ms%n", rep + 1, ours.p50(), ours.p99(), floor.p50(), floor.p99(),
                    aws2.p50(), aws2.p99());
        }
        String name = "3. Latency";
        ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                "PutItem at %d/s for %d s into a new table, in a DynamoDB Local of its own, per reader and run (one"
                + " open shard); latency from issuing each write to its delivery into the route; the steady-state percentiles leave out the first %d s"
                + " of writes (shown separately: they wake the reader from idle polling). Consumer:"
                + " defaults (startPosition=LATEST, pollDelay=50 ms, idlePollDelay=1 s). Floor: the bare SDK"
                + " following the shard, asking again 5 ms after an empty answer. aws2-ddbstream: defaults"
                + " (delay 500 ms). Then %d s without writes: GetRecords calls per second per shard being read.",
                scale.writesPerSecond(), scale.latencySeconds(), WARM_UP_SECONDS, scale.idleSeconds()));
        result.figure(new Figure(name, "write -> route p50, steady", "ms", oursP50, "bare SDK tail (5 ms polls)", floorP50,
                Target.atMost(50, "ms"), ""));
        result.figure(new Figure(name, "write -> route p99, steady", "ms", oursP99, "bare SDK tail (5 ms polls)", floorP99,
                Target.atMost(250, "ms"), ""));
        result.figure(new Figure(name, "write -> route p50 vs aws2", "ms", oursP50, "aws2-ddbstream defaults",
                aws2P50, Target.none(), ""));
        result.figure(new Figure(name, "write -> route p99 vs aws2", "ms", oursP99, "aws2-ddbstream defaults",
                aws2P99, Target.none(), ""));
        result.figure(new Figure(name, "GetRecords calls/s per idle shard", "calls/s", oursIdle,
                "aws2-ddbstream defaults", aws2Idle, Target.atMost(1, "calls/s"), ""));
        result.figure(new Figure(name, "p99 with the first " + WARM_UP_SECONDS + " s of writes", "ms", oursP99All,
                "aws2-ddbstream defaults", aws2P99All, Target.none(),
                "the first writes wake the reader from its idle polls (idlePollDelay 1 s)"));
        result.figure(new Figure(name, "p50, consumer with " + FAST_POLL, "ms", fastP50, "bare SDK tail (5 ms polls)",
                floorP50, Target.none(), "idlePollDelay still 1 s"));
        result.figure(new Figure(name, "p99, consumer with " + FAST_POLL, "ms", fastP99, "bare SDK tail (5 ms polls)",
                floorP99, Target.none(), "idlePollDelay still 1 s"));
        result.note(String.format(Locale.ROOT, "Share of the consumer's GetRecords calls that came back empty while"
                + " writes ran (each one is followed by idlePollDelay, 1 s): defaults %s, with %s %s.",
                percentSamples(oursEmpty), FAST_POLL, percentSamples(fastEmpty)));
        result.note(String.format(Locale.ROOT, "The floor's idle polling: %s GetRecords calls/s on its one shard.",
                Format.samples(floorIdle)));
        result.note("Delivered/written (consumer, floor, aws2-ddbstream):" + counts);
        return result;
    }

    private static Run ours(LocalDynamoDb ddb, Endpoints endpoints, Scale scale, String table, String options,
                            int idleSeconds) throws Exception {
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        PacedWriter writer = new PacedWriter();
        LatencyRecorder latencies = new LatencyRecorder(WARM_UP_SECONDS * scale.writesPerSecond());
        StreamCallCounter counter = new StreamCallCounter();
        String uri = endpoints.cdcUri(table, "dynamoDbStreamsClient=#streams" + (options.isEmpty() ? "" : "&" + options));
        try (DynamoDbStreamsClient client = counter.client(endpoints);
             CountingRoute route = new CountingRoute(uri, Long.MAX_VALUE, exchange ->
                record(latencies, writer, exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY,
                        String.class)))) {
            route.bind("streams", client).start();
            DynamoDbCdcConsumer consumer = route.consumer(DynamoDbCdcConsumer.class);
            waitFor(() -> consumer.getMetrics().getRecordsCalls.get() > 0, 30_000);
            long callsBefore = counter.getRecords.get();
            long emptyBefore = counter.emptyGetRecords.get();
            writer.write(ddb.client(), table, "w", scale.writesPerSecond(), scale.latencySeconds());
            double emptyShare = (counter.emptyGetRecords.get() - emptyBefore)
                                / (double) Math.max(1, counter.getRecords.get() - callsBefore);
            waitFor(() -> writer.undelivered() == 0, 10_000);
            Thread.sleep(2000);
            long before = consumer.getMetrics().getRecordsCalls.get();
            Thread.sleep(idleSeconds * 1000L);
            long calls = consumer.getMetrics().getRecordsCalls.get() - before;
            long shards = Math.max(1, consumer.shardCount(ShardLineageTracker.State.READING));
            return new Run(latencies, calls / (double) idleSeconds / shards, writer.written(), emptyShare);
        }
    }

    private static Run floor(LocalDynamoDb ddb, Endpoints endpoints, Scale scale, String table, int idleSeconds)
            throws Exception {
        String streamArn = Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        PacedWriter writer = new PacedWriter();
        LatencyRecorder latencies = new LatencyRecorder(WARM_UP_SECONDS * scale.writesPerSecond());
        try (DynamoDbStreamsClient streams = endpoints.streamsClient();
             BareStreamTail tail = new BareStreamTail(streams, streamArn,
                     r -> record(latencies, writer, r.dynamodb().keys().get("pk").s()))) {
            writer.write(ddb.client(), table, "w", scale.writesPerSecond(), scale.latencySeconds());
            waitFor(() -> writer.undelivered() == 0, 10_000);
            Thread.sleep(2000);
            long before = tail.calls();
            Thread.sleep(idleSeconds * 1000L);
            return new Run(latencies, (tail.calls() - before) / (double) idleSeconds, writer.written(), 0);
        }
    }

    private static Run aws2(LocalDynamoDb ddb, Endpoints endpoints, Scale scale, String table) throws Exception {
        Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        PacedWriter writer = new PacedWriter();
        LatencyRecorder latencies = new LatencyRecorder(WARM_UP_SECONDS * scale.writesPerSecond());
        StreamCallCounter calls = new StreamCallCounter();
        try (DynamoDbStreamsClient client = calls.client(endpoints);
             CountingRoute route = new CountingRoute(endpoints.aws2StreamUri(table,
                     "amazonDynamoDbStreamsClient=#streams"), Long.MAX_VALUE, exchange -> record(latencies, writer,
                             exchange.getMessage().getBody(Record.class).dynamodb().keys().get("pk").s()))) {
            route.bind("streams", client).start();
            waitFor(() -> calls.getRecords.get() > 0, 30_000);
            writer.write(ddb.client(), table, "w", scale.writesPerSecond(), scale.latencySeconds());
            waitFor(() -> writer.undelivered() == 0, 10_000);
            Thread.sleep(2000);
            long before = calls.getRecords.get();
            Thread.sleep(scale.idleSeconds() * 1000L);
            return new Run(latencies, (calls.getRecords.get() - before) / (double) scale.idleSeconds(),
                    writer.written(), 0);
        }
    }

    private static void record(LatencyRecorder latencies, PacedWriter writer, String key) {
        latencies.record(key, writer.latencyMicros(key));
    }

    private static String percentSamples(Samples shares) {
        return Format.percent(shares.median()) + " (" + Format.percent(shares.min()) + "-"
               + Format.percent(shares.max()) + ")";
    }

    static void waitFor(java.util.function.BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }
}
