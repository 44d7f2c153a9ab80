package dev.ddbcdc.bench;

import java.io.File;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.camel.DynamoDbCdcConsumer;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Scenario 4, restart: 2N records waiting; the route is stopped once N were acknowledged, M more are written while it
 * is down, and a new route starts on the same checkpoints (a FileCheckpointRepository file). Measured: the time from the
 * new start to the first record not delivered before, how many delivered-before records come again, and whether
 * every other record arrives. Baseline: aws2-ddbstream (tuned), which keeps no position: FROM_START is its only way
 * not to lose the records written while it was down.
 */
final class RestartScenario implements Scenario {

    static final int WRITTEN_WHILE_DOWN = 100;
    /** A restarted reader counts as done after this long without a record. */
    static final long STALL_MILLIS = 10_000;
    static final String AWS2_TUNED = "streamIteratorType=FROM_START&maxResultsPerRequest=1000&initialDelay=0&delay=0";

    @Override
    public String id() {
        return "restart";
    }

    /** One restart: seconds from the second start to the first new record, re-delivered and missing records. */
    private record Outcome(double secondsToFirstNew, long redelivered, long missing, double coldStartSeconds) {
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws Exception {
        Endpoints endpoints = Endpoints.of(aws);
        int n = scale.restartRecords();
        Samples oursTime = new Samples();
        Samples oursRedelivered = new Samples();
        Samples oursMissing = new Samples();
        Samples coldStart = new Samples();
        Samples aws2Time = new Samples();
        Samples aws2Redelivered = new Samples();
        Samples aws2Missing = new Samples();
        for (int rep = 0; rep < scale.restartRepetitions(); rep++) {
            Outcome ours = ours(aws, endpoints, "restart_ours_" + rep, n);
            oursTime.add(ours.secondsToFirstNew());
            oursRedelivered.add(ours.redelivered());
            oursMissing.add(ours.missing());
            coldStart.add(ours.coldStartSeconds());
            Outcome aws2 = aws2(aws, endpoints, "restart_aws2_" + rep, n);
            aws2Time.add(aws2.secondsToFirstNew());
            aws2Redelivered.add(aws2.redelivered());
            aws2Missing.add(aws2.missing());
            System.err.printf(Locale.ROOT, "  restart run %d: ours %.2f s, %d again, %d missing; aws2 %.2f s, %d again,"
                    + " %d missing%n", rep + 1, ours.secondsToFirstNew(), ours.redelivered(), ours.missing(),
                    aws2.secondsToFirstNew(), aws2.redelivered(), aws2.missing());
        }
        String name = "4. Restart";
        ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                "%,d records waiting in a new table's stream; the route is stopped (CamelContext.stop) once %,d were"
                + " acknowledged, %d more are written while it is down, and a new CamelContext starts on the same"
                + " checkpoints. Consumer: defaults with startPosition=TRIM_HORIZON and a FileCheckpointRepository."
                + " aws2-ddbstream: %s, restarted the same way.", 2 * n, n, WRITTEN_WHILE_DOWN, AWS2_TUNED));
        result.figure(new Figure(name, "restart to first new record", "s", oursTime, "aws2-ddbstream tuned", aws2Time,
                Target.atMost(2, "s"), "from CamelContext.start"));
        result.figure(new Figure(name, "acknowledged records delivered again", "records", oursRedelivered,
                "aws2-ddbstream tuned", aws2Redelivered, Target.atMost(0, "records"), ""));
        result.figure(new Figure(name, "records never delivered", "records", oursMissing, "aws2-ddbstream tuned",
                aws2Missing, Target.atMost(0, "records"), "after the restart"));
        result.note(String.format(Locale.ROOT, "For comparison, the consumer's first start (no checkpoint) to its first"
                + " record: %s s.", Format.samples(coldStart)));
        return result;
    }

    private Outcome ours(LocalAws aws, Endpoints endpoints, String table, int n) throws Exception {
        File checkpoints = Files.createTempFile(table, ".dat").toFile();
        checkpoints.deleteOnExit();
        String uri = endpoints.cdcUri(table, "startPosition=TRIM_HORIZON&checkpointRepository=#checkpoints");
        return restart(aws, table, n, uri, e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY,
                String.class), route -> route.bind("checkpoints", new FileCheckpointRepository(checkpoints)),
                true);
    }

    private Outcome aws2(LocalAws aws, Endpoints endpoints, String table, int n) throws Exception {
        String uri = endpoints.aws2StreamUri(table, AWS2_TUNED);
        return restart(aws, table, n, uri, e -> e.getMessage().getBody(Record.class).dynamodb().keys().get("pk").s(),
                route -> route, false);
    }

    private Outcome restart(LocalAws aws, String table, int n, String uri, Function<Exchange, String> key,
                            Function<CountingRoute, CountingRoute> setup, boolean ours) throws Exception {
        Tables.createWithStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        StreamFiller.write(aws.dynamoDbLocal().client(), table, "r", 0, 2 * n);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        double coldStart;
        try (CountingRoute first = setup.apply(new CountingRoute(uri, n, e -> delivered.add(key.apply(e))))) {
            first.start();
            if (!first.await(120_000)) {
                throw new IllegalStateException(table + ": first run delivered " + first.count() + " of " + n);
            }
            coldStart = first.secondsToFirst();
            if (ours) {
                DynamoDbCdcConsumer consumer = first.consumer(DynamoDbCdcConsumer.class);
                LatencyScenario.waitFor(() -> consumer.getMetrics().recordsAcknowledged.sum() >= n, 10_000);
            }
        }
        StreamFiller.write(aws.dynamoDbLocal().client(), table, "r", 2 * n, WRITTEN_WHILE_DOWN);
        long expectedNew = 2L * n + WRITTEN_WHILE_DOWN - delivered.size();
        AtomicLong again = new AtomicLong();
        AtomicLong firstNewNanos = new AtomicLong();
        Set<String> fresh = ConcurrentHashMap.newKeySet();
        try (CountingRoute second = setup.apply(new CountingRoute(uri, expectedNew + delivered.size(), e -> {
            String k = key.apply(e);
            if (delivered.contains(k)) {
                again.incrementAndGet();
            } else if (fresh.add(k)) {
                firstNewNanos.compareAndSet(0, System.nanoTime());
            }
        }))) {
            second.start();
            second.awaitOrStall(STALL_MILLIS, 120_000);
            Thread.sleep(500);
            double toFirstNew = firstNewNanos.get() == 0 ? Double.NaN
                    : (firstNewNanos.get() - second.startNanos()) / 1e9;
            return new Outcome(toFirstNew, again.get(), expectedNew - fresh.size(), coldStart);
        }
    }
}
