package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Reads a DYNAMODB_JSON export line, {@code {"Item":{"name":{"S":"x"},...}}}, with a streaming parser. Numbers are
 * taken from their decimal strings into {@link BigDecimal}, never through a double.
 */
final class DynamoDbJsonItemParser implements ItemParser {

    private static final JsonFactory JSON = new JsonFactory();
    /** For whole files: the parser must not close the stream at its end, the file's checksum still reads it. */
    static final JsonFactory FILES = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    /** Whether the lines are an incremental export's changes ({@link #changeLine}) rather than items. */
    private final boolean changes;

    DynamoDbJsonItemParser() {
        this(false);
    }

    /** @param changes whether the lines are an incremental export's changes rather than items */
    DynamoDbJsonItemParser(boolean changes) {
        this.changes = changes;
    }

    @Override
    public Map<String, Object> parse(byte[] utf8, int offset, int length) {
        try (JsonParser parser = JSON.createParser(utf8, offset, length)) {
            JsonToken first = parser.nextToken();
            Map<String, Object> item = changes ? changeLine(parser, first) : line(parser, first);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("text after the item");
            }
            return item;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not readable: " + e.getMessage(), e);
        }
    }

    @Override
    public ItemReader reader(InputStream gunzipped, long linesBefore) throws IOException {
        // the native parser reads items only: an incremental export's lines are Jackson's
        return changes ? new JsonItemReader(FILES, gunzipped, linesBefore, true)
                : new JsonLineReader(FILES, gunzipped, linesBefore);
    }

    /**
     * Reads one line of an incremental export, {@code {"Metadata":{...},"Keys":{...},"OldImage":{...},
     * "NewImage":{...}}}, whose first token the parser has just read, into a map of those of the four that are there,
     * each a map of attributes ({@code Metadata}'s {@code WriteTimestampMicros} a number). Other fields are skipped;
     * a line without {@code Keys} (such as a full export's {@code Item}) is not a change.
     */
    static Map<String, Object> changeLine(JsonParser parser, JsonToken first) throws IOException {
        expect(first, JsonToken.START_OBJECT, "a JSON object");
        Map<String, Object> change = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "Keys", "NewImage", "OldImage", "Metadata" -> change.put(field, attributes(parser));
                default -> parser.skipChildren();
            }
        }
        if (!change.containsKey("Keys")) {
            throw new IllegalArgumentException("no \"Keys\" in the line: not a change of an incremental export");
        }
        return change;
    }

    /**
     * Reads one line's value, {@code {"Item":{...}}}, whose first token the parser has just read; the parser ends on
     * the value's last token. Throws {@link IllegalArgumentException} when the value is not an item.
     */
    static Map<String, Object> line(JsonParser parser, JsonToken first) throws IOException {
        expect(first, JsonToken.START_OBJECT, "a JSON object");
        Map<String, Object> item = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            ItemParser.rejectIncrementalField(field);
            if ("Item".equals(field)) {
                item = attributes(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (item == null) {
            throw new IllegalArgumentException("no \"Item\" in the line");
        }
        return item;
    }

    private static Map<String, Object> attributes(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, "an object of attributes");
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, value(parser));
        }
        return map;
    }

    /** One typed value, {@code {"<type>": <content>}}; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    private static Object value(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, "a typed attribute value such as {\"S\":\"x\"}");
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            throw new IllegalArgumentException("an attribute value without a type");
        }
        String type = parser.currentName();
        JsonToken content = parser.nextToken();
        Object value;
        switch (type) {
            case "S":
                value = text(parser, content, type);
                break;
            case "N":
                value = number(parser, content, type);
                break;
            case "B":
                value = binary(text(parser, content, type));
                break;
            case "BOOL":
                if (content != JsonToken.VALUE_TRUE && content != JsonToken.VALUE_FALSE) {
                    throw new IllegalArgumentException("BOOL must be true or false");
                }
                value = content == JsonToken.VALUE_TRUE;
                break;
            case "NULL":
                if (content != JsonToken.VALUE_TRUE) {
                    throw new IllegalArgumentException("NULL must be true");
                }
                value = null;
                break;
            case "M":
                value = attributes(parser);
                break;
            case "L":
                expect(content, JsonToken.START_ARRAY, "a list");
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                value = list;
                break;
            case "SS":
            case "NS":
            case "BS":
                expect(content, JsonToken.START_ARRAY, "a set");
                Set<Object> set = new LinkedHashSet<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonToken token = parser.currentToken();
                    set.add("NS".equals(type) ? number(parser, token, type) : "SS".equals(type)
                            ? text(parser, token, type) : binary(text(parser, token, type)));
                }
                value = set;
                break;
            default:
                throw new IllegalArgumentException("unknown attribute type '" + type + "'");
        }
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("an attribute value with more than one type");
        }
        return value;
    }

    private static String text(JsonParser parser, JsonToken token, String type) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(type + " must be given as a string, found " + token);
        }
        return parser.getText();
    }

    /** The number of a VALUE_STRING, taken from the parser's characters without a String in between. */
    private static BigDecimal number(JsonParser parser, JsonToken token, String type) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(type + " must be given as a string, found " + token);
        }
        try {
            return new BigDecimal(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + parser.getText() + "' is not a number");
        }
    }

    private static byte[] binary(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("binary value is not base64: " + e.getMessage());
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + what + ", found " + (actual == null ? "the end" : actual));
        }
    }
}
