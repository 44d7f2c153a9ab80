package dev.ddbcdc.camel.scan;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size in bytes as DynamoDB counts it for read capacity: each attribute's name (UTF-8) plus its value:
 * strings in UTF-8 bytes, binaries in bytes, numbers about one byte per two significant digits plus one, one byte
 * for a boolean or null, sets the sum of their elements, lists and maps three bytes plus one per element and their
 * elements (map keys included).
 */
final class ItemSize {

    private ItemSize() {
    }

    static long of(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            bytes += utf8(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return bytes;
    }

    private static long valueSize(AttributeValue value) {
        switch (value.type()) {
            case S:
                return utf8(value.s());
            case N:
                return numberSize(value.n());
            case B:
                return value.b().asByteArrayUnsafe().length;
            case SS:
                long strings = 0;
                for (String element : value.ss()) {
                    strings += utf8(element);
                }
                return strings;
            case NS:
                long numbers = 0;
                for (String element : value.ns()) {
                    numbers += numberSize(element);
                }
                return numbers;
            case BS:
                long binaries = 0;
                for (SdkBytes element : value.bs()) {
                    binaries += element.asByteArrayUnsafe().length;
                }
                return binaries;
            case L:
                return 3 + elements(value.l());
            case M:
                long map = 3;
                for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
                    map += 1 + utf8(entry.getKey()) + valueSize(entry.getValue());
                }
                return map;
            default: // BOOL, NULL
                return 1;
        }
    }

    private static long elements(List<AttributeValue> list) {
        long bytes = 0;
        for (AttributeValue element : list) {
            bytes += 1 + valueSize(element);
        }
        return bytes;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long numberSize(String number) {
        return (new BigDecimal(number).stripTrailingZeros().precision() + 1) / 2 + 1;
    }
}
