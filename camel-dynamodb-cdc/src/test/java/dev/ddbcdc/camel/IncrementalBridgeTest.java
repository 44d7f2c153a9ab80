package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.flow.StreamChangedException;
import dev.ddbcdc.camel.flow.TrimmedDataException;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trimmedDataPolicy=INCREMENTAL_EXPORT}: a gap (changes trimmed while the consumer was down for more than the
 * stream's retention, a stream replaced while down or while running) is surfaced as under every policy, then bridged
 * by incremental exports under the next checkpoint generation, each changed item delivered as INSERT, MODIFY or
 * REMOVE, and the stream read from their end. A sink that keeps the highest document version of each item ends equal
 * to the table, without a sweep: deletions arrive as REMOVE.
 * <p>
 * Point-in-time recovery is enabled as if an hour ago, after the table was filled: a gap a moment old is bridged from
 * 16 minutes before now (DynamoDB's windows are 15 minutes at least), and every item the sink holds from before the
 * gap existed then, so its deletion in the window is a line of the export (one created and deleted within the window
 * has none; see the user guide). So the changes made before the gap touch the filled items only. Each test has its own
 * test kit (aging records affects every table of a DynamoDB Local), so they run at the same time.
 */
@Execution(ExecutionMode.CONCURRENT)
class IncrementalBridgeTest {

    static final String BUCKET = "bridges";
    static final int FILLED = 200;
    static final Set<String> CHANGES = Set.of("INSERT", "MODIFY", "REMOVE");

    @TempDir
    Path dir;

    final Random random = new Random(13);

    int writes;

    /** Puts or deletes {@code count} random items among the first {@code range} of {@link SnapshotItems}' keys. */
    void change(LocalAws aws, String table, int count, int range) {
        for (int n = 0; n < count; n++) {
            SnapshotItems.writeRandomly(aws.dynamoDb(), table, random, range, writes++);
        }
    }

    /** A table of {@value #FILLED} items, point-in-time recovery on as if since an hour ago (or now). */
    static LocalAws tableWithItems(String table, boolean pitrSinceAnHourAgo) {
        LocalAws aws = LocalAws.start();
        aws.createBucket(BUCKET);
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        SnapshotItems.fill(aws.dynamoDb(), table, FILLED);
        if (pitrSinceAnHourAgo) {
            aws.exports().enablePointInTimeRecoverySince(table,
                    aws.exports().clock().instant().minus(Duration.ofHours(1)));
        } else {
            Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        }
        return aws;
    }

    String uri(LocalAws aws, String table, String more) {
        return CdcHarness.snapshotUri(aws, table, BUCKET, "consumerId=" + table
                + "&checkpointRepository=#checkpoints&trimmedDataPolicy=INCREMENTAL_EXPORT&streamOverlap=60000"
                + "&exportS3Prefix=" + table + more);
    }

    CdcHarness start(FileCheckpointRepository checkpoints, VersionedSink sink, String uri) throws Exception {
        return new CdcHarness().bind("checkpoints", checkpoints).behaviour(sink).start(uri);
    }

    /** The changes delivered from incremental exports. */
    static List<Exchange> bridged(List<Exchange> exchanges) {
        return exchanges.stream()
                .filter(e -> e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_ARN) != null
                             && CHANGES.contains(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION)))
                .toList();
    }

    static long operations(List<Exchange> exchanges, String operation) {
        return exchanges.stream().filter(e -> operation.equals(e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION)))
                .count();
    }

    static boolean isBridged(String generation) {
        return generation != null && generation.split(" ").length == 5; // v1 <n> <cause> <since> <bridgeFrom>
    }

    /** Waits until generation 2 bridged its gap, streams again, and the sink equals the table (no sweep). */
    static void awaitBridged(LocalAws aws, String table, VersionedSink sink, CdcHarness cdc,
                             FileCheckpointRepository checkpoints, String cause) {
        CdcHarness.awaitCondition(() -> {
            String generation = ResnapshotTest.generation(checkpoints, aws, table);
            return generation != null && generation.startsWith("v1 2 " + cause + " ") && isBridged(generation)
                   && cdc.consumer().getPhase() == Phase.STREAMING
                   && SnapshotItems.table(aws.dynamoDb(), table).equals(sink.present());
        }, Duration.ofSeconds(240), () -> "phase " + cdc.consumer().getPhase() + ", "
                                         + ResnapshotTest.generation(checkpoints, aws, table) + "; the sink differs"
                                         + " from the table in "
                                         + sink.differences(SnapshotItems.table(aws.dynamoDb(), table)));
    }

    static String bridgeState(FileCheckpointRepository checkpoints, LocalAws aws, String table) {
        String tableArn = aws.dynamoDb().describeTable(b -> b.tableName(table)).table().tableArn();
        return checkpoints.getState("dynamodb-cdc/" + table + "/generation-2/" + tableArn + "/snapshot");
    }

    /**
     * A first run that streams {@code before} changes of the filled items, then {@code during} changes made while the
     * consumer is down for more than the stream's retention (trimmed), and {@code after} changes since.
     */
    void downForMoreThanTheRetention(LocalAws aws, String table, FileCheckpointRepository checkpoints,
                                     VersionedSink sink, String uri, int before, int during, int after)
            throws Exception {
        try (CdcHarness first = start(checkpoints, sink, uri)) {
            first.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
            change(aws, table, before, FILLED);
            ResnapshotTest.awaitEqual(aws, table, sink);
        }
        change(aws, table, during, 300); // while the consumer is down: trimmed before it is back
        // a bridge ends a few seconds before now (IncrementalBridge): what was trimmed is older in real life
        Thread.sleep(6000);
        aws.dynamoDbLocal().dilateEventTimes(Duration.ofHours(25));
        sink.age(Duration.ofHours(25));
        change(aws, table, after, 300);
    }

    @Test
    void downForLongerThanTheRetentionIsBridgedAndARestartMidBridgeResumesIt() throws Exception {
        String table = "bridgeDown";
        try (LocalAws aws = tableWithItems(table, true)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("down.dat").toFile());
            VersionedSink sink = new VersionedSink();
            downForMoreThanTheRetention(aws, table, checkpoints, sink, uri(aws, table, ""), 60, 150, 30);

            aws.exports().exportDelay(Duration.ofSeconds(4)); // the bridge's export runs a while
            try (CdcHarness second = start(checkpoints, sink, uri(aws, table, ""))) {
                CdcHarness.awaitCondition(() -> {
                    String state = bridgeState(checkpoints, aws, table);
                    return state != null && state.startsWith("v1 BRIDGE EXPORTING 1 ") && !state.endsWith(" -");
                }, Duration.ofSeconds(60), () -> "no export requested: " + bridgeState(checkpoints, aws, table));
                TrimmedDataException gap = (TrimmedDataException) second.handled.stream()
                        .filter(t -> t instanceof TrimmedDataException).findFirst().orElseThrow();
                assertTrue(gap.getMessage().contains("trimmedDataPolicy=INCREMENTAL_EXPORT")
                           && gap.getMessage().contains("bridged by incremental exports"), gap.getMessage());
            } // stopped while the bridge's first export runs
            int requests = aws.exports().exportRequestCount();

            try (CdcHarness third = start(checkpoints, sink, uri(aws, table, ""))) {
                awaitBridged(aws, table, sink, third, checkpoints, "TRIMMED_DATA");
                assertEquals(requests, aws.exports().exportRequestCount(), "the bridge resumed its export");
                List<Exchange> bridged = bridged(third.received);
                assertTrue(operations(bridged, "REMOVE") > 0, "deletions arrive as REMOVE");
                assertTrue(operations(bridged, "INSERT") > 0, "new items as INSERT");
                assertEquals(0, operations(third.received, "READ"), "no new snapshot");
                assertTrue(bridgeState(checkpoints, aws, table).startsWith("v1 BRIDGE DONE "));
                change(aws, table, 20, 300);
                ResnapshotTest.awaitEqual(aws, table, sink);
            }

            // the next start resumes the bridged generation: no bridge again, no gap reported
            try (CdcHarness fourth = start(checkpoints, sink, uri(aws, table, ""))) {
                fourth.awaitPhase(Phase.STREAMING, Duration.ofSeconds(30));
                change(aws, table, 10, 300);
                ResnapshotTest.awaitEqual(aws, table, sink);
                assertEquals(List.of(), bridged(fourth.received));
                assertEquals(List.of(), fourth.handled);
            }
        }
    }

    @Test
    void aStreamReplacedWhileDownIsBridged() throws Exception {
        String table = "bridgeReplacedDown";
        try (LocalAws aws = tableWithItems(table, true)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("rd.dat").toFile());
            VersionedSink sink = new VersionedSink();
            try (CdcHarness first = start(checkpoints, sink, uri(aws, table, ""))) {
                first.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
                change(aws, table, 30, FILLED);
                ResnapshotTest.awaitEqual(aws, table, sink);
            }
            ResnapshotTest.disableStream(aws, table);
            change(aws, table, 80, 300); // in no stream
            aws.dynamoDb().updateTable(b -> b.tableName(table).streamSpecification(
                    s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            change(aws, table, 30, 300);

            try (CdcHarness second = start(checkpoints, sink, uri(aws, table, ""))) {
                awaitBridged(aws, table, sink, second, checkpoints, "STREAM_REPLACED");
                assertEquals(1, second.handled.stream().filter(t -> t instanceof StreamChangedException).count(),
                        "the replacement is reported once: " + second.handled);
                assertFalse(bridged(second.received).isEmpty());
                assertEquals(0, operations(second.received, "READ"), "no new snapshot");
                change(aws, table, 20, 300);
                ResnapshotTest.awaitEqual(aws, table, sink);
            }
        }
    }

    @Test
    void aStreamReplacedWhileRunningIsBridgedAtOnce() throws Exception {
        String table = "bridgeReplacedRunning";
        try (LocalAws aws = tableWithItems(table, true)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("rr.dat").toFile());
            VersionedSink sink = new VersionedSink();
            try (CdcHarness cdc = start(checkpoints, sink, uri(aws, table, ""))) {
                cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(60));
                change(aws, table, 30, FILLED);
                ResnapshotTest.awaitEqual(aws, table, sink);

                ResnapshotTest.disableStream(aws, table);
                change(aws, table, 80, 300); // in no stream
                aws.dynamoDb().updateTable(b -> b.tableName(table).streamSpecification(
                        s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
                change(aws, table, 30, 300);

                awaitBridged(aws, table, sink, cdc, checkpoints, "STREAM_REPLACED");
                assertFalse(bridged(cdc.received).isEmpty());
                change(aws, table, 20, 300);
                ResnapshotTest.awaitEqual(aws, table, sink);
            }
        }
    }

    /**
     * Point-in-time recovery enabled only now: the gap is older, it cannot be bridged. Under the FAIL fallback that
     * is surfaced and nothing after it is delivered; restarted with the RESNAPSHOT fallback, a new snapshot recovers.
     */
    @Test
    void aGapPointInTimeRecoveryDoesNotCoverFallsBackAsConfigured() throws Exception {
        String table = "bridgeNotCovered";
        try (LocalAws aws = tableWithItems(table, false)) {
            FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("nc.dat").toFile());
            VersionedSink sink = new VersionedSink();
            downForMoreThanTheRetention(aws, table, checkpoints, sink, uri(aws, table, ""), 20, 50, 20);

            try (CdcHarness failing = start(checkpoints, sink, uri(aws, table, ""))) {
                CdcHarness.awaitCondition(() -> failing.handled.stream().anyMatch(t -> t instanceof TrimmedDataException),
                        Duration.ofSeconds(60), () -> "no gap reported: " + failing.handled);
                String message = failing.handled.stream().filter(t -> t instanceof TrimmedDataException).findFirst()
                        .orElseThrow().getMessage();
                assertTrue(message.contains("cannot be bridged by incremental exports: point-in-time recovery of"
                                            + " table " + table + " reaches back to ")
                           && message.contains(" only, but the gap began at ")
                           && message.contains("incrementalExportFallback=FAIL"), message);
                Thread.sleep(2000);
                assertEquals(List.of(), failing.received, "nothing after the gap is delivered as if nothing happened");
                assertNull(ResnapshotTest.generation(checkpoints, aws, table), "no new generation");
                assertEquals(1, aws.exports().exportRequestCount(), "only the first snapshot's export");
            }

            try (CdcHarness resnapshot = start(checkpoints, sink,
                    uri(aws, table, "&incrementalExportFallback=RESNAPSHOT"))) {
                ResnapshotTest.awaitRecovered(aws, table, sink, resnapshot, checkpoints);
                String generation = ResnapshotTest.generation(checkpoints, aws, table);
                assertTrue(generation.startsWith("v1 2 TRIMMED_DATA ") && !isBridged(generation), generation);
                String message = resnapshot.handled.stream().filter(t -> t instanceof TrimmedDataException)
                        .findFirst().orElseThrow().getMessage();
                assertTrue(message.contains("cannot be bridged") && message.contains("A new snapshot"), message);
                assertTrue(operations(resnapshot.received, "READ")
                           >= SnapshotItems.table(aws.dynamoDb(), table).size(), "a new snapshot delivered every item");
            }
        }
    }
}
