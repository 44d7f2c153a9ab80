package dev.ddbcdc.localaws;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbcdc.localaws.IncrementalKit.Change;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;

import static dev.ddbcdc.localaws.IncrementalKit.BUCKET;
import static dev.ddbcdc.localaws.IncrementalKit.arn;
import static dev.ddbcdc.localaws.IncrementalKit.aws;
import static dev.ddbcdc.localaws.IncrementalKit.boundary;
import static dev.ddbcdc.localaws.IncrementalKit.ddb;
import static dev.ddbcdc.localaws.IncrementalKit.delete;
import static dev.ddbcdc.localaws.IncrementalKit.export;
import static dev.ddbcdc.localaws.IncrementalKit.item;
import static dev.ddbcdc.localaws.IncrementalKit.key;
import static dev.ddbcdc.localaws.IncrementalKit.lines;
import static dev.ddbcdc.localaws.IncrementalKit.micros;
import static dev.ddbcdc.localaws.IncrementalKit.newTable;
import static dev.ddbcdc.localaws.IncrementalKit.now;
import static dev.ddbcdc.localaws.IncrementalKit.put;
import static dev.ddbcdc.localaws.IncrementalKit.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incremental exports: what their lines hold (compaction, old and new images, both views, both formats), the manifest
 * summary and DescribeExport. {@link IncrementalExportRequestsTest} has the request rules and the recorded writes.
 */
class IncrementalExportTest {

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    @BeforeAll
    static void start() {
        IncrementalKit.use(local.get());
    }

    @BeforeEach
    void defaults() {
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        aws.exports().resetControls();
    }

    @Test
    void insertsUpdatesAndDeletesInTheWindowCarryTheirNewImageAndTheImageAtTheStart() {
        String table = newTable();
        put(table, item("updated", "v", 1, "s", "before"));
        put(table, item("deleted", "v", 1));
        put(table, item("untouched", "v", 1));
        Tables.enablePointInTimeRecovery(ddb, table); // these three are the baseline
        aws.exports().advanceClock(Duration.ofMinutes(1));
        put(table, item("replaced", "v", 1)); // recorded, before the window

        Instant from = boundary();
        Instant beforeWrites = now();
        put(table, item("inserted", "v", 7));
        ddb.updateItem(b -> b.tableName(table).key(key("updated")).updateExpression("SET v = :v REMOVE s")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("2"))));
        delete(table, "deleted");
        put(table, item("replaced", "v", 2, "new", "attribute"));
        put(table, item("inserted then deleted", "v", 1));
        delete(table, "inserted then deleted");
        delete(table, "never existed");
        Instant afterWrites = now();
        aws.exports().advanceClock(Duration.ofMinutes(20));
        Instant to = boundary();
        put(table, item("untouched", "v", 2)); // after the window
        put(table, item("updated", "v", 3));

        ExportDescription export = export(table, from, to, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON);
        Map<String, Change> changes = read(export.exportManifest(), IncrementalKit::fromJson);
        assertEquals(List.of("deleted", "inserted", "replaced", "updated"), changes.keySet().stream().sorted().toList());
        assertEquals(4L, export.itemCount());

        Change inserted = changes.get("inserted");
        assertEquals(key("inserted"), inserted.keys());
        assertEquals(item("inserted", "v", 7), inserted.newImage());
        assertNull(inserted.oldImage(), "no old image for an item that did not exist at the start");
        Change updated = changes.get("updated");
        assertEquals(item("updated", "v", 2), updated.newImage());
        assertEquals(item("updated", "v", 1, "s", "before"), updated.oldImage());
        Change deleted = changes.get("deleted");
        assertNull(deleted.newImage(), "no new image for a deleted item");
        assertEquals(item("deleted", "v", 1), deleted.oldImage());
        Change replaced = changes.get("replaced");
        assertEquals(item("replaced", "v", 2, "new", "attribute"), replaced.newImage());
        assertEquals(item("replaced", "v", 1), replaced.oldImage(), "recorded before the window: the state at start");
        for (Change change : changes.values()) {
            assertTrue(change.writeTimestampMicros() >= micros(beforeWrites)
                    && change.writeTimestampMicros() <= micros(afterWrites), change::toString);
        }
        assertTrue(inserted.writeTimestampMicros() < deleted.writeTimestampMicros(), "write order");
    }

    @Test
    void pointInTimeRecoveryEnabledSinceAnEarlierTimeHoldsTheTableAsItIsFromThen() {
        String table = newTable();
        put(table, item("existing", "v", 1));
        put(table, item("deleted", "v", 1));
        Instant since = now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
        aws.exports().enablePointInTimeRecoverySince(table, since);
        assertEquals(since, ddb.describeContinuousBackups(b -> b.tableName(table)).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().earliestRestorableDateTime());
        Instant from = now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.MILLIS);
        put(table, item("existing", "v", 2));
        delete(table, "deleted");
        put(table, item("inserted", "v", 1));
        Instant to = boundary();

        ExportDescription export = export(table, from, to, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON);
        Map<String, Change> changes = read(export.exportManifest(), IncrementalKit::fromJson);
        assertEquals(List.of("deleted", "existing", "inserted"), changes.keySet().stream().sorted().toList());
        assertEquals(item("existing", "v", 1), changes.get("existing").oldImage(), "as it was since then");
        assertNull(changes.get("deleted").newImage());
        assertEquals(item("deleted", "v", 1), changes.get("deleted").oldImage(), "a deletion is a line");
        assertNull(changes.get("inserted").oldImage());
        assertThrows(IllegalStateException.class,
                () -> aws.exports().enablePointInTimeRecoverySince(table, since), "enabled already");
        assertThrows(IllegalArgumentException.class,
                () -> aws.exports().enablePointInTimeRecoverySince(newTable(), now().plusSeconds(60)));
    }

    @Test
    void severalWritesInTheWindowCompactToTheLastStateAtTheLastWriteTime() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant t0 = boundary();
        put(table, item("a", "v", 1));
        put(table, item("b", "v", 1));
        aws.exports().advanceClock(Duration.ofMinutes(16));
        Instant t1 = boundary();
        put(table, item("a", "v", 2));
        put(table, item("a", "v", 3));
        Instant lastWrite = now();
        put(table, item("a", "v", 4));
        delete(table, "b");
        put(table, item("b", "v", 5));
        aws.exports().advanceClock(Duration.ofMinutes(16));
        Instant t2 = boundary();

        Map<String, Change> first = read(export(table, t0, t1, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON).exportManifest(), IncrementalKit::fromJson);
        assertEquals(item("a", "v", 1), first.get("a").newImage());
        assertNull(first.get("a").oldImage());
        assertEquals(2, first.size());

        Map<String, Change> second = read(export(table, t1, t2, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON).exportManifest(), IncrementalKit::fromJson);
        assertEquals(item("a", "v", 4), second.get("a").newImage(), "the last state in the window");
        assertEquals(item("a", "v", 1), second.get("a").oldImage(), "the state at the window's start");
        assertTrue(second.get("a").writeTimestampMicros() > micros(lastWrite), "the time of the last write");
        assertEquals(item("b", "v", 5), second.get("b").newImage(), "deleted then put again: an update");
        assertEquals(item("b", "v", 1), second.get("b").oldImage());

        Map<String, Change> both = read(export(table, t0, t2, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON).exportManifest(), IncrementalKit::fromJson);
        assertEquals(item("a", "v", 4), both.get("a").newImage());
        assertNull(both.get("a").oldImage(), "a did not exist at t0");
        assertEquals(second.get("a").writeTimestampMicros(), both.get("a").writeTimestampMicros());
    }

    @Test
    void newImageViewHasNoOldImages() {
        String table = newTable();
        put(table, item("updated", "v", 1));
        put(table, item("deleted", "v", 1));
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant from = boundary();
        put(table, item("updated", "v", 2));
        delete(table, "deleted");
        put(table, item("inserted", "v", 3));
        aws.exports().advanceClock(Duration.ofMinutes(15));
        Instant to = boundary();

        ExportDescription export = export(table, from, to, ExportViewType.NEW_IMAGE, ExportFormat.DYNAMODB_JSON);
        Map<String, Change> changes = read(export.exportManifest(), IncrementalKit::fromJson);
        assertEquals(3, changes.size());
        changes.values().forEach(change -> assertNull(change.oldImage(), change::toString));
        assertEquals(item("updated", "v", 2), changes.get("updated").newImage());
        assertEquals(item("inserted", "v", 3), changes.get("inserted").newImage());
        assertNull(changes.get("deleted").newImage(), "a delete is its keys alone");
        assertEquals(key("deleted"), changes.get("deleted").keys());
        String deleteLine = lines(export.exportManifest()).stream().filter(l -> l.contains("\"deleted\""))
                .findFirst().orElseThrow();
        assertTrue(deleteLine.matches("\\{\"Metadata\":\\{\"WriteTimestampMicros\":\\{\"N\":\"\\d{16}\"}},"
                + "\"Keys\":\\{\"pk\":\\{\"S\":\"deleted\"}}}"), deleteLine);
        assertEquals(ExportViewType.NEW_IMAGE, export.incrementalExportSpecification().exportViewType());
    }

    @Test
    void ionLinesHoldTheSameChangesAsDynamoDbJson() {
        String table = newTable();
        TestItems.putItems(ddb, table, 12);
        Tables.enablePointInTimeRecovery(ddb, table);
        Map<String, AttributeValue> item3 = ddb.getItem(b -> b.tableName(table).key(key("item-3"))
                .consistentRead(true)).item();
        Instant from = boundary();
        for (int i = 0; i < 6; i++) {
            put(table, TestItems.item(i + 100));
            int n = i;
            ddb.updateItem(b -> b.tableName(table).key(key("item-" + n)).updateExpression("SET n = :n")
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("600"))));
            delete(table, "item-" + (i + 6));
        }
        aws.exports().advanceClock(Duration.ofHours(2));
        Instant to = boundary();

        ExportDescription json = export(table, from, to, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON);
        ExportDescription ion = export(table, from, to, ExportViewType.NEW_AND_OLD_IMAGES, ExportFormat.ION);
        Map<String, Change> fromJson = read(json.exportManifest(), IncrementalKit::fromJson);
        Map<String, Change> fromIon = read(ion.exportManifest(), IncrementalKit::fromIon);
        assertEquals(18, fromJson.size());
        assertEquals(fromJson.keySet(), fromIon.keySet());
        fromJson.forEach((pk, change) -> {
            Change other = fromIon.get(pk);
            assertEquals(change.writeTimestampMicros(), other.writeTimestampMicros(), pk);
            assertEquals(change.keys(), other.keys(), pk);
            assertEquals(change.newImage() == null ? null : TestItems.canonicalNumbers(change.newImage()),
                    other.newImage(), pk);
            assertEquals(change.oldImage() == null ? null : TestItems.canonicalNumbers(change.oldImage()),
                    other.oldImage(), pk);
        });
        assertEquals(item3, fromJson.get("item-3").oldImage());
        assertEquals("600", fromJson.get("item-3").newImage().get("n").n());
        assertEquals(ddb.getItem(b -> b.tableName(table).key(key("item-101")).consistentRead(true)).item(),
                fromJson.get("item-101").newImage(), "the item as DynamoDB holds it");
        assertNull(fromJson.get("item-7").newImage());
        ExportTampering.of(aws.s3(), BUCKET, ion.exportManifest()).dataFileKeys()
                .forEach(k -> assertTrue(k.endsWith(".ion.gz"), k));
        String line = lines(ion.exportManifest()).stream().filter(l -> l.contains("Keys:{pk:\"item-3\"}"))
                .findFirst().orElseThrow();
        assertTrue(line.contains("NewImage:{") && line.contains("OldImage:{") && line.contains("n:6d2"), line);
    }

    @Test
    void describeExportAndTheManifestSummaryNameTheWindowAndTheView() throws IOException {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant from = boundary();
        put(table, item("a", "v", 1));
        aws.exports().advanceClock(Duration.ofMinutes(30));
        Instant beforeRequest = now().truncatedTo(ChronoUnit.MILLIS);
        ExportDescription started = ddb.exportTableToPointInTime(b -> b.tableArn(arn(table)).s3Bucket(BUCKET)
                .s3Prefix("inc/2026").exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(from))).exportDescription();
        Instant afterRequest = now();
        assertEquals(ExportStatus.IN_PROGRESS, started.exportStatus());
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        ExportDescription d = ddb.describeExport(b -> b.exportArn(started.exportArn())).exportDescription();

        assertEquals(ExportStatus.COMPLETED, d.exportStatus());
        assertEquals(ExportType.INCREMENTAL_EXPORT, d.exportType());
        assertEquals(from, d.incrementalExportSpecification().exportFromTime());
        Instant to = d.incrementalExportSpecification().exportToTime();
        assertFalse(to.isBefore(beforeRequest) || to.isAfter(afterRequest), "ExportToTime defaults to now: " + to);
        assertEquals(ExportViewType.NEW_AND_OLD_IMAGES, d.incrementalExportSpecification().exportViewType(),
                "the default view");
        assertNull(d.exportTime(), "an incremental export has no ExportTime");
        assertEquals(1L, d.itemCount());
        assertEquals(ExportWriter.INCREMENTAL_MINIMUM_BILLED_BYTES, d.billedSizeBytes(), "billed at least 10 MB");
        assertTrue(ddb.listExports(b -> b.tableArn(arn(table))).exportSummaries().stream()
                .anyMatch(s -> s.exportArn().equals(d.exportArn()) && s.exportType() == ExportType.INCREMENTAL_EXPORT));

        byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(d.exportManifest())).asByteArray();
        JsonNode summary = new ObjectMapper().readTree(bytes);
        assertEquals("2023-08-01", summary.get("version").textValue());
        assertEquals("INCREMENTAL_EXPORT", summary.get("exportType").textValue());
        assertEquals("NEW_AND_OLD_IMAGES", summary.get("outputView").textValue());
        assertEquals(AwsJson.isoMillis(from), summary.get("exportFromTime").textValue());
        assertEquals(AwsJson.isoMillis(to), summary.get("exportToTime").textValue());
        assertFalse(summary.has("exportTime"), summary::toString);
        assertEquals(1, summary.get("itemCount").intValue());
        assertEquals("DYNAMODB_JSON", summary.get("outputFormat").textValue());
        assertEquals(d.exportArn(), summary.get("exportArn").textValue());
        String id = d.exportArn().substring(d.exportArn().lastIndexOf('/') + 1);
        assertEquals("inc/2026/AWSDynamoDB/" + id + "/manifest-files.json",
                summary.get("manifestFilesS3Key").textValue());
        ExportTampering files = ExportTampering.of(aws.s3(), BUCKET, d.exportManifest());
        assertEquals(ExportEmulator.DEFAULT_DATA_FILES_PER_EXPORT, files.dataFileKeys().size());
        files.dataFileKeys().forEach(k -> assertTrue(k.matches("inc/2026/AWSDynamoDB/" + id
                + "/data/[a-z2-7]{26}\\.json\\.gz"), k));
    }
}
