package dev.ddbcdc.camel.checkpoint;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where the Scan of one segment resumes. Immutable; written to and read from the checkpoint store through
 * {@link #serialize()} / {@link #parse(String)}.
 * <ul>
 * <li>{@code after(key)}: after the item with these key attributes, the last one acknowledged; the key is what
 * DynamoDB's {@code LastEvaluatedKey} would be had a page ended at that item, and is given to the next Scan call as
 * its {@code ExclusiveStartKey}.</li>
 * <li>{@code end()}: the segment was scanned to its end and every item of it acknowledged.</li>
 * </ul>
 * A key is serialized exactly: {@code key:<name>=<type>:<value>,...} in the key schema's order, type {@code S}
 * (URL-encoded UTF-8), {@code N} (the number as DynamoDB gave it, so no digit is lost) or {@code B} (base64), names
 * URL-encoded. The same text is the item's id in the idempotent repository.
 */
public final class ScanPosition {

    private static final String END_SENTINEL = "END";
    private static final String KEY_PREFIX = "key:";

    /** The key attributes, in the key schema's order; {@code null} for the end. */
    private final Map<String, AttributeValue> key;
    private final String serialized;

    private ScanPosition(Map<String, AttributeValue> key, String serialized) {
        this.key = key;
        this.serialized = serialized;
    }

    /** After the item with these key attributes (S, N or B), given in the key schema's order. */
    public static ScanPosition after(Map<String, AttributeValue> key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a scan position needs the key attributes of an item");
        }
        Map<String, AttributeValue> copy = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        return new ScanPosition(copy, KEY_PREFIX + serializeKey(copy));
    }

    public static ScanPosition end() {
        return new ScanPosition(null, END_SENTINEL);
    }

    /** Parses a value written by {@link #serialize()}; {@code null} stays {@code null} (no checkpoint). */
    public static ScanPosition parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (END_SENTINEL.equals(value)) {
            return end();
        }
        if (!value.startsWith(KEY_PREFIX)) {
            throw new IllegalArgumentException("Unreadable scan checkpoint value '" + value + "'");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String attribute : value.substring(KEY_PREFIX.length()).split(",", -1)) {
            int equals = attribute.indexOf('=');
            if (equals <= 0 || attribute.length() < equals + 3 || attribute.charAt(equals + 2) != ':') {
                throw new IllegalArgumentException("Unreadable scan checkpoint value '" + value + "'");
            }
            String name = URLDecoder.decode(attribute.substring(0, equals), StandardCharsets.UTF_8);
            key.put(name, value(attribute.charAt(equals + 1), attribute.substring(equals + 3), value));
        }
        return after(key);
    }

    private static AttributeValue value(char type, String text, String whole) {
        try {
            switch (type) {
                case 'S':
                    return AttributeValue.fromS(URLDecoder.decode(text, StandardCharsets.UTF_8));
                case 'N':
                    new BigDecimal(text); // only a number is a number
                    return AttributeValue.fromN(text);
                case 'B':
                    return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(text)));
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            // a bad number or base64: the message below
        }
        throw new IllegalArgumentException("Unreadable scan checkpoint value '" + whole + "'");
    }

    private static String serializeKey(Map<String, AttributeValue> key) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, AttributeValue> attribute : key.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(URLEncoder.encode(attribute.getKey(), StandardCharsets.UTF_8)).append('=');
            AttributeValue value = attribute.getValue();
            switch (value.type()) {
                case S:
                    out.append("S:").append(URLEncoder.encode(value.s(), StandardCharsets.UTF_8));
                    break;
                case N:
                    out.append("N:").append(value.n());
                    break;
                case B:
                    out.append("B:").append(Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe()));
                    break;
                default:
                    throw new IllegalArgumentException("Key attributes are S, N or B, not " + value.type() + " ("
                                                       + attribute.getKey() + ")");
            }
        }
        return out.toString();
    }

    public boolean isEnd() {
        return key == null;
    }

    /** The key to give the next Scan call as {@code ExclusiveStartKey}; {@code null} for the end. */
    public Map<String, AttributeValue> exclusiveStartKey() {
        return key;
    }

    public String serialize() {
        return serialized;
    }

    /** The exact text of the key (the serialized form without its prefix); only for {@code after(key)}. */
    public String keyText() {
        if (key == null) {
            throw new IllegalStateException("the end of a segment has no key");
        }
        return serialized.substring(KEY_PREFIX.length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanPosition && serialized.equals(((ScanPosition) o).serialized);
    }

    @Override
    public int hashCode() {
        return serialized.hashCode();
    }

    @Override
    public String toString() {
        return serialized;
    }
}
