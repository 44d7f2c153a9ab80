package dev.ddbcdc.camel;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.localaws.ExportTampering;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adopting an existing export, and everything that must stop the snapshot with a clear error instead of skipping:
 * point-in-time recovery off, a missing bucket, a FAILED export, a corrupt line, a wrong checksum, a missing file.
 */
class SnapshotErrorsTest {

    static final String TABLE = "faulty";
    static final String BUCKET = "errors";
    static final int ITEMS = 200;

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static LocalAws aws;
    static String tableArn;

    @BeforeAll
    static void fill() {
        aws = local.get();
        aws.createBucket(BUCKET);
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_IMAGE);
        tableArn = aws.dynamoDb().describeTable(b -> b.tableName(TABLE)).table().tableArn();
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), TABLE);
        SnapshotItems.fill(aws.dynamoDb(), TABLE, ITEMS);
        Tables.createWithStream(aws.dynamoDb(), "no_pitr", StreamViewType.NEW_IMAGE);
    }

    @AfterEach
    void resetEmulator() {
        aws.exports().resetControls();
    }

    /** An export made outside the consumer, as an operator would with the AWS CLI. */
    static ExportDescription completedExport() {
        String arn = aws.dynamoDb().exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket(BUCKET)
                .s3Prefix("manual").clientToken(UUID.randomUUID().toString())).exportDescription().exportArn();
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        return aws.dynamoDb().describeExport(b -> b.exportArn(arn)).exportDescription();
    }

    static ExportTampering tamper(ExportDescription export) {
        return ExportTampering.of(aws.s3(), BUCKET, export.exportManifest());
    }

    static String adoptUri(ExportDescription export) {
        return CdcHarness.snapshotUri(aws, TABLE, null, "exportArn=" + export.exportArn());
    }

    /** Waits for phase FAILED and returns the snapshot failure passed to the exception handler. */
    static SnapshotException awaitFailure(CdcHarness cdc) {
        cdc.awaitPhase(Phase.FAILED, Duration.ofSeconds(30));
        List<Throwable> failures = cdc.handled.stream().filter(t -> t instanceof SnapshotException)
                .collect(Collectors.toList());
        assertEquals(1, failures.size(), "handled: " + cdc.handled);
        return (SnapshotException) failures.get(0);
    }

    /** The checkpoint keys of {@code consumerId} on the table's stream, as the consumer builds them. */
    static CheckpointKeys keys(String consumerId) {
        return new CheckpointKeys(consumerId, streamArn());
    }

    static String streamArn() {
        return aws.dynamoDb().describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
    }

    /** The lines of a data file that were delivered, in delivery order. */
    static List<Long> linesFromFile(CdcHarness cdc, String dataFileKey) {
        return fromFile(cdc, dataFileKey).stream()
                .map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_LINE, Long.class))
                .collect(Collectors.toList());
    }

    static List<Exchange> fromFile(CdcHarness cdc, String dataFileKey) {
        return cdc.received.stream().filter(e -> dataFileKey.equals(e.getMessage()
                .getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE))).collect(Collectors.toList());
    }

    @Test
    void adoptsAnExistingExportWithoutRequestingOne() throws Exception {
        ExportDescription export = completedExport();
        int exports = aws.exports().exportRequestCount();
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(adoptUri(export));
            // the snapshot's items: once they are in, the stream's overlap may deliver changes too
            List<Exchange> reads = SnapshotRestartTest.reads(cdc.await(ITEMS, Duration.ofSeconds(30)));
            assertTrue(reads.stream().allMatch(e -> export.exportArn().equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_ARN))));
            assertEquals(ITEMS, reads.stream().map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))
                    .distinct().count());
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(10));
            assertEquals(exports, aws.exports().exportRequestCount(), "no export requested");
            HealthCheck.Result readiness = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.UP, readiness.getState());
            assertEquals((long) ITEMS, readiness.getDetails().get("snapshot.items.acknowledged"));
            assertEquals("STREAMING", readiness.getDetails().get("phase"));
        }
    }

    @Test
    void aCorruptLineStopsTheSnapshotNamingFileAndLine() throws Exception {
        ExportDescription export = completedExport();
        ExportTampering tampering = tamper(export);
        String file = tampering.dataFileKeys().get(0);
        tampering.replaceLine(0, 3, "{\"Item\":{\"pk\":{\"S\":\"broken\"},", true);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(adoptUri(export));
            SnapshotException failure = awaitFailure(cdc);
            assertTrue(failure.getMessage().contains(file) && failure.getMessage().contains("line 4 "),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains(export.exportArn()), failure.getMessage());
            assertTrue(fromFile(cdc, file).stream().allMatch(
                    e -> e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_LINE, Long.class) < 4),
                    "nothing after the corrupt line was delivered");
            assertFalse(cdc.received.stream().anyMatch(e -> !"READ".equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))), "the stream was not started");
        }
    }

    @Test
    void aReplacedDataFileIsRefusedBeforeAnyOfItsItems() throws Exception {
        ExportDescription export = completedExport();
        ExportTampering tampering = tamper(export);
        String file = tampering.dataFileKeys().get(1);
        tampering.corruptDataFile(1);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(adoptUri(export));
            SnapshotException failure = awaitFailure(cdc);
            assertTrue(failure.getMessage().contains(file) && failure.getMessage().contains("ETag")
                       && failure.getMessage().contains("replaced"), failure.getMessage());
            assertEquals(List.of(), fromFile(cdc, file));
        }
    }

    /**
     * Bytes that do not match the manifest's MD5 (the object itself unchanged, so its ETag still matches: damage in
     * transit): the failure names the file and both checksums, the file is not checkpointed as done, and neither
     * is the snapshot completed nor the stream started.
     */
    @Test
    void aWrongChecksumNamesFileAndBothChecksumsAndNothingCompletes() throws Exception {
        ExportDescription export = completedExport();
        ExportTampering tampering = tamper(export);
        String file = tampering.dataFileKeys().get(0);
        String actual = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                .digest(aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(file)).asByteArray()));
        String expected = tampering.misstateManifestMd5(0);
        SnapshotRestartTest.MapStateRepository checkpoints = new SnapshotRestartTest.MapStateRepository();
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints)) {
            cdc.start(adoptUri(export) + "&consumerId=checksum&checkpointRepository=#checkpoints");
            SnapshotException failure = awaitFailure(cdc);
            assertTrue(failure.getMessage().contains(file) && failure.getMessage().contains(expected)
                       && failure.getMessage().contains(actual), "file " + file + ", manifest MD5 " + expected
                                                                 + ", actual MD5 " + actual + ": "
                                                                 + failure.getMessage());
            Thread.sleep(300);
            assertEquals(Phase.FAILED, cdc.consumer().getPhase());
            assertTrue(cdc.received.stream().allMatch(e -> "READ".equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))), "the stream was not started");
            SnapshotCheckpointStore snapshot = new SnapshotCheckpointStore(checkpoints, keys("checksum"));
            ShardCheckpointStore shards = new ShardCheckpointStore(checkpoints, keys("checksum"));
            // the snapshot is not done: it stays in LOADING, on the adopted export, attempt 1
            var state = snapshot.load();
            assertEquals(Phase.LOADING, state.phase(), "the snapshot is not done: " + checkpoints.states);
            assertEquals(export.exportArn(), state.exportArn());
            assertEquals(1, state.attempt());
            assertEquals(export.exportTime(), state.exportTime());
            // the file is not checkpointed as done, and its line checkpoint is exactly what was delivered (and so
            // acknowledged: the route is synchronous): lines 1..n in order, checkpoint n
            assertFalse(snapshot.isFileDone(file), "the file is not checkpointed as done: " + checkpoints.states);
            List<Long> delivered = linesFromFile(cdc, file);
            assertEquals(LongStream.rangeClosed(1, delivered.size()).boxed().collect(Collectors.toList()), delivered);
            assertEquals(delivered.size(), snapshot.acknowledgedLine(file),
                    "the checkpoint holds the last delivered line: " + checkpoints.states);
            // the other files, loaded concurrently and stopped by the failure: a file is done only if every one of
            // its lines was delivered, otherwise its checkpoint is exactly its last delivered line
            List<String> files = tampering.dataFileKeys();
            for (int i = 1; i < files.size(); i++) {
                String other = files.get(i);
                List<Long> otherLines = linesFromFile(cdc, other);
                if (snapshot.isFileDone(other)) {
                    assertEquals(tampering.readLines(i).size(), otherLines.size(), other + " done: "
                                                                                   + checkpoints.states);
                } else {
                    assertEquals(otherLines.size(), snapshot.acknowledgedLine(other), other + ": "
                                                                                      + checkpoints.states);
                }
            }
            // no shard position was written, and the stream was not started
            assertFalse(shards.streamStarted(), "the stream was not started: " + checkpoints.states);
            List<Shard> streamShards = aws.streams().describeStream(b -> b.streamArn(streamArn()))
                    .streamDescription().shards();
            assertFalse(streamShards.isEmpty());
            for (Shard shard : streamShards) {
                assertNull(shards.load(shard.shardId()), "no position for " + shard.shardId() + ": "
                                                        + checkpoints.states);
            }
            // and nothing else was written than the snapshot's keys and the followed stream
            Set<String> written = new HashSet<>();
            written.add(snapshot.key());
            written.add(shards.followedStreamKey());
            files.forEach(f -> written.add(snapshot.fileKey(f)));
            assertTrue(written.containsAll(checkpoints.states.keySet()), "only the snapshot's keys were written: "
                                                                         + checkpoints.states.keySet());
        }
    }

    @Test
    void aMissingDataFileStopsTheSnapshot() throws Exception {
        ExportDescription export = completedExport();
        ExportTampering tampering = tamper(export);
        String file = tampering.dataFileKeys().get(2);
        tampering.deleteDataFile(2);
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(adoptUri(export));
            SnapshotException failure = awaitFailure(cdc);
            assertTrue(failure.getMessage().contains(file) && failure.getMessage().contains("is missing"),
                    failure.getMessage());
        }
    }

    @Test
    void aFailedExportIsSurfacedWithAwsCodeAndMessage() throws Exception {
        aws.exports().failNextExport("S3AccessDenied", "Access Denied to bucket errors");
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(CdcHarness.snapshotUri(aws, TABLE, BUCKET, "consumerId=failing"));
            SnapshotException failure = awaitFailure(cdc);
            assertTrue(failure.getMessage().contains("S3AccessDenied")
                       && failure.getMessage().contains("Access Denied to bucket errors"), failure.getMessage());
            assertTrue(cdc.received.isEmpty());
            HealthCheck.Result readiness = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.DOWN, readiness.getState());
            assertTrue(readiness.getMessage().get().contains("S3AccessDenied"), readiness.getMessage().get());
            assertEquals("FAILED", readiness.getDetails().get("phase"));
        }
    }

    @Test
    void aRestartAfterAFailedExportRequestsANewOne() throws Exception {
        SnapshotRestartTest.MapStateRepository checkpoints = new SnapshotRestartTest.MapStateRepository();
        String uri = CdcHarness.snapshotUri(aws, TABLE, BUCKET, "consumerId=retried&checkpointRepository=#checkpoints");
        aws.exports().failNextExport("S3AccessDenied", "Access Denied");
        int exports = aws.exports().exportRequestCount();
        SnapshotCheckpointStore snapshot = new SnapshotCheckpointStore(checkpoints, keys("retried"));
        String failedArn;
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints)) {
            cdc.start(uri);
            awaitFailure(cdc);
            // the failed export stays checkpointed, attempt 1, still EXPORTING (it never completed)
            var failed = snapshot.load();
            assertEquals(Phase.EXPORTING, failed.phase(), "after the failure: " + checkpoints.states);
            assertEquals(1, failed.attempt());
            failedArn = failed.exportArn();
            assertEquals(ExportStatus.FAILED, aws.dynamoDb().describeExport(b -> b.exportArn(failedArn))
                    .exportDescription().exportStatus());
        }
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints)) {
            cdc.start(uri);
            cdc.await(ITEMS, Duration.ofSeconds(30));
            assertEquals(exports + 2, aws.exports().exportRequestCount(), "one new export after the failed one");
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(10));
            // attempt 2 checkpointed, DONE, on the new export: the one every item came from
            var done = snapshot.load();
            assertEquals(Phase.STREAMING, done.phase(), "attempt 2 checkpointed: " + checkpoints.states);
            assertEquals(2, done.attempt(), "attempt 2 checkpointed: " + checkpoints.states);
            List<Object> itemExports = cdc.received.stream()
                    .map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.EXPORT_ARN)).distinct()
                    .collect(Collectors.toList());
            assertEquals(List.of(done.exportArn()), itemExports);
            assertNotEquals(failedArn, done.exportArn());
            ExportDescription second = aws.dynamoDb().describeExport(b -> b.exportArn(done.exportArn()))
                    .exportDescription();
            assertEquals(ExportStatus.COMPLETED, second.exportStatus());
            assertEquals(second.exportTime(), done.exportTime());
            // every data file of the new export is checkpointed as done
            for (String file : tamper(second).dataFileKeys()) {
                assertTrue(snapshot.isFileDone(file), file + " done: " + checkpoints.states);
            }
        }
    }

    @Test
    void pointInTimeRecoveryOffFailsTheStartSayingHowToEnableIt() {
        String message = StartupValidationTest.startFailure(CdcHarness.snapshotUri(aws, "no_pitr", BUCKET, ""));
        assertTrue(message.contains("point-in-time recovery") && message.contains("update-continuous-backups"),
                message);
    }

    @Test
    void aMissingBucketFailsTheStart() {
        String message = StartupValidationTest.startFailure(CdcHarness.snapshotUri(aws, TABLE, "no-such-bucket", ""));
        assertTrue(message.contains("exportS3Bucket 'no-such-bucket' does not exist"), message);
    }

    @Test
    void anExportOfAnotherTableIsRefused() {
        String message = StartupValidationTest.startFailure(CdcHarness.snapshotUri(aws, TABLE, null,
                "exportArn=arn:aws:dynamodb:ddblocal:000000000000:table/other/export/01700000000000-abcdef01"));
        assertTrue(message.contains("exportArn must be the ARN of an export of table faulty"), message);
    }
}
