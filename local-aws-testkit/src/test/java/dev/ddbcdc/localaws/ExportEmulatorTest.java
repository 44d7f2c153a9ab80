package dev.ddbcdc.localaws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsStatus;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportSummary;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.InvalidExportTimeException;
import software.amazon.awssdk.services.dynamodb.model.ListExportsResponse;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryUnavailableException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulated control plane (PITR, export requests and their life cycle, listing) and the forwarding. */
class ExportEmulatorTest {

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static LocalAws aws;
    static DynamoDbClient ddb;

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String BUCKET = "exports";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        aws = local.get();
        ddb = aws.dynamoDb();
        aws.createBucket(BUCKET);
    }

    @BeforeEach
    void defaults() {
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        aws.exports().resetControls();
    }

    private static String newTable() {
        String table = "table-" + NAMES.incrementAndGet();
        Tables.createWithoutStream(ddb, table);
        return table;
    }

    private static String arn(String table) {
        return ddb.describeTable(b -> b.tableName(table)).table().tableArn();
    }

    private static ExportDescription export(String table, ExportTableToPointInTimeRequest.Builder request) {
        return ddb.exportTableToPointInTime(request.tableArn(arn(table)).s3Bucket(BUCKET).build())
                .exportDescription();
    }

    private static ExportDescription awaitEnd(String exportArn) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ExportDescription d = ddb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
            if (d.exportStatus() != ExportStatus.IN_PROGRESS) {
                return d;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Export still running: " + d);
            }
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> keysUnder(String prefix) {
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    @Test
    void pointInTimeRecoveryIsOffUntilEnabledAndExportsNeedIt() {
        String table = newTable();
        PointInTimeRecoveryDescription off = ddb.describeContinuousBackups(b -> b.tableName(table))
                .continuousBackupsDescription().pointInTimeRecoveryDescription();
        assertEquals(PointInTimeRecoveryStatus.DISABLED, off.pointInTimeRecoveryStatus());

        int requests = aws.exports().exportRequestCount();
        PointInTimeRecoveryUnavailableException unavailable = assertThrows(
                PointInTimeRecoveryUnavailableException.class,
                () -> export(table, ExportTableToPointInTimeRequest.builder()));
        assertTrue(unavailable.getMessage().contains(table), unavailable.getMessage());
        assertEquals(requests, aws.exports().exportRequestCount());

        Instant beforeEnabling = aws.exports().clock().instant().minusMillis(1);
        Tables.enablePointInTimeRecovery(ddb, table);
        ContinuousBackupsDescription on = ddb.describeContinuousBackups(b -> b.tableName(arn(table)))
                .continuousBackupsDescription();
        assertEquals(ContinuousBackupsStatus.ENABLED, on.continuousBackupsStatus());
        PointInTimeRecoveryDescription pitr = on.pointInTimeRecoveryDescription();
        assertEquals(PointInTimeRecoveryStatus.ENABLED, pitr.pointInTimeRecoveryStatus());
        assertFalse(pitr.earliestRestorableDateTime().isBefore(beforeEnabling.minusMillis(1)));
        assertFalse(pitr.latestRestorableDateTime().isBefore(pitr.earliestRestorableDateTime()));

        ExportDescription done = awaitEnd(export(table, ExportTableToPointInTimeRequest.builder()).exportArn());
        assertEquals(ExportStatus.COMPLETED, done.exportStatus());

        ddb.updateContinuousBackups(b -> b.tableName(table)
                .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
        assertThrows(PointInTimeRecoveryUnavailableException.class,
                () -> export(table, ExportTableToPointInTimeRequest.builder()));
    }

    @Test
    void pointInTimeRecoveryEndsWithTheTable() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        ddb.deleteTable(b -> b.tableName(table));
        Tables.createWithoutStream(ddb, table);
        assertEquals(PointInTimeRecoveryStatus.DISABLED, ddb.describeContinuousBackups(b -> b.tableName(table))
                .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatus());
    }

    @Test
    void unknownTablesAndExportsRaiseTheModeledExceptions() {
        assertThrows(TableNotFoundException.class, () -> ddb.describeContinuousBackups(b -> b.tableName("nope")));
        assertThrows(TableNotFoundException.class, () -> Tables.enablePointInTimeRecovery(ddb, "nope"));
        assertThrows(TableNotFoundException.class, () -> ddb.exportTableToPointInTime(b -> b.s3Bucket(BUCKET)
                .tableArn("arn:aws:dynamodb:ddblocal:000000000000:table/nope")));
        String table = newTable();
        TableNotFoundException otherRegion = assertThrows(TableNotFoundException.class,
                () -> ddb.exportTableToPointInTime(b -> b.s3Bucket(BUCKET)
                        .tableArn("arn:aws:dynamodb:us-east-1:123456789012:table/" + table)));
        assertTrue(otherRegion.getMessage().contains(arn(table)), otherRegion.getMessage());
        assertThrows(ExportNotFoundException.class, () -> ddb.describeExport(b -> b.exportArn(arn(table)
                + "/export/01700000000000-0badf00d")));
    }

    @Test
    void malformedRequestsAreValidationErrors() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        DynamoDbException incremental = assertThrows(DynamoDbException.class, () -> export(table,
                ExportTableToPointInTimeRequest.builder().exportType(ExportType.INCREMENTAL_EXPORT)));
        assertEquals("ValidationException", incremental.awsErrorDetails().errorCode());
        assertTrue(incremental.getMessage().contains("Incremental Export Specification expected"),
                incremental.getMessage());

        DynamoDbException badBucket = assertThrows(DynamoDbException.class, () -> ddb.exportTableToPointInTime(
                b -> b.tableArn(arn(table)).s3Bucket("-bad bucket-")));
        assertEquals("ValidationException", badBucket.awsErrorDetails().errorCode());
        assertEquals(400, badBucket.statusCode());
    }

    @Test
    void exportTimeMustBeWithinTheRecoveryWindow() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant now = aws.exports().clock().instant();
        assertThrows(InvalidExportTimeException.class, () -> export(table,
                ExportTableToPointInTimeRequest.builder().exportTime(now.plusSeconds(60))));
        assertThrows(InvalidExportTimeException.class, () -> export(table,
                ExportTableToPointInTimeRequest.builder().exportTime(now.minusSeconds(60))));
        sleep(5);
        Instant exportTime = aws.exports().clock().instant().minusMillis(2);
        ExportDescription d = export(table, ExportTableToPointInTimeRequest.builder().exportTime(exportTime));
        assertEquals(exportTime.toEpochMilli(), d.exportTime().toEpochMilli());
    }

    @Test
    void theClockMovesForwardWhenAskedAndExportTimesFollowIt() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant enabled = aws.exports().clock().instant();
        aws.exports().advanceClock(Duration.ofHours(2));
        PointInTimeRecoveryDescription pitr = ddb.describeContinuousBackups(b -> b.tableName(table))
                .continuousBackupsDescription().pointInTimeRecoveryDescription();
        assertFalse(pitr.latestRestorableDateTime().isBefore(enabled.plus(Duration.ofHours(2))), pitr::toString);
        assertFalse(pitr.earliestRestorableDateTime().isAfter(enabled), pitr::toString);

        Instant anHourLater = enabled.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        ExportDescription d = awaitEnd(export(table, ExportTableToPointInTimeRequest.builder()
                .exportTime(anHourLater)).exportArn());
        assertEquals(ExportStatus.COMPLETED, d.exportStatus(), "an hour after enabling is in the recovery window");
        assertEquals(anHourLater, d.exportTime());
        assertFalse(d.startTime().isBefore(enabled.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS)));
        assertThrows(IllegalArgumentException.class, () -> aws.exports().advanceClock(Duration.ofSeconds(-1)));
    }

    @Test
    void clientTokenMakesTheRequestIdempotent() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        int before = aws.exports().exportRequestCount();
        ExportDescription first = export(table, ExportTableToPointInTimeRequest.builder().clientToken("token-1")
                .s3Prefix("idem"));
        ExportDescription again = export(table, ExportTableToPointInTimeRequest.builder().clientToken("token-1")
                .s3Prefix("idem"));
        assertEquals(first.exportArn(), again.exportArn());
        assertEquals("token-1", again.clientToken());
        assertEquals(before + 1, aws.exports().exportRequestCount());
        assertEquals(ExportStatus.COMPLETED, awaitEnd(first.exportArn()).exportStatus());
        assertEquals(ExportStatus.COMPLETED,
                export(table, ExportTableToPointInTimeRequest.builder().clientToken("token-1").s3Prefix("idem"))
                        .exportStatus(), "the same export, now completed");

        assertThrows(IdempotentParameterMismatchException.class, () -> export(table,
                ExportTableToPointInTimeRequest.builder().clientToken("token-1").s3Prefix("other")));
        assertEquals(before + 1, aws.exports().exportRequestCount());

        // the SDK sends a fresh token with every call that names none
        export(table, ExportTableToPointInTimeRequest.builder().s3Prefix("idem"));
        assertEquals(before + 2, aws.exports().exportRequestCount());
    }

    @Test
    void exportStaysInProgressForTheDelayWhileTheTableChanges() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("before"))));
        aws.exports().exportDelay(Duration.ofMillis(1500)).scanAtRequest(true);
        ExportDescription started = export(table, ExportTableToPointInTimeRequest.builder().s3Prefix("delayed"));
        assertEquals(ExportStatus.IN_PROGRESS, started.exportStatus());
        assertNull(started.exportManifest());
        assertNull(started.endTime());
        assertNotNull(started.startTime());
        String directory = "delayed/AWSDynamoDB/" + started.exportArn().substring(started.exportArn()
                .lastIndexOf('/') + 1) + "/";
        assertEquals(List.of(directory + "_started"), keysUnder(directory));

        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("during"))));
        sleep(300);
        assertEquals(ExportStatus.IN_PROGRESS, ddb.describeExport(b -> b.exportArn(started.exportArn()))
                .exportDescription().exportStatus());

        ExportDescription done = awaitEnd(started.exportArn());
        assertEquals(ExportStatus.COMPLETED, done.exportStatus());
        assertEquals(1L, done.itemCount(), "scanned at request: the item written during the export is not in it");
        assertFalse(Duration.between(done.startTime(), done.endTime()).minusMillis(1500).isNegative());
        assertEquals(directory + "manifest-summary.json", done.exportManifest());

        aws.exports().exportDelay(Duration.ZERO);
        assertEquals(ExportStatus.IN_PROGRESS, export(table, ExportTableToPointInTimeRequest.builder()).exportStatus(),
                "the request is answered before the export ends, even without delay");
    }

    @Test
    void failNextExportEndsItFailedWithOnlyTheStartedMarker() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        aws.exports().failNextExport("S3AccessDenied", "Access Denied to the bucket");
        ExportDescription failed = awaitEnd(export(table, ExportTableToPointInTimeRequest.builder()
                .s3Prefix("failing")).exportArn());
        assertEquals(ExportStatus.FAILED, failed.exportStatus());
        assertEquals("S3AccessDenied", failed.failureCode());
        assertEquals("Access Denied to the bucket", failed.failureMessage());
        assertNull(failed.exportManifest());
        assertNotNull(failed.endTime());
        String id = failed.exportArn().substring(failed.exportArn().lastIndexOf('/') + 1);
        assertEquals(List.of("failing/AWSDynamoDB/" + id + "/_started"), keysUnder("failing/AWSDynamoDB/" + id));

        ExportDescription next = awaitEnd(export(table, ExportTableToPointInTimeRequest.builder()).exportArn());
        assertEquals(ExportStatus.COMPLETED, next.exportStatus(), "only the next export fails");
    }

    @Test
    void missingBucketEndsTheExportFailed() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        ExportDescription failed = awaitEnd(ddb.exportTableToPointInTime(b -> b.tableArn(arn(table))
                .s3Bucket("no-such-bucket")).exportDescription().exportArn());
        assertEquals(ExportStatus.FAILED, failed.exportStatus());
        assertEquals(ExportEmulator.S3_NO_SUCH_BUCKET, failed.failureCode());
        assertTrue(failed.failureMessage().contains("no-such-bucket"), failed.failureMessage());
    }

    @Test
    void describeExportShowsTheRequest() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        ExportDescription d = awaitEnd(export(table, ExportTableToPointInTimeRequest.builder().s3Prefix("described")
                .s3BucketOwner("123456789012").s3SseAlgorithm("AES256").exportFormat(ExportFormat.ION)
                .clientToken("described-1")).exportArn());
        assertTrue(d.exportArn().matches("\\Q" + arn(table) + "\\E/export/\\d{13}-[0-9a-f]{8}"), d.exportArn());
        assertEquals(arn(table), d.tableArn());
        assertNotNull(d.tableId());
        assertEquals(BUCKET, d.s3Bucket());
        assertEquals("described", d.s3Prefix());
        assertEquals("123456789012", d.s3BucketOwner());
        assertEquals("AES256", d.s3SseAlgorithmAsString());
        assertEquals(ExportFormat.ION, d.exportFormat());
        assertEquals(ExportType.FULL_EXPORT, d.exportType());
        assertEquals("described-1", d.clientToken());
        assertEquals(0L, d.itemCount());
        assertEquals(0L, d.billedSizeBytes());
        assertFalse(d.exportTime().isAfter(d.startTime()));
        assertFalse(d.endTime().isBefore(d.startTime()));
    }

    @Test
    void listExportsPagesAndFiltersByTable() {
        String table = newTable();
        String other = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        Tables.enablePointInTimeRecovery(ddb, other);
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            arns.add(export(table, ExportTableToPointInTimeRequest.builder().s3Prefix("listed")).exportArn());
            export(other, ExportTableToPointInTimeRequest.builder().s3Prefix("listed"));
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListExportsResponse page = ddb.listExports(b -> b.tableArn(arn(table)).maxResults(2).nextToken(next));
            page.exportSummaries().forEach(s -> {
                assertEquals(ExportType.FULL_EXPORT, s.exportType());
                assertNotNull(s.exportStatus());
            });
            listed.addAll(page.exportSummaries().stream().map(ExportSummary::exportArn).toList());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(arns, listed);
        assertEquals(3, pages);
        List<String> all = ddb.listExportsPaginator(b -> b.maxResults(3)).stream()
                .flatMap(page -> page.exportSummaries().stream()).map(ExportSummary::exportArn).toList();
        assertTrue(all.containsAll(arns));
        assertTrue(all.size() >= 10);
    }

    @Test
    void everythingElseIsForwardedToDynamoDbLocal() {
        String table = "forwarded";
        String streamArn = Tables.createWithStream(ddb, table, StreamViewType.NEW_AND_OLD_IMAGES);
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"),
                "n", AttributeValue.fromN("12345678901234567890.123456789"))));
        assertEquals("12345678901234567890.123456789", ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("a")))).item().get("n").n());
        assertEquals(1, aws.dynamoDbLocal().client().scan(b -> b.tableName(table)).count(), "same database");
        assertThrows(ResourceNotFoundException.class, () -> ddb.getItem(b -> b.tableName("missing")
                .key(Map.of("pk", AttributeValue.fromS("a")))));

        DynamoDbStreamsClient streams = aws.streams();
        Shard shard = Tables.shards(streams, streamArn).get(0);
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = streams.getRecords(b -> b.shardIterator(iterator)).records();
        assertEquals(1, records.size());
        assertEquals("a", records.get(0).dynamodb().newImage().get("pk").s());

        aws.dynamoDbLocal().triggerShardRollovers();
        assertEquals(2, Tables.shards(streams, streamArn).size());
    }

    @Test
    void largeStreamPagesPassThrough() {
        String table = "stream-pages";
        String streamArn = Tables.createWithStream(ddb, table, StreamViewType.NEW_IMAGE);
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            int n = i;
            batch.add(WriteRequest.builder().putRequest(p -> p.item(
                    Map.of("pk", AttributeValue.fromS("k" + n), "v", AttributeValue.fromS("x".repeat(200))))).build());
            if (batch.size() == 25) {
                List<WriteRequest> requests = List.copyOf(batch);
                ddb.batchWriteItem(b -> b.requestItems(Map.of(table, requests)));
                batch.clear();
            }
        }
        DynamoDbStreamsClient streams = aws.streams();
        Shard shard = Tables.shards(streams, streamArn).get(0);
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Integer> pageSizes = new ArrayList<>();
        while (pageSizes.stream().mapToInt(Integer::intValue).sum() < 1200) {
            String current = iterator;
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
            pageSizes.add(page.records().size());
            iterator = page.nextShardIterator();
        }
        assertEquals(List.of(1000, 200), pageSizes);
    }

    /** A request as the SDK would send it, over plain HTTP (DynamoDB Local does not check signatures). */
    private static HttpResponse<String> raw(URI endpoint, String operation, String table) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + LocalDynamoDb.ACCESS_KEY
                        + "/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"" + table + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardedAnswersAreUnchangedAndEmulatedOnesUseTheProtocolsForms() throws Exception {
        String table = newTable();
        HttpResponse<String> direct = raw(aws.dynamoDbLocal().endpoint(), "DescribeTable", table);
        HttpResponse<String> forwarded = raw(aws.dynamoDbEndpoint(), "DescribeTable", table);
        assertEquals(200, forwarded.statusCode());
        assertEquals(direct.body(), forwarded.body());
        assertEquals(direct.headers().firstValue("x-amz-crc32"), forwarded.headers().firstValue("x-amz-crc32"));
        assertEquals(direct.headers().firstValue("Content-Type"), forwarded.headers().firstValue("Content-Type"));

        HttpResponse<String> missing = raw(aws.dynamoDbEndpoint(), "DescribeContinuousBackups", table);
        assertEquals(200, missing.statusCode(), missing.body());
        Tables.enablePointInTimeRecovery(ddb, table);
        HttpResponse<String> enabled = raw(aws.dynamoDbEndpoint(), "DescribeContinuousBackups", table);
        assertEquals("application/x-amz-json-1.0", enabled.headers().firstValue("Content-Type").orElseThrow());
        JsonNode pitr = new ObjectMapper().readTree(enabled.body())
                .get("ContinuousBackupsDescription").get("PointInTimeRecoveryDescription");
        assertTrue(pitr.get("EarliestRestorableDateTime").isNumber(), enabled.body());
        assertTrue(pitr.get("LatestRestorableDateTime").isNumber(), enabled.body());

        ddb.deleteTable(b -> b.tableName(table));
        HttpResponse<String> notFound = raw(aws.dynamoDbEndpoint(), "DescribeContinuousBackups", table);
        assertEquals(400, notFound.statusCode());
        assertEquals("TableNotFoundException", notFound.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(notFound.body().contains("\"__type\":\"com.amazonaws.dynamodb.v20120810#TableNotFoundException\""),
                notFound.body());
    }
}
