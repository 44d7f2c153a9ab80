package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.ddbcdc.camel.event.ChangeHeaders;
import dev.ddbcdc.camel.event.ChangeItemMapper;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.options.ExportFormat;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An incremental export's lines, read as changes and delivered as INSERT, MODIFY or REMOVE. */
class ChangeLinesTest {

    static final String META = "\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1680109764123456\"}}";
    static final String KEYS = "\"Keys\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}";
    static final String INSERTED = "{" + META + "," + KEYS + ",\"NewImage\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},"
                                   + "\"v\":{\"N\":\"2.50\"}}}";
    static final String MODIFIED = "{" + META + "," + KEYS + ",\"OldImage\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
                                   + "\"NewImage\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"v\":{\"N\":\"3\"}}}";
    static final String REMOVED = "{" + META + "," + KEYS + ",\"OldImage\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}";

    private final ItemParser changes = ItemParser.of(ExportFormat.DYNAMODB_JSON, true);
    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    Message fill(String line, boolean oldImages) {
        Exchange exchange = new DefaultExchange(context);
        new ChangeItemMapper("t", new KeySchema("pk", "sk"), "arn:export", 42L, oldImages)
                .fill(exchange, changes.parse(line), "data/x.json.gz", 7L);
        return exchange.getMessage();
    }

    @Test
    void aLineIsItsKeysImagesAndWriteTime() {
        Map<String, Object> change = changes.parse(MODIFIED);
        assertEquals(Map.of("pk", "a", "sk", new BigDecimal("1")), change.get("Keys"));
        assertEquals(new BigDecimal("3"), ((Map<?, ?>) change.get("NewImage")).get("v"));
        assertEquals(Map.of("WriteTimestampMicros", new BigDecimal("1680109764123456")), change.get("Metadata"));
        assertThrows(IllegalArgumentException.class, () -> changes.parse("{\"Item\":{\"pk\":{\"S\":\"a\"}}}"),
                "a full export's line is not a change");
        assertThrows(IllegalArgumentException.class,
                () -> ItemParser.of(ExportFormat.DYNAMODB_JSON).parse(MODIFIED), "nor a change an item");
        assertThrows(SnapshotException.class, () -> ItemParser.of(ExportFormat.ION, true));
    }

    @Test
    void aWholeFileIsReadLineByLine() throws Exception {
        String file = INSERTED + "\n" + MODIFIED + "\n" + REMOVED + "\n";
        try (ItemReader reader = changes.reader(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), 0)) {
            int lines = 0;
            while (reader.next()) {
                lines++;
                assertEquals(lines, reader.line());
                assertTrue(reader.item().containsKey("Keys"));
            }
            assertEquals(3, lines);
        }
    }

    @Test
    void operationsByTheImagesTheViewHas() {
        Message inserted = fill(INSERTED, true);
        assertEquals("INSERT", inserted.getHeader(ChangeHeaders.OPERATION));
        assertEquals(new BigDecimal("2.50"), inserted.getBody(Map.class).get("v"));
        assertNull(inserted.getHeader(ChangeHeaders.OLD_IMAGE));
        assertEquals(1680109764123L, inserted.getHeader(ChangeHeaders.TIMESTAMP), "the write time, in ms");
        assertEquals(42L, inserted.getHeader(ChangeHeaders.DOCUMENT_VERSION));
        assertEquals("arn:export", inserted.getHeader(ChangeHeaders.EXPORT_ARN));
        assertEquals(7L, inserted.getHeader(ChangeHeaders.EXPORT_LINE));
        assertEquals(Map.of("pk", "a", "sk", new BigDecimal("1")), inserted.getHeader(ChangeHeaders.KEYS));

        Message modified = fill(MODIFIED, true);
        assertEquals("MODIFY", modified.getHeader(ChangeHeaders.OPERATION));
        assertEquals(Map.of("pk", "a", "sk", new BigDecimal("1")), modified.getHeader(ChangeHeaders.OLD_IMAGE));

        Message removed = fill(REMOVED, true);
        assertEquals("REMOVE", removed.getHeader(ChangeHeaders.OPERATION));
        assertEquals(Map.of("pk", "a", "sk", new BigDecimal("1")), removed.getBody(Map.class), "the keys");
        assertNull(removed.getHeader(ChangeHeaders.NEW_IMAGE));
        assertEquals(modified.getHeader(ChangeHeaders.PRIMARY_KEY), removed.getHeader(ChangeHeaders.PRIMARY_KEY));

        // NEW_IMAGE view: no old images, so whether the item existed before cannot be told
        Message upserted = fill(INSERTED, false);
        assertEquals("MODIFY", upserted.getHeader(ChangeHeaders.OPERATION));
        assertEquals("REMOVE", fill(REMOVED, false).getHeader(ChangeHeaders.OPERATION));
        assertFalse(fill(MODIFIED, false).getHeaders().containsKey(ChangeHeaders.OLD_IMAGE));
    }
}
