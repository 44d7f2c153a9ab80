package dev.ddbcdc.localaws;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size of an item by DynamoDB's published sizing rules (attribute names and values in bytes; numbers about one
 * byte per two significant digits plus one; one byte for BOOL and NULL; three bytes plus one per element for M and
 * L). Used for the export's billed size, which is therefore an approximation of what AWS would bill.
 */
final class ItemSize {

    private ItemSize() {
    }

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    private static long of(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> number(value.n());
            case B -> value.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(ItemSize::utf8).sum();
            case NS -> value.ns().stream().mapToLong(ItemSize::number).sum();
            case BS -> value.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
            case M -> 3 + value.m().entrySet().stream()
                    .mapToLong(e -> 1 + utf8(e.getKey()) + of(e.getValue())).sum();
            case L -> 3 + value.l().stream().mapToLong(v -> 1 + of(v)).sum();
            default -> 0;
        };
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String n) {
        int digits = new BigDecimal(n).stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }
}
