package dev.ddbcdc.camel.event;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB attribute values as plain Java values: S String, N BigDecimal (exact), B byte[], BOOL Boolean, NULL null,
 * L List, M Map, SS/NS/BS Set (insertion ordered). Maps keep DynamoDB's attribute order.
 */
public final class AttributeValues {

    private AttributeValues() {
    }

    /** An item (or image) as a map of plain values; {@code null} stays {@code null}. */
    public static Map<String, Object> toJava(Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>(Math.max(4, item.size() * 4 / 3 + 1));
        item.forEach((name, value) -> result.put(name, toJava(value)));
        return result;
    }

    public static Object toJava(AttributeValue value) {
        switch (value.type()) {
            case S:
                return value.s();
            case N:
                return new BigDecimal(value.n());
            case B:
                return value.b().asByteArray();
            case BOOL:
                return value.bool();
            case NUL:
                return null;
            case L:
                List<Object> list = new ArrayList<>(value.l().size());
                value.l().forEach(v -> list.add(toJava(v)));
                return list;
            case M:
                return toJava(value.m());
            case SS:
                return new LinkedHashSet<>(value.ss());
            case NS:
                Set<BigDecimal> numbers = new LinkedHashSet<>();
                value.ns().forEach(n -> numbers.add(new BigDecimal(n)));
                return numbers;
            case BS:
                Set<byte[]> binaries = new LinkedHashSet<>();
                for (SdkBytes b : value.bs()) {
                    binaries.add(b.asByteArray());
                }
                return binaries;
            default:
                throw new IllegalArgumentException("Attribute value of a type this SDK does not know: " + value);
        }
    }

    /**
     * A key attribute (S, N or B) as the string used in a primary key: S as it is, N in plain decimal notation without
     * trailing zeros (so {@code 100}, {@code 1E+2} and {@code 100.0} agree), B as base64.
     */
    public static String keyString(AttributeValue value) {
        switch (value.type()) {
            case S:
                return value.s();
            case N:
                return keyString(new BigDecimal(value.n()));
            case B:
                return keyString(value.b().asByteArray());
            default:
                throw new IllegalArgumentException("Key attributes are S, N or B, not " + value.type());
        }
    }

    /** The same as {@link #keyString(AttributeValue)} for a key attribute in plain Java form (or an AttributeValue). */
    public static String keyString(Object value) {
        if (value instanceof AttributeValue) {
            return keyString((AttributeValue) value);
        }
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof BigDecimal) {
            BigDecimal number = (BigDecimal) value;
            return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        throw new IllegalArgumentException("Key attributes are strings, numbers or binaries, not "
                                           + (value == null ? "null" : value.getClass().getSimpleName()));
    }
}
