package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazon.ion.IonBlob;
import com.amazon.ion.IonBool;
import com.amazon.ion.IonDatagram;
import com.amazon.ion.IonDecimal;
import com.amazon.ion.IonList;
import com.amazon.ion.IonString;
import com.amazon.ion.IonStruct;
import com.amazon.ion.IonSystem;
import com.amazon.ion.IonValue;
import com.amazon.ion.system.IonSystemBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Items with every attribute type, and readers of export lines back into attribute values (test side). */
final class TestItems {

    static final List<String> NUMBERS = List.of("0", "0.1", "-1E+10", "12345678901234567890.123456789", "600", "103",
            "1E-130", "9.9999999999999999999999999999999999999E+125", "-0.000001", "8.5", "42");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IonSystem ION = IonSystemBuilder.standard().build();

    private TestItems() {
    }

    static Map<String, AttributeValue> item(int i) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("item-" + i));
        item.put("n", AttributeValue.fromN(NUMBERS.get(i % NUMBERS.size())));
        item.put("i", AttributeValue.fromN(Integer.toString(i)));
        item.put("s", AttributeValue.fromS("line\nbreak \"quoted\" \u00e9\u2603 \uD83D\uDE00 #" + i));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] { 0, 1, 2, (byte) 0xff, (byte) i })));
        item.put("bool", AttributeValue.fromBool(i % 2 == 0));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b" + i)));
        item.put("ns", AttributeValue.fromNs(List.of("1", "0.5", "-1E+10", Integer.toString(i + 1000))));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] { 1 }),
                SdkBytes.fromByteArray(new byte[] { 2, (byte) i }))));
        item.put("m", AttributeValue.fromM(Map.of(
                "w", AttributeValue.fromN("8.5"),
                "deep", AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(
                        AttributeValue.fromS("x"), AttributeValue.fromNul(true), AttributeValue.fromN("600"))))),
                "empty", AttributeValue.fromM(Map.of()))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("0.1"),
                AttributeValue.fromBool(false), AttributeValue.fromL(List.of()),
                AttributeValue.fromM(Map.of("k", AttributeValue.fromSs(List.of("z")))))));
        item.put("empty string", AttributeValue.fromS(""));
        item.put("odd-name.$x", AttributeValue.fromS("attribute names that are not identifiers"));
        return item;
    }

    static void putItems(DynamoDbClient dynamoDb, String table, int count) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = item(i);
            batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            if (batch.size() == 25 || i == count - 1) {
                List<WriteRequest> requests = List.copyOf(batch);
                dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, requests)));
                batch.clear();
            }
        }
    }

    // ---- DynamoDB JSON ------------------------------------------------------------------------------------------

    static Map<String, AttributeValue> fromDynamoDbJsonLine(String line) {
        try {
            JsonNode root = JSON.readTree(line);
            if (root.size() != 1 || !root.has("Item")) {
                throw new AssertionError("Expected {\"Item\":{...}}: " + line);
            }
            return map(root.get("Item"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DynamoDB JSON map ({@code {"a":{"S":"x"},...}}) as attribute values. */
    static Map<String, AttributeValue> map(JsonNode object) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
        return map;
    }

    private static AttributeValue value(JsonNode typed) {
        if (typed.size() != 1) {
            throw new AssertionError("Expected one type: " + typed);
        }
        Map.Entry<String, JsonNode> e = typed.fields().next();
        JsonNode v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> AttributeValue.fromS(v.textValue());
            case "N" -> AttributeValue.fromN(v.textValue());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.textValue())));
            case "BOOL" -> AttributeValue.fromBool(v.booleanValue());
            case "NULL" -> AttributeValue.fromNul(v.booleanValue());
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream()
                    .map(s -> SdkBytes.fromByteArray(Base64.getDecoder().decode(s))).toList());
            case "M" -> AttributeValue.fromM(map(v));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(x -> list.add(value(x)));
                yield AttributeValue.fromL(list);
            }
            default -> throw new AssertionError("Unknown type " + e.getKey());
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(x -> {
            if (!x.isTextual()) {
                throw new AssertionError("Expected a string: " + x);
            }
            texts.add(x.textValue());
        });
        return texts;
    }

    // ---- Ion ----------------------------------------------------------------------------------------------------

    /** Reads an ION line; numbers become canonical strings (see {@link #canonicalNumbers}). */
    static Map<String, AttributeValue> fromIonLine(String line) {
        IonDatagram datagram = ION.getLoader().load(line);
        if (datagram.size() != 1 || !(datagram.get(0) instanceof IonStruct root) || root.size() != 1
                || !(root.get("Item") instanceof IonStruct item)) {
            throw new AssertionError("Expected one {Item:{...}}: " + line);
        }
        return struct(item);
    }

    /** An Ion struct of an export line as attribute values; numbers become canonical strings. */
    static Map<String, AttributeValue> struct(IonStruct struct) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (IonValue v : struct) {
            map.put(v.getFieldName(), ionValue(v));
        }
        return map;
    }

    private static AttributeValue ionValue(IonValue v) {
        String[] annotations = v.getTypeAnnotations();
        if (annotations.length > 0) {
            IonList list = (IonList) v;
            return switch (annotations[0]) {
                case "$dynamodb_SS" -> AttributeValue.fromSs(list.stream().map(x -> ((IonString) x).stringValue())
                        .toList());
                case "$dynamodb_NS" -> AttributeValue.fromNs(list.stream()
                        .map(x -> canonical(((IonDecimal) x).bigDecimalValue())).toList());
                case "$dynamodb_BS" -> AttributeValue.fromBs(list.stream()
                        .map(x -> SdkBytes.fromByteArray(((IonBlob) x).getBytes())).toList());
                default -> throw new AssertionError("Unknown annotation " + annotations[0]);
            };
        }
        if (v.isNullValue()) {
            return AttributeValue.fromNul(true);
        }
        return switch (v.getType()) {
            case STRING -> AttributeValue.fromS(((IonString) v).stringValue());
            case DECIMAL -> AttributeValue.fromN(canonical(((IonDecimal) v).bigDecimalValue()));
            case BLOB -> AttributeValue.fromB(SdkBytes.fromByteArray(((IonBlob) v).getBytes()));
            case BOOL -> AttributeValue.fromBool(((IonBool) v).booleanValue());
            case STRUCT -> AttributeValue.fromM(struct((IonStruct) v));
            case LIST -> {
                List<AttributeValue> list = new ArrayList<>();
                for (Iterator<IonValue> it = ((IonList) v).iterator(); it.hasNext();) {
                    list.add(ionValue(it.next()));
                }
                yield AttributeValue.fromL(list);
            }
            default -> throw new AssertionError("Unexpected Ion type " + v.getType() + ": " + v);
        };
    }

    static String canonical(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    /** The same item with every N and NS as {@link #canonical} strings, to compare with Ion's decimals. */
    static Map<String, AttributeValue> canonicalNumbers(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        item.forEach((k, v) -> map.put(k, canonicalNumbers(v)));
        return map;
    }

    private static AttributeValue canonicalNumbers(AttributeValue v) {
        return switch (v.type()) {
            case N -> AttributeValue.fromN(canonical(new BigDecimal(v.n())));
            case NS -> AttributeValue.fromNs(v.ns().stream().map(n -> canonical(new BigDecimal(n))).toList());
            case M -> AttributeValue.fromM(canonicalNumbers(v.m()));
            case L -> AttributeValue.fromL(v.l().stream().map(TestItems::canonicalNumbers).toList());
            default -> v;
        };
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
