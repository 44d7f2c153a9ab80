package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an export writes into S3: the layout, the manifests and checksums, the lines in both formats. */
class ExportFormatTest {

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static LocalAws aws;
    static DynamoDbClient ddb;

    private static final String BUCKET = "snapshots";
    private static final String TABLE = "everything";
    private static final int ITEMS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        aws = local.get();
        ddb = aws.dynamoDb();
        aws.createBucket(BUCKET);
        Tables.createWithoutStream(ddb, TABLE);
        TestItems.putItems(ddb, TABLE, ITEMS);
        Tables.enablePointInTimeRecovery(ddb, TABLE);
    }

    @BeforeEach
    void defaults() {
        aws.exports().resetControls();
    }

    private static ExportDescription exportAndWait(ExportFormat format, String prefix) {
        String tableArn = ddb.describeTable(b -> b.tableName(TABLE)).table().tableArn();
        String exportArn = ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket(BUCKET).s3Prefix(prefix)
                .exportFormat(format)).exportDescription().exportArn();
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        ExportDescription done = ddb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
        assertEquals(ExportStatus.COMPLETED, done.exportStatus(), () -> done.toString());
        return done;
    }

    private static byte[] get(String key) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> jsonLines(byte[] bytes) {
        String text = TestItems.utf8(bytes);
        assertTrue(text.endsWith("\n"), "JSON lines end with a newline");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(json(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return lines;
    }

    private static String base64Md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static List<String> dataLines(byte[] gzip) {
        String text = TestItems.utf8(ExportTampering.gunzip(gzip));
        if (text.isEmpty()) {
            return List.of();
        }
        assertTrue(text.endsWith("\n"), "every line is newline-terminated");
        return List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    private static Map<String, Map<String, AttributeValue>> tableByKey() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        aws.dynamoDbLocal().client().scanPaginator(b -> b.tableName(TABLE).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("pk").s(), item));
        assertEquals(ITEMS, items.size());
        return items;
    }

    @Test
    void layoutManifestsAndChecksumsMatchTheDataFiles() throws Exception {
        ExportDescription export = exportAndWait(ExportFormat.DYNAMODB_JSON, "layout/2026");
        String id = export.exportArn().substring(export.exportArn().lastIndexOf('/') + 1);
        String dir = "layout/2026/AWSDynamoDB/" + id + "/";
        assertEquals(dir + "manifest-summary.json", export.exportManifest());

        Set<String> keys = new TreeSet<>(aws.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(dir)).contents()
                .stream().map(S3Object::key).toList());
        assertTrue(keys.containsAll(List.of(dir + "_started", dir + "manifest-summary.json",
                dir + "manifest-summary.md5", dir + "manifest-files.json", dir + "manifest-files.md5")),
                keys::toString);
        assertEquals(0, get(dir + "_started").length);

        byte[] summaryBytes = get(dir + "manifest-summary.json");
        assertEquals(base64Md5(summaryBytes), TestItems.utf8(get(dir + "manifest-summary.md5")));
        JsonNode summary = json(summaryBytes);
        for (String field : List.of("version", "exportArn", "startTime", "endTime", "tableArn", "tableId",
                "exportTime", "s3Bucket", "s3Prefix", "s3SseAlgorithm", "s3SseKmsKeyId", "manifestFilesS3Key",
                "billedSizeBytes", "itemCount", "outputFormat", "exportType")) {
            assertTrue(summary.has(field), "manifest-summary.json has " + field + ": " + summary);
        }
        assertEquals("2020-06-30", summary.get("version").textValue());
        assertEquals(export.exportArn(), summary.get("exportArn").textValue());
        assertEquals(export.tableArn(), summary.get("tableArn").textValue());
        assertEquals(export.tableId(), summary.get("tableId").textValue());
        assertEquals(BUCKET, summary.get("s3Bucket").textValue());
        assertEquals("layout/2026", summary.get("s3Prefix").textValue());
        assertTrue(summary.get("s3SseKmsKeyId").isNull());
        assertEquals(ITEMS, summary.get("itemCount").longValue());
        assertEquals(export.billedSizeBytes().longValue(), summary.get("billedSizeBytes").longValue());
        assertTrue(export.billedSizeBytes() > 0);
        assertEquals("DYNAMODB_JSON", summary.get("outputFormat").textValue());
        assertEquals("FULL_EXPORT", summary.get("exportType").textValue());
        assertEquals(export.startTime().toString(), summary.get("startTime").textValue());
        assertEquals(export.endTime().toString(), summary.get("endTime").textValue());
        assertEquals(export.exportTime().toString(), summary.get("exportTime").textValue());
        assertTrue(summary.get("startTime").textValue().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(dir + "manifest-files.json", summary.get("manifestFilesS3Key").textValue());

        byte[] manifestBytes = get(dir + "manifest-files.json");
        assertEquals(base64Md5(manifestBytes), TestItems.utf8(get(dir + "manifest-files.md5")));
        List<JsonNode> manifest = jsonLines(manifestBytes);
        assertEquals(ExportEmulator.DEFAULT_DATA_FILES_PER_EXPORT, manifest.size());
        long items = 0;
        Set<String> dataKeys = new HashSet<>();
        for (JsonNode entry : manifest) {
            String key = entry.get("dataFileS3Key").textValue();
            assertTrue(key.matches("\\Q" + dir + "\\Edata/[a-z2-7]{26}\\.json\\.gz"), key);
            byte[] data = get(key);
            assertEquals(entry.get("md5Checksum").textValue(), base64Md5(data), key);
            String etag = aws.s3().headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
            assertEquals(etag, entry.get("etag").textValue());
            assertEquals(entry.get("itemCount").longValue(), dataLines(data).size(), key);
            items += entry.get("itemCount").longValue();
            dataKeys.add(key);
        }
        assertEquals(ITEMS, items);
        assertEquals(ITEMS, export.itemCount());
        Set<String> listedData = new HashSet<>(keys);
        listedData.removeIf(k -> !k.startsWith(dir + "data/"));
        assertEquals(dataKeys, listedData);
        for (JsonNode entry : manifest) {
            assertTrue(entry.get("itemCount").longValue() > 30, "items spread over the files: " + manifest);
        }
    }

    @Test
    void dynamoDbJsonLinesHoldExactlyTheTable() {
        ExportDescription export = exportAndWait(ExportFormat.DYNAMODB_JSON, "json");
        Map<String, Map<String, AttributeValue>> table = tableByKey();
        Map<String, Map<String, AttributeValue>> exported = readExport(export, TestItems::fromDynamoDbJsonLine);
        assertEquals(table, exported);
        assertEquals("12345678901234567890.123456789", exported.get("item-3").get("n").n());
        assertEquals("0.1", exported.get("item-1").get("n").n());
    }

    @Test
    void ionLinesRoundTripEveryValueExactly() {
        ExportDescription export = exportAndWait(ExportFormat.ION, null);
        assertTrue(export.exportManifest().startsWith("AWSDynamoDB/"), export.exportManifest());
        Map<String, Map<String, AttributeValue>> table = tableByKey();
        Map<String, Map<String, AttributeValue>> exported = readExport(export, TestItems::fromIonLine);
        assertEquals(table.size(), exported.size());
        table.forEach((pk, item) -> assertEquals(TestItems.canonicalNumbers(item), exported.get(pk), pk));

        List<String> lines = new ArrayList<>();
        ExportTampering tampering = ExportTampering.of(aws.s3(), BUCKET, export.exportManifest());
        for (int i = 0; i < tampering.dataFileKeys().size(); i++) {
            assertTrue(tampering.dataFileKeys().get(i).endsWith(".ion.gz"));
            lines.addAll(tampering.readLines(i));
        }
        String item5 = lines.stream().filter(l -> l.contains("\"item-5\"")).findFirst().orElseThrow();
        assertTrue(item5.startsWith("$ion_1_0 {Item:{"), item5);
        assertTrue(item5.contains("n:103.") || item5.contains("n:103,"), item5);
        String item4 = lines.stream().filter(l -> l.contains("\"item-4\"")).findFirst().orElseThrow();
        assertTrue(item4.contains("n:6d2"), "600 in exponent form: " + item4);
        assertTrue(item4.contains("ss:$dynamodb_SS::[") && item4.contains("ns:$dynamodb_NS::[")
                && item4.contains("bs:$dynamodb_BS::[{{"), item4);
        assertTrue(item4.contains("nul:null"), item4);
        String item2 = lines.stream().filter(l -> l.contains("\"item-2\"")).findFirst().orElseThrow();
        assertTrue(item2.contains("n:-1d10"), item2);
    }

    @Test
    void aCompletedExportOfGivenItemsHoldsThemInTheSameFormatAndNotTheTable() throws Exception {
        aws.exports().dataFilesPerExport(3);
        String emptyTable = "given-items";
        Tables.createWithoutStream(ddb, emptyTable);
        Tables.enablePointInTimeRecovery(ddb, emptyTable);
        List<Map<String, AttributeValue>> given = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            given.add(TestItems.item(i));
        }
        String exportArn = aws.exports().completedExportOf(emptyTable, BUCKET, "DYNAMODB_JSON", given.iterator());

        ExportDescription export = ddb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
        assertEquals(ExportStatus.COMPLETED, export.exportStatus());
        assertEquals(50L, export.itemCount());
        Map<String, Map<String, AttributeValue>> exported = readExport(export, TestItems::fromDynamoDbJsonLine);
        Map<String, Map<String, AttributeValue>> expected = new HashMap<>();
        given.forEach(item -> expected.put(item.get("pk").s(), item));
        assertEquals(expected, exported);
        ExportTampering files = ExportTampering.of(aws.s3(), BUCKET, export.exportManifest());
        assertEquals(3, files.dataFileKeys().size());
        List<JsonNode> manifest = jsonLines(get(files.manifestFilesKey()));
        for (JsonNode entry : manifest) {
            assertEquals(base64Md5(get(entry.get("dataFileS3Key").textValue())), entry.get("md5Checksum").textValue());
        }
        assertTrue(ddb.listExports(b -> b.tableArn(export.tableArn())).exportSummaries().stream()
                .anyMatch(s -> s.exportArn().equals(exportArn)), "ListExports knows it");

        String noPitr = "given-items-no-pitr";
        Tables.createWithoutStream(ddb, noPitr);
        assertThrows(AwsServiceError.class,
                () -> aws.exports().completedExportOf(noPitr, BUCKET, "DYNAMODB_JSON", given.iterator()));
    }

    private static Map<String, Map<String, AttributeValue>> readExport(ExportDescription export,
            Function<String, Map<String, AttributeValue>> parser) {
        ExportTampering files = ExportTampering.of(aws.s3(), BUCKET, export.exportManifest());
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (int i = 0; i < files.dataFileKeys().size(); i++) {
            for (String line : files.readLines(i)) {
                Map<String, AttributeValue> item = parser.apply(line);
                assertEquals(null, items.put(item.get("pk").s(), item), "each item once");
            }
        }
        return items;
    }

    @Test
    void itemsLandInTheSameFileIndexEveryTimeAndEmptyFilesAreValidGzip() {
        aws.exports().dataFilesPerExport(7);
        ExportDescription first = exportAndWait(ExportFormat.DYNAMODB_JSON, "stable");
        ExportDescription second = exportAndWait(ExportFormat.DYNAMODB_JSON, "stable");
        ExportTampering a = ExportTampering.of(aws.s3(), BUCKET, first.exportManifest());
        ExportTampering b = ExportTampering.of(aws.s3(), BUCKET, second.exportManifest());
        assertEquals(7, a.dataFileKeys().size());
        for (int i = 0; i < 7; i++) {
            assertEquals(new HashSet<>(a.readLines(i)), new HashSet<>(b.readLines(i)), "file " + i);
        }

        aws.exports().dataFilesPerExport(2);
        String emptyTable = "empty-table";
        Tables.createWithoutStream(ddb, emptyTable);
        Tables.enablePointInTimeRecovery(ddb, emptyTable);
        String arn = ddb.describeTable(x -> x.tableName(emptyTable)).table().tableArn();
        String exportArn = ddb.exportTableToPointInTime(x -> x.tableArn(arn).s3Bucket(BUCKET)).exportDescription()
                .exportArn();
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        ExportDescription empty = ddb.describeExport(x -> x.exportArn(exportArn)).exportDescription();
        assertEquals(0L, empty.itemCount());
        ExportTampering files = ExportTampering.of(aws.s3(), BUCKET, empty.exportManifest());
        assertEquals(2, files.dataFileKeys().size());
        for (String key : files.dataFileKeys()) {
            byte[] gzip = get(key);
            assertEquals(0, ExportTampering.gunzip(gzip).length);
        }
    }

    @Test
    void tamperingChangesWhatItSaysAndNothingElse() throws Exception {
        ExportDescription export = exportAndWait(ExportFormat.DYNAMODB_JSON, "tampered");
        byte[] summary = get(export.exportManifest());
        ExportTampering tampering = ExportTampering.of(aws.s3(), BUCKET, export.exportManifest());
        List<String> keys = tampering.dataFileKeys();
        assertEquals(4, keys.size());
        List<JsonNode> manifest = jsonLines(get(tampering.manifestFilesKey()));
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(manifest.get(i).get("dataFileS3Key").textValue(), keys.get(i), "manifest order");
        }

        // line replaced, checksum updated: only the line is wrong
        List<String> before = tampering.readLines(0);
        tampering.replaceLine(0, 1, "{\"Item\":{\"pk\":{\"S\":\"forged\"}}}", true);
        List<String> after = tampering.readLines(0);
        assertEquals(before.size(), after.size());
        assertEquals("{\"Item\":{\"pk\":{\"S\":\"forged\"}}}", after.get(1));
        assertEquals(before.get(0), after.get(0));
        byte[] manifestBytes = get(tampering.manifestFilesKey());
        assertEquals(base64Md5(get(keys.get(0))), jsonLines(manifestBytes).get(0).get("md5Checksum").textValue());
        String md5Key = tampering.manifestFilesKey().replace(".json", ".md5");
        assertEquals(base64Md5(manifestBytes), TestItems.utf8(get(md5Key)));

        // line replaced, checksum left: the checksum no longer matches
        tampering.replaceLine(1, 0, "{\"Item\":{}}", false);
        assertNotEquals(base64Md5(get(keys.get(1))),
                jsonLines(get(tampering.manifestFilesKey())).get(1).get("md5Checksum").textValue());

        byte[] original = get(keys.get(2));
        tampering.corruptDataFile(2);
        byte[] corrupted = get(keys.get(2));
        assertEquals(original.length, corrupted.length);
        assertFalse(java.util.Arrays.equals(original, corrupted));
        assertEquals(manifest.get(2).get("md5Checksum").textValue(),
                jsonLines(get(tampering.manifestFilesKey())).get(2).get("md5Checksum").textValue());

        tampering.deleteDataFile(3);
        assertThrows(NoSuchKeyException.class, () -> get(keys.get(3)));
        assertEquals(keys, tampering.dataFileKeys(), "the manifest still names it");
        assertArrayEquals(summary, get(export.exportManifest()), "the manifest summary is never touched");
        assertThrows(IndexOutOfBoundsException.class, () -> tampering.replaceLine(0, 10_000, "{}", true));
    }
}
