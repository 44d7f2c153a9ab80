package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.flow.StreamChangedException;
import dev.ddbcdc.camel.flow.TrimmedDataException;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trimmedDataPolicy=RESNAPSHOT}: a gap (changes trimmed while the consumer was down for more than the stream's
 * retention, a stream replaced while down or while running) is surfaced as under every policy, then recovered by a
 * new snapshot under the next checkpoint generation and the stream from its hand-over. A sink that keeps the highest
 * document version of each item ends equal to the table. Each test has its own test kit (aging records affects every
 * table of a DynamoDB Local), so they run at the same time: a snapshot taken for a replaced stream waits up to two
 * minutes for the new stream's first minute to settle.
 */
@Execution(ExecutionMode.CONCURRENT)
class ResnapshotTest {

    static final String BUCKET = "resnapshot";

    @TempDir
    Path dir;

    final Random random = new Random(11);

    int writes;

    /** Puts or deletes {@code count} random items of {@link SnapshotItems}' key space. */
    void change(LocalAws aws, String table, int count) {
        for (int n = 0; n < count; n++) {
            SnapshotItems.writeRandomly(aws.dynamoDb(), table, random, 300, writes++);
        }
    }

    LocalAws tableWithItems(String table) {
        LocalAws aws = LocalAws.start();
        aws.createBucket(BUCKET);
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        SnapshotItems.fill(aws.dynamoDb(), table, 200);
        return aws;
    }

    static void awaitEqual(LocalAws aws, String table, VersionedSink sink) {
        sink.awaitEqualTo(SnapshotItems.table(aws.dynamoDb(), table), Duration.ofSeconds(60));
    }

    /**
     * Waits until the new generation's snapshot completed (streaming again under generation 2) and the sink, having
     * dropped what the new snapshot did not refresh (items deleted during the gap), equals the table.
     */
    static void awaitRecovered(LocalAws aws, String table, VersionedSink sink, CdcHarness cdc,
                               FileCheckpointRepository checkpoints) {
        Map<String, Object> expected = SnapshotItems.table(aws.dynamoDb(), table);
        CdcHarness.awaitCondition(() -> {
            String generation = generation(checkpoints, aws, table);
            if (generation == null || !generation.startsWith("v1 2 ") || cdc.consumer().getPhase() != Phase.STREAMING) {
                return false;
            }
            sink.sweepBeforeLatestSnapshot();
            return expected.equals(sink.present());
        }, Duration.ofSeconds(180), () -> "phase " + cdc.consumer().getPhase() + ", "
                                         + generation(checkpoints, aws, table) + "; the sink differs from the table in "
                                         + sink.differences(expected));
    }

    static long reads(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> "READ".equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION)))
                .count();
    }

    String uri(LocalAws aws, String table) {
        return CdcHarness.snapshotUri(aws, table, BUCKET, "consumerId=" + table
                + "&checkpointRepository=#checkpoints&trimmedDataPolicy=RESNAPSHOT&exportS3Prefix=" + table);
    }

    /** A snapshot by parallel Scan instead of an export. */
    String scanUri(LocalAws aws, String table) {
        return CdcHarness.snapshotUri(aws, table, null, "consumerId=" + table
                + "&checkpointRepository=#checkpoints&trimmedDataPolicy=RESNAPSHOT&snapshotMode=SCAN&scanSegments=2");
    }

    /**
     * Disables the table's stream, and lets the second end: the new stream's first second must not hold changes of
     * the old one (see HandOver's document version).
     */
    static void disableStream(LocalAws aws, String table) throws InterruptedException {
        aws.dynamoDb().updateTable(b -> b.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        Thread.sleep(1000);
    }

    /**
     * The consumer's recorded generation, or {@code null}. Polled while the test changes the table's stream: DynamoDB
     * Local answered one DescribeTable in the middle of an UpdateTable with a 400 ("The action or operation requested
     * is invalid") in a clean-clone run, so a refused look counts as "not yet" and the poll looks again.
     */
    static String generation(FileCheckpointRepository checkpoints, LocalAws aws, String table) {
        String tableArn;
        try {
            tableArn = aws.dynamoDb().describeTable(b -> b.tableName(table)).table().tableArn();
        } catch (DynamoDbException e) {
            return null;
        }
        return checkpoints.getState("dynamodb-cdc/" + table + "/" + tableArn + "/generation");
    }

    @Test
    void downForLongerThanTheRetentionTakesANewSnapshotAndTheSinkEndsEqualToTheTable() throws Exception {
        String table = "down";
        try (LocalAws aws = tableWithItems(table)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("down.dat").toFile());
            VersionedSink sink = new VersionedSink();
            try (CdcHarness first = new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink)
                    .start(uri(aws, table))) {
                first.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
                change(aws, table, 60);
                awaitEqual(aws, table, sink);
            }
            change(aws, table, 150); // while the consumer is down: trimmed before it is back
            aws.dynamoDbLocal().dilateEventTimes(Duration.ofHours(25));
            sink.age(Duration.ofHours(25));
            change(aws, table, 30);

            try (CdcHarness second = new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink)
                    .start(uri(aws, table))) {
                awaitRecovered(aws, table, sink, second, checkpoints);
                TrimmedDataException gap = (TrimmedDataException) second.handled.stream()
                        .filter(t -> t instanceof TrimmedDataException).findFirst().orElseThrow();
                assertTrue(gap.getMessage().contains("trimmedDataPolicy=RESNAPSHOT")
                           && gap.getMessage().contains("new snapshot"), gap.getMessage());
                assertTrue(reads(second.received) >= SnapshotItems.table(aws.dynamoDb(), table).size(),
                        "a new snapshot delivered every item: " + reads(second.received) + " READ");
                assertTrue(generation(checkpoints, aws, table).startsWith("v1 2 TRIMMED_DATA "),
                        generation(checkpoints, aws, table));
                change(aws, table, 20);
                awaitEqual(aws, table, sink);
            }

            // the next start resumes the new generation: no third snapshot, no gap reported
            try (CdcHarness third = new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink)
                    .start(uri(aws, table))) {
                third.awaitPhase(Phase.STREAMING, Duration.ofSeconds(30));
                change(aws, table, 10);
                awaitEqual(aws, table, sink);
                assertEquals(0, reads(third.received), "no snapshot taken again");
                assertEquals(List.of(), third.handled);
            }
        }
    }

    @Test
    void aStreamReplacedWhileDownIsCapturedByANewSnapshot() throws Exception {
        String table = "replacedDown";
        try (LocalAws aws = tableWithItems(table)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("rd.dat").toFile());
            VersionedSink sink = new VersionedSink();
            try (CdcHarness first = new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink)
                    .start(uri(aws, table))) {
                first.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
                change(aws, table, 30);
                awaitEqual(aws, table, sink);
            }
            disableStream(aws, table);
            change(aws, table, 80); // in no stream
            aws.dynamoDb().updateTable(b -> b.tableName(table).streamSpecification(
                    s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            change(aws, table, 30);

            try (CdcHarness second = new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink)
                    .start(uri(aws, table))) {
                awaitRecovered(aws, table, sink, second, checkpoints);
                assertEquals(1, second.handled.stream().filter(t -> t instanceof StreamChangedException).count(),
                        "the replacement is reported once: " + second.handled);
                assertTrue(generation(checkpoints, aws, table).startsWith("v1 2 STREAM_REPLACED "));
                change(aws, table, 20);
                awaitEqual(aws, table, sink);
            }
        }
    }

    @Test
    void aStreamReplacedWhileRunningIsCapturedAtOnceByANewScan() throws Exception {
        String table = "replacedRunning";
        try (LocalAws aws = tableWithItems(table)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("rr.dat").toFile());
            VersionedSink sink = new VersionedSink();
            try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink)
                    .start(scanUri(aws, table))) {
                cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
                change(aws, table, 30);
                awaitEqual(aws, table, sink);
                int readsBefore = (int) reads(cdc.received);

                disableStream(aws, table);
                change(aws, table, 80); // in no stream
                aws.dynamoDb().updateTable(b -> b.tableName(table).streamSpecification(
                        s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
                change(aws, table, 30);

                awaitRecovered(aws, table, sink, cdc, checkpoints);
                assertTrue(generation(checkpoints, aws, table).startsWith("v1 2 STREAM_REPLACED "));
                assertEquals(HealthCheck.State.UP, HealthChecks.readiness(cdc).getState(),
                        "ready again once the new stream is read: " + HealthChecks.readiness(cdc).getMessage());
                assertTrue(reads(cdc.received) >= readsBefore + SnapshotItems.table(aws.dynamoDb(), table).size(),
                        "a new snapshot was taken");
                change(aws, table, 20);
                awaitEqual(aws, table, sink);
            }
        }
    }
}
