package dev.ddbcdc.localaws;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.ddbcdc.localaws.IncrementalKit.Change;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;
import software.amazon.awssdk.services.dynamodb.model.InvalidExportTimeException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import static dev.ddbcdc.localaws.IncrementalKit.BUCKET;
import static dev.ddbcdc.localaws.IncrementalKit.arn;
import static dev.ddbcdc.localaws.IncrementalKit.aws;
import static dev.ddbcdc.localaws.IncrementalKit.boundary;
import static dev.ddbcdc.localaws.IncrementalKit.ddb;
import static dev.ddbcdc.localaws.IncrementalKit.export;
import static dev.ddbcdc.localaws.IncrementalKit.item;
import static dev.ddbcdc.localaws.IncrementalKit.lines;
import static dev.ddbcdc.localaws.IncrementalKit.newName;
import static dev.ddbcdc.localaws.IncrementalKit.newTable;
import static dev.ddbcdc.localaws.IncrementalKit.now;
import static dev.ddbcdc.localaws.IncrementalKit.put;
import static dev.ddbcdc.localaws.IncrementalKit.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incremental export requests: the errors AWS answers (ValidationException for the shape of the request,
 * InvalidExportTimeException for the window), the writes the emulator records for them, and the test kit's
 * {@link ExportEmulator#completedIncrementalExportOf}.
 */
class IncrementalExportRequestsTest {

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

    private static DynamoDbException refused(String table, Consumer<ExportTableToPointInTimeRequest.Builder> request) {
        int before = aws.exports().exportRequestCount();
        ExportTableToPointInTimeRequest.Builder builder = ExportTableToPointInTimeRequest.builder().tableArn(arn(table))
                .s3Bucket(BUCKET);
        request.accept(builder);
        DynamoDbException refused = assertThrows(DynamoDbException.class,
                () -> ddb.exportTableToPointInTime(builder.build()));
        assertEquals(400, refused.statusCode());
        assertEquals(before, aws.exports().exportRequestCount(), "no export created");
        return refused;
    }

    private static void assertValidation(DynamoDbException e, String message) {
        assertEquals("ValidationException", e.awsErrorDetails().errorCode(), e::toString);
        assertTrue(e.awsErrorDetails().errorMessage().contains(message), e.awsErrorDetails().errorMessage());
    }

    private static void assertInvalidTime(DynamoDbException e, String message) {
        assertTrue(e instanceof InvalidExportTimeException, e::toString);
        assertTrue(e.awsErrorDetails().errorMessage().contains(message), e.awsErrorDetails().errorMessage());
    }

    @Test
    void theShapeOfTheRequestIsCheckedFirst() {
        String table = newTable(); // PITR off: the shape is checked before the table's state
        Instant from = now().minus(Duration.ofHours(1));
        assertValidation(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)),
                "Incremental Export Specification expected when export type is set as Incremental Export");
        assertValidation(refused(table, b -> b.incrementalExportSpecification(s -> s.exportFromTime(from))),
                "Export Type expected to be Incremental Export when incremental export specification is provided");
        assertValidation(refused(table, b -> b.exportType(ExportType.FULL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(from))),
                "When Export Type is Full Export , Incremental Export Specification should not be provided");
        assertValidation(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportToTime(now()))),
                "ExportFromTime must be provided in IncrementalExportSpecification");
        assertValidation(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportViewType("NEW_IMAGES").exportFromTime(from))),
                "Value 'NEW_IMAGES' at 'incrementalExportSpecification.exportViewType' failed to satisfy constraint");
        assertValidation(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT).exportTime(now())
                .incrementalExportSpecification(s -> s.exportFromTime(from))),
                "Export Time should not be provided");
    }

    @Test
    void theWindowMustLieInTheRecoveryWindowAndLast15MinutesTo24Hours() {
        String table = newTable();
        Instant early = now();
        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(early))),
                "point-in-time recovery is not enabled for table '" + table + "'");
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant enabled = boundary();

        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(early).exportToTime(now()))),
                "Incremental export period from time cannot be less than the table creation time");
        aws.exports().advanceClock(Duration.ofMinutes(10));
        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(enabled))),
                "Difference between export period from time and export period to time is less than 15 minutes");
        aws.exports().advanceClock(Duration.ofMinutes(10));
        Instant to = boundary();
        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(enabled).exportToTime(now().plusSeconds(60)))),
                "Incremental export period to time cannot be greater than the current time");
        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(to).exportToTime(enabled))),
                "from time should not be greater or equal to incremental export period to time");
        assertEquals(ExportStatus.COMPLETED, export(table, enabled, to, ExportViewType.NEW_AND_OLD_IMAGES,
                ExportFormat.DYNAMODB_JSON).exportStatus(), "20 minutes inside the recovery window: accepted");

        aws.exports().advanceClock(Duration.ofHours(25));
        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(enabled))),
                "Difference between export period from time and export period to time is more than 24 hours");
        Instant dayLater = enabled.plus(Duration.ofHours(24));
        assertEquals(ExportStatus.COMPLETED, export(table, enabled, dayLater, ExportViewType.NEW_IMAGE,
                ExportFormat.ION).exportStatus(), "exactly 24 hours: accepted");

        ddb.updateContinuousBackups(b -> b.tableName(table)
                .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
        Tables.enablePointInTimeRecovery(ddb, table);
        assertInvalidTime(refused(table, b -> b.exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(enabled).exportToTime(dayLater))),
                "the earliest restorable time of table '" + table + "'");
    }

    @Test
    void batchTransactionPartiQlAndOutsideWritesAreRecorded() {
        String table = newName("sorted");
        Tables.createWithSortKeyAndStream(ddb, table, StreamViewType.KEYS_ONLY);
        Map<String, AttributeValue> k1 = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN("1.50"));
        Map<String, AttributeValue> k2 = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN("2"));
        ddb.putItem(b -> b.tableName(table).item(with(k2, "v", "old")));
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant from = boundary();
        ddb.batchWriteItem(b -> b.requestItems(Map.of(table, List.of(
                WriteRequest.builder().putRequest(p -> p.item(with(k1, "v", "batch"))).build()))));
        ddb.transactWriteItems(b -> b.transactItems(t -> t.update(u -> u.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN("1.5")))
                .updateExpression("SET w = :w").expressionAttributeValues(Map.of(":w", AttributeValue.fromS("tx"))))));
        ddb.executeStatement(b -> b.statement("UPDATE \"" + table + "\" SET v = 'partiql' WHERE pk = 'p' AND sk = 2"));
        aws.dynamoDbLocal().client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("q"),
                "sk", AttributeValue.fromN("3"), "v", AttributeValue.fromS("around the front"))));
        assertEquals(1, aws.exports().recordOutsideChanges(table));
        aws.exports().advanceClock(Duration.ofMinutes(15));
        Instant to = boundary();

        String manifest = export(table, from, to, ExportViewType.NEW_AND_OLD_IMAGES, ExportFormat.DYNAMODB_JSON)
                .exportManifest();
        Map<String, Change> bySk = new HashMap<>();
        lines(manifest).stream().map(IncrementalKit::fromJson).forEach(c -> bySk.put(c.keys().get("pk").s()
                + "/" + new BigDecimal(c.keys().get("sk").n()).stripTrailingZeros().toPlainString(), c));
        assertEquals(List.of("p/1.5", "p/2", "q/3"), bySk.keySet().stream().sorted().toList());
        assertEquals("batch", bySk.get("p/1.5").newImage().get("v").s());
        assertEquals("tx", bySk.get("p/1.5").newImage().get("w").s(), "one item, whatever the number's spelling");
        assertNull(bySk.get("p/1.5").oldImage());
        assertEquals("partiql", bySk.get("p/2").newImage().get("v").s());
        assertEquals("old", bySk.get("p/2").oldImage().get("v").s());
        assertEquals("around the front", bySk.get("q/3").newImage().get("v").s());
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, String name, String value) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.put(name, AttributeValue.fromS(value));
        return item;
    }

    @Test
    void completedIncrementalExportOfWritesTheExportAtOnce() {
        String table = newTable();
        Tables.enablePointInTimeRecovery(ddb, table);
        Instant from = boundary();
        put(table, item("a", "v", 1));
        aws.exports().exportDelay(Duration.ofHours(1));
        aws.exports().advanceClock(Duration.ofMinutes(15));
        String exportArn = aws.exports().completedIncrementalExportOf(table, BUCKET, "ION", from, null, "NEW_IMAGE");

        ExportDescription d = ddb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
        assertEquals(ExportStatus.COMPLETED, d.exportStatus(), "without waiting for the delay");
        assertEquals(ExportFormat.ION, d.exportFormat());
        Map<String, Change> changes = read(d.exportManifest(), IncrementalKit::fromIon);
        assertEquals(item("a", "v", 1), changes.get("a").newImage());
        assertNull(changes.get("a").oldImage());
        AwsServiceError tooShort = assertThrows(AwsServiceError.class,
                () -> aws.exports().completedIncrementalExportOf(table, BUCKET, "DYNAMODB_JSON", from,
                        from.plus(Duration.ofMinutes(14)), "NEW_AND_OLD_IMAGES"));
        assertEquals("InvalidExportTimeException", tooShort.errorName());
    }
}
