package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.amazon.ion.IonDatagram;
import com.amazon.ion.IonInt;
import com.amazon.ion.IonStruct;
import com.amazon.ion.IonSystem;
import com.amazon.ion.system.IonSystemBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test side of incremental exports: tables, writes, window boundaries on the emulator's clock, lines read back. */
final class IncrementalKit {

    static final String BUCKET = "incremental";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IonSystem ION = IonSystemBuilder.standard().build();

    static LocalAws aws;
    static DynamoDbClient ddb;

    private IncrementalKit() {
    }

    /** For the test class's LocalAws: creates the bucket. */
    static void use(LocalAws localAws) {
        aws = localAws;
        ddb = localAws.dynamoDb();
        aws.createBucket(BUCKET);
    }

    /** One line of an incremental export, read back. */
    record Change(long writeTimestampMicros, Map<String, AttributeValue> keys, Map<String, AttributeValue> newImage,
            Map<String, AttributeValue> oldImage) {
    }

    static Instant now() {
        return aws.exports().clock().instant();
    }

    /** Moves the emulator's clock a minute on and returns the time then: a window boundary between writes. */
    static Instant boundary() {
        aws.exports().advanceClock(Duration.ofMinutes(1));
        return now().truncatedTo(ChronoUnit.MILLIS);
    }

    static String newName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    static String newTable() {
        String table = newName("changes");
        Tables.createWithoutStream(ddb, table);
        return table;
    }

    static String arn(String table) {
        return ddb.describeTable(b -> b.tableName(table)).table().tableArn();
    }

    static Map<String, AttributeValue> item(String pk, Object... attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            item.put((String) attributes[i], value instanceof Number ? AttributeValue.fromN(value.toString())
                    : AttributeValue.fromS(value.toString()));
        }
        return item;
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    static void put(String table, Map<String, AttributeValue> item) {
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    static void delete(String table, String pk) {
        ddb.deleteItem(b -> b.tableName(table).key(key(pk)));
    }

    /** Requests an incremental export through the SDK and waits until it ends; it must complete. */
    static ExportDescription export(String table, Instant from, Instant to, ExportViewType view, ExportFormat format) {
        String exportArn = ddb.exportTableToPointInTime(b -> b.tableArn(arn(table)).s3Bucket(BUCKET)
                .exportFormat(format).exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(s -> s.exportFromTime(from).exportToTime(to).exportViewType(view)))
                .exportDescription().exportArn();
        aws.exports().awaitNoExportRunning(Duration.ofSeconds(30));
        ExportDescription done = ddb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
        assertEquals(ExportStatus.COMPLETED, done.exportStatus(), done::toString);
        return done;
    }

    /** The lines of every data file, by partition key; each key at most once. */
    static Map<String, Change> read(String manifest, Function<String, Change> parser) {
        ExportTampering files = ExportTampering.of(aws.s3(), BUCKET, manifest);
        Map<String, Change> changes = new HashMap<>();
        for (int i = 0; i < files.dataFileKeys().size(); i++) {
            for (String line : files.readLines(i)) {
                Change change = parser.apply(line);
                assertNull(changes.put(change.keys().get("pk").s(), change), "one line per item: " + line);
            }
        }
        return changes;
    }

    /** Every line of every data file, as written. */
    static List<String> lines(String manifest) {
        ExportTampering files = ExportTampering.of(aws.s3(), BUCKET, manifest);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < files.dataFileKeys().size(); i++) {
            lines.addAll(files.readLines(i));
        }
        return lines;
    }

    static Change fromJson(String line) {
        try {
            JsonNode root = JSON.readTree(line);
            for (String field : (Iterable<String>) root::fieldNames) {
                assertTrue(List.of("Metadata", "Keys", "NewImage", "OldImage").contains(field), line);
            }
            JsonNode micros = root.get("Metadata").get("WriteTimestampMicros");
            assertEquals(1, micros.size(), line);
            return new Change(Long.parseLong(micros.get("N").textValue()), TestItems.map(root.get("Keys")),
                    root.has("NewImage") ? TestItems.map(root.get("NewImage")) : null,
                    root.has("OldImage") ? TestItems.map(root.get("OldImage")) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Change fromIon(String line) {
        assertTrue(line.startsWith("$ion_1_0 {Metadata:{WriteTimestampMicros:"), line);
        IonDatagram datagram = ION.getLoader().load(line);
        assertEquals(1, datagram.size(), line);
        IonStruct root = (IonStruct) datagram.get(0);
        long micros = ((IonInt) ((IonStruct) root.get("Metadata")).get("WriteTimestampMicros")).longValue();
        return new Change(micros, TestItems.struct((IonStruct) root.get("Keys")),
                root.containsKey("NewImage") ? TestItems.struct((IonStruct) root.get("NewImage")) : null,
                root.containsKey("OldImage") ? TestItems.struct((IonStruct) root.get("OldImage")) : null);
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
