package dev.ddbcdc.camel.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DYNAMODB_JSON lines of an item, spelled as exports write them (Jackson's generator, compact) and in random
 * legal and odd ways: whitespace between tokens, escapes chosen at random ({@code \}{@code u} escapes of any character,
 * {@code \/}), base64 without padding, other top-level fields, escaped type names.
 */
final class JsonSpellings {

    private static final JsonFactory JSON = new JsonFactory();

    private final SplittableRandom random;

    JsonSpellings(SplittableRandom random) {
        this.random = random;
    }

    /** The line as an export writes it: Jackson's generator, no whitespace. */
    static String compact(Map<String, AttributeValue> item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeFieldName("Item");
            writeMap(json, item);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void writeMap(JsonGenerator json, Map<String, AttributeValue> map) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            json.writeFieldName(e.getKey());
            writeValue(json, e.getValue());
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, AttributeValue v) throws IOException {
        json.writeStartObject();
        switch (v.type()) {
            case S -> json.writeStringField("S", v.s());
            case N -> json.writeStringField("N", v.n());
            case B -> json.writeStringField("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case BOOL -> json.writeBooleanField("BOOL", v.bool());
            case NUL -> json.writeBooleanField("NULL", true);
            case M -> {
                json.writeFieldName("M");
                writeMap(json, v.m());
            }
            case L -> {
                json.writeArrayFieldStart("L");
                for (AttributeValue e : v.l()) {
                    writeValue(json, e);
                }
                json.writeEndArray();
            }
            case SS, NS -> {
                json.writeArrayFieldStart(v.type() == AttributeValue.Type.SS ? "SS" : "NS");
                for (String s : v.type() == AttributeValue.Type.SS ? v.ss() : v.ns()) {
                    json.writeString(s);
                }
                json.writeEndArray();
            }
            case BS -> {
                json.writeArrayFieldStart("BS");
                for (var b : v.bs()) {
                    json.writeString(Base64.getEncoder().encodeToString(b.asByteArray()));
                }
                json.writeEndArray();
            }
            default -> throw new IllegalArgumentException(v.type().toString());
        }
        json.writeEndObject();
    }

    /** A random spelling; {@code odd} adds what the native parser leaves to Jackson now and then. */
    String random(Map<String, AttributeValue> item, boolean odd) {
        StringBuilder s = new StringBuilder();
        space(s);
        s.append('{');
        if (odd && random.nextInt(6) == 0) {
            string(s, "Other", false);
            s.append(":1,");
        }
        space(s);
        string(s, "Item", odd && random.nextInt(6) == 0);
        space(s);
        s.append(':');
        map(s, item, odd);
        space(s);
        s.append('}');
        space(s);
        return s.toString();
    }

    private void map(StringBuilder s, Map<String, AttributeValue> map, boolean odd) {
        space(s);
        s.append('{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            if (!first) {
                s.append(',');
            }
            first = false;
            space(s);
            string(s, e.getKey(), odd);
            space(s);
            s.append(':');
            value(s, e.getValue(), odd);
        }
        space(s);
        s.append('}');
    }

    private void value(StringBuilder s, AttributeValue v, boolean odd) {
        space(s);
        s.append('{');
        space(s);
        String type = v.type() == AttributeValue.Type.NUL ? "NULL" : v.type().toString();
        string(s, type, odd && random.nextInt(20) == 0);
        space(s);
        s.append(':');
        space(s);
        switch (v.type()) {
            case S -> string(s, v.s(), odd);
            case N -> string(s, v.n(), odd && random.nextInt(10) == 0);
            case B -> base64(s, v.b().asByteArray(), odd);
            case BOOL -> s.append(v.bool());
            case NUL -> s.append("true");
            case M -> map(s, v.m(), odd);
            case L -> list(s, v.l(), e -> value(s, e, odd));
            case SS -> list(s, v.ss(), e -> string(s, e, odd));
            case NS -> list(s, v.ns(), e -> string(s, e, false));
            case BS -> list(s, v.bs(), e -> base64(s, e.asByteArray(), odd));
            default -> throw new IllegalArgumentException(v.type().toString());
        }
        space(s);
        s.append('}');
    }

    private <T> void list(StringBuilder s, List<T> values, java.util.function.Consumer<T> each) {
        s.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            space(s);
            each.accept(values.get(i));
            space(s);
        }
        s.append(']');
    }

    private void base64(StringBuilder s, byte[] bytes, boolean odd) {
        String text = Base64.getEncoder().encodeToString(bytes);
        if (odd && random.nextInt(4) == 0) {
            text = text.replace("=", "");
        }
        string(s, text, odd && random.nextInt(10) == 0);
    }

    /** A JSON string; {@code escapes}: characters escaped at random (else only those that must be). */
    private void string(StringBuilder s, String text, boolean escapes) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean must = c == '"' || c == '\\' || c < 0x20;
            if (must || escapes && random.nextInt(4) == 0) {
                switch (random.nextInt(must ? 2 : 3)) {
                    case 0 -> s.append(String.format("\\u%04x", (int) c));
                    case 1 -> s.append(shortEscape(c));
                    default -> s.append(c == '/' ? "\\/" : String.format("\\u%04X", (int) c));
                }
            } else {
                s.append(c);
            }
        }
        s.append('"');
    }

    private static String shortEscape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '/' -> "\\/";
            default -> String.format("\\u%04x", (int) c);
        };
    }

    private void space(StringBuilder s) {
        int n = random.nextInt(8);
        if (n == 0) {
            s.append(' ');
        } else if (n == 1) {
            s.append(random.nextBoolean() ? "\t" : "  ");
        }
    }
}
