package dev.ddbcdc.bench;

import java.io.File;
import java.nio.file.Files;
import java.util.Locale;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Scenario 2, stream catch-up: records waiting in a stream across several shard generations, read from the oldest
 * record to the last by the consumer, by a bare SDK GetRecords loop, and by Camel's aws2-ddbstream tuned and with its
 * defaults (measured over a window: at its default pace the whole backlog would take many minutes).
 */
final class StreamCatchUpScenario implements Scenario {

    static final String TABLE = "catchup_bench";
    static final String AWS2_TUNED = "streamIteratorType=FROM_START&maxResultsPerRequest=1000&initialDelay=0&delay=0";
    static final String AWS2_DEFAULTS = "streamIteratorType=FROM_START";
    /** The consumer with batches (issue 16): up to this many records per exchange. */
    static final int BATCH = 1000;
    /** aws2-ddbstream counts as stalled after this long without a record. */
    static final long STALL_MILLIS = 15_000;

    @Override
    public String id() {
        return "catchup";
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws Exception {
        int records = scale.streamRecords();
        String streamArn = Tables.createWithStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        long filling = System.nanoTime();
        StreamFiller.fill(aws, TABLE, "c", records, scale.shardGenerations());
        double filled = (System.nanoTime() - filling) / 1e9;
        Endpoints endpoints = Endpoints.of(aws);
        int shards;
        try (DynamoDbStreamsClient streams = endpoints.streamsClient()) {
            shards = Tables.shards(streams, streamArn).size();
        }
        Samples bare = new Samples();
        Samples ours = new Samples();
        Samples oursFile = new Samples();
        Samples oursBatched = new Samples();
        Samples batchExchanges = new Samples();
        Samples aws2Tuned = new Samples();
        Samples aws2Defaults = new Samples();
        Samples oursCalls = new Samples();
        Samples bareCalls = new Samples();
        // one unmeasured round to warm up every reader
        bareLoop(endpoints, streamArn, records, new Samples());
        ours(endpoints, records, null, new Samples());
        ours(endpoints, records, null, "batchSize=" + BATCH, new Samples(), new Samples());
        aws2(endpoints, records, AWS2_TUNED, Long.MAX_VALUE, new Samples(), new Samples());
        Samples aws2TunedCalls = new Samples();
        Samples aws2TunedDelivered = new Samples();
        Samples aws2DefaultsDelivered = new Samples();
        for (int rep = 0; rep < scale.repetitions(); rep++) {
            bare.add(bareLoop(endpoints, streamArn, records, bareCalls));
            ours.add(ours(endpoints, records, null, oursCalls));
            oursFile.add(ours(endpoints, records, checkpointFile(), new Samples()));
            oursBatched.add(ours(endpoints, records, null, "batchSize=" + BATCH, new Samples(), batchExchanges));
            aws2Tuned.add(aws2(endpoints, records, AWS2_TUNED, Long.MAX_VALUE, aws2TunedCalls, aws2TunedDelivered));
            aws2Defaults.add(aws2(endpoints, records, AWS2_DEFAULTS, scale.windowSeconds() * 1000L, new Samples(),
                    aws2DefaultsDelivered));
            System.err.printf(Locale.ROOT, "  catch-up run %d: bare %.0f, ours %.0f, ours+file %.0f, ours batched %.0f,"
                    + " aws2 tuned %.0f, aws2 defaults %.0f records/s%n", rep + 1, last(bare), last(ours),
                    last(oursFile), last(oursBatched), last(aws2Tuned), last(aws2Defaults));
        }
        String name = "2. Stream catch-up";
        ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                "%,d records waiting in the stream of one table, in %d shards over %d generations (forced rollovers),"
                + " written in %.0f s with BatchWriteItem. Each reader starts at the oldest record and is timed from"
                + " its start to the last record. One unmeasured warm-up round first. Consumer: defaults"
                + " (maxRecordsPerRequest=1000, in-memory checkpoints, acknowledgments on), and the same with"
                + " batchSize=%d (the route gets a List of up to %d changes per exchange; batchWindow 500 ms, its"
                + " default); aws2-ddbstream tuned: %s;"
                + " aws2-ddbstream defaults: %s (initialDelay 1 s, delay 500 ms, 100 records a call), measured over"
                + " %d s.", records, shards, scale.shardGenerations(), filled, BATCH, BATCH, AWS2_TUNED, AWS2_DEFAULTS,
                scale.windowSeconds()));
        result.figure(new Figure(name, "records/s vs bare SDK loop", "records/s", ours, "bare SDK GetRecords loop",
                bare, Target.ratioAtLeast(0.9), ""));
        result.figure(new Figure(name, "records/s, batches of " + BATCH + ", vs bare SDK loop", "records/s",
                oursBatched, "bare SDK GetRecords loop", bare, Target.ratioAtLeast(0.9), "batchSize=" + BATCH));
        result.figure(new Figure(name, "records/s vs aws2-ddbstream tuned", "records/s", ours,
                "aws2-ddbstream tuned", aws2Tuned, Target.ratioAtLeast(1.5), ""));
        result.figure(new Figure(name, "records/s vs aws2-ddbstream defaults", "records/s", ours,
                "aws2-ddbstream defaults", aws2Defaults, Target.none(), ""));
        result.figure(new Figure(name, "records/s, FileCheckpointRepository checkpoints", "records/s", oursFile,
                "same consumer, in-memory checkpoints", ours, Target.none(),
                "the price of writing a checkpoint per record"));
        result.note(String.format(Locale.ROOT, "GetRecords calls per catch-up: consumer %s, bare loop %s,"
                + " aws2-ddbstream tuned %s.", Format.samples(oursCalls), Format.samples(bareCalls),
                Format.samples(aws2TunedCalls)));
        result.note(String.format(Locale.ROOT, "Exchanges per catch-up with batchSize=%d: %s for %,d records.", BATCH,
                Format.samples(batchExchanges), records));
        result.note(String.format(Locale.ROOT, "Records aws2-ddbstream delivered of the %,d: tuned %s (its rate is"
                + " taken to its last record; it counts as stalled after %d s without one), defaults %s in the %d s"
                + " window.", records, Format.samples(aws2TunedDelivered), STALL_MILLIS / 1000,
                Format.samples(aws2DefaultsDelivered), scale.windowSeconds()));
        if (result.anyMissed()) {
            JfrProfile profile = new JfrProfile(SnapshotLoadChild.profileFile("catchup"));
            double profiled = ours(endpoints, records, null, new Samples());
            result.note(String.format(Locale.ROOT, "Profile of one consumer catch-up (%.0f records/s); DynamoDB Local"
                    + " serves in the same JVM, so its work is in these samples too:", profiled));
            result.notes.addAll(profile.stopAndSummarise(12));
        }
        return result;
    }

    private static double last(Samples samples) {
        return samples.values().get(samples.count() - 1);
    }

    private static File checkpointFile() throws java.io.IOException {
        File file = Files.createTempFile("catchup-checkpoints", ".dat").toFile();
        file.deleteOnExit();
        return file;
    }

    private static double bareLoop(Endpoints endpoints, String streamArn, int records, Samples calls) {
        try (DynamoDbStreamsClient streams = endpoints.streamsClient()) {
            BareStreamRead read = new BareStreamRead();
            double seconds = read.readAll(streams, streamArn, records);
            calls.add(read.getRecordsCalls);
            return records / seconds;
        }
    }

    /** The consumer from the oldest record; with a checkpoint file, FileCheckpointRepository checkpoints. */
    private static double ours(Endpoints endpoints, int records, File checkpoints, Samples calls) throws Exception {
        return ours(endpoints, records, checkpoints, "", calls, new Samples());
    }

    /** As above, with more endpoint options ({@code extra}, may be empty); also counts the exchanges. */
    private static double ours(Endpoints endpoints, int records, File checkpoints, String extra, Samples calls,
                               Samples exchanges) throws Exception {
        String options = "startPosition=TRIM_HORIZON"
                         + (checkpoints == null ? "" : "&checkpointRepository=#checkpoints")
                         + (extra.isEmpty() ? "" : "&" + extra);
        try (CountingRoute route = new CountingRoute(endpoints.cdcUri(TABLE, options), records, null)) {
            if (checkpoints != null) {
                route.bind("checkpoints", new FileCheckpointRepository(checkpoints));
            }
            route.start();
            if (!route.await(15 * 60_000L)) {
                throw new IllegalStateException("The consumer delivered " + route.count() + " of " + records);
            }
            calls.add(route.consumer(dev.ddbcdc.camel.DynamoDbCdcConsumer.class).getMetrics().getRecordsCalls.get());
            exchanges.add(route.exchanges());
            return records / route.secondsToExpected();
        }
    }

    /**
     * aws2-ddbstream: records/s to the last record it delivered. It may stop short of the backlog (it stalls: then
     * its rate up to its last record counts, and how many it delivered is noted) or, with its defaults, be too slow
     * to finish: then it is measured over {@code windowMillis}.
     */
    private static double aws2(Endpoints endpoints, int records, String options, long windowMillis, Samples getRecords,
                               Samples delivered) throws Exception {
        StreamCallCounter calls = new StreamCallCounter();
        try (DynamoDbStreamsClient client = calls.client(endpoints);
             CountingRoute route = new CountingRoute(endpoints.aws2StreamUri(TABLE,
                     options + "&amazonDynamoDbStreamsClient=#streams"), records, null)) {
            route.bind("streams", client).start();
            boolean all = route.awaitOrStall(STALL_MILLIS, Math.min(windowMillis, 15 * 60_000L));
            delivered.add(route.count());
            getRecords.add(calls.getRecords.get());
            if (all) {
                return records / route.secondsToExpected();
            }
            if (windowMillis != Long.MAX_VALUE) {
                return route.count() / ((System.nanoTime() - route.startNanos()) / 1e9);
            }
            return route.ratePerSecond();
        }
    }
}
