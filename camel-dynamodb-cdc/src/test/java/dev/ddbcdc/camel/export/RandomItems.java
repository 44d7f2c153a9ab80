package dev.ddbcdc.camel.export;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random DynamoDB items with every attribute type and the edges of each: unicode, escapes and keywords in strings
 * and names, empty strings, lists, maps and sets, deep nesting, numbers of 38 digits and of the largest and smallest
 * exponents, negative zero, blobs of every length up to 70 bytes.
 */
final class RandomItems {

    private static final String[] NAMES = {"a", "pk", "Item", "Keys", "null", "true", "false", "nan", "$dynamodb_SS",
        "$ion_1_0", "$ion", "$10", "$", "_x", "a b", "a'b", "a\"b", "a\\b", "tab\there", "new\nline", "", "é", "中文",
        "\uD83D\uDE00", "x1", "1x", "A_$9", "{{", "'''", "::", "a,b", "a:b", "Ünïcödé"};
    private static final String[] NUMBERS = {"0", "-0", "0.000", "1", "-1", "103", "600", "6E2", "0.1", "-1.5E-3",
        "8.50", "1E+125", "9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130",
        "12345678901234567890123456789012345678", "-0.00000000000000000000000000000000000001", "999999999999999999",
        "1000000000000000000", "123456789012345678.9", "0.5", "-7", "42.4200"};
    private static final int[] CODE_POINTS = {'"', '\'', '\\', '/', '\n', '\r', '\t', 0, 1, 7, 8, 11, 12, 0x1f, 0x7f,
        0x80, 0x85, 0xa0, 0xe9, 0xff, 0x100, 0x2028, 0x2029, 0x4e2d, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff,
        0x10000, 0x1f600, 0x10ffff, '$', '{', '}', '[', ']', ',', ':', '?'};

    private final SplittableRandom random;

    RandomItems(long seed) {
        this.random = new SplittableRandom(seed);
    }

    SplittableRandom random() {
        return random;
    }

    Map<String, AttributeValue> item() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS(string()));
        int attributes = random.nextInt(8);
        for (int i = 0; i < attributes; i++) {
            item.put(name(), value(0));
        }
        if (random.nextInt(50) == 0) {
            item.put("deep", deep(random.nextInt(20, 40)));
        }
        return item;
    }

    private AttributeValue deep(int levels) {
        AttributeValue value = AttributeValue.fromS("bottom");
        for (int i = 0; i < levels; i++) {
            value = i % 2 == 0 ? AttributeValue.fromL(List.of(value)) : AttributeValue.fromM(Map.of("d", value));
        }
        return value;
    }

    String name() {
        return random.nextInt(3) == 0 ? NAMES[random.nextInt(NAMES.length)] : random.nextBoolean() ? letters() : string();
    }

    AttributeValue value(int depth) {
        int kind = random.nextInt(depth > 4 ? 8 : 10);
        switch (kind) {
            case 0: return AttributeValue.fromS(string());
            case 1: return AttributeValue.fromN(number());
            case 2: return AttributeValue.fromB(SdkBytes.fromByteArray(bytes()));
            case 3: return AttributeValue.fromBool(random.nextBoolean());
            case 4: return AttributeValue.fromNul(true);
            case 5: return AttributeValue.fromSs(many(this::string));
            case 6: return AttributeValue.fromNs(many(this::number));
            case 7: return AttributeValue.fromBs(many(() -> SdkBytes.fromByteArray(bytes())));
            case 8: {
                Map<String, AttributeValue> map = new LinkedHashMap<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    map.put(name(), value(depth + 1));
                }
                return AttributeValue.fromM(map);
            }
            default: return AttributeValue.fromL(many(() -> value(depth + 1)));
        }
    }

    private <T> List<T> many(java.util.function.Supplier<T> one) {
        int n = random.nextInt(5);
        List<T> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(one.get());
        }
        return values;
    }

    String string() {
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(4);
            if (pick == 0) {
                s.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
            } else if (pick == 1) {
                int cp = random.nextInt(0x110000);
                s.appendCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 'x' : cp);
            } else {
                s.append((char) random.nextInt(0x20, 0x7f));
            }
        }
        return s.toString();
    }

    private String letters() {
        int n = random.nextInt(1, 10);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789".charAt(random.nextInt(i == 0 ? 53 : 63)));
        }
        return s.toString();
    }

    String number() {
        if (random.nextInt(3) == 0) {
            return NUMBERS[random.nextInt(NUMBERS.length)];
        }
        int digits = random.nextInt(1, 39);
        BigInteger unscaled = new BigInteger(digits * 4, new java.util.Random(random.nextLong()));
        if (random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        return new BigDecimal(unscaled, random.nextInt(-90, 90)).toString();
    }

    byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(71)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Deep equality of parsed values: byte arrays by content, decimals by value, scale and class, collections by order and class. */
    static boolean same(Object a, Object b) {
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> p = (Map<?, ?>) a;
            Map<?, ?> q = (Map<?, ?>) b;
            if (a.getClass() != b.getClass() || !new ArrayList<>(p.keySet()).equals(new ArrayList<>(q.keySet()))) {
                return false;
            }
            for (Object key : p.keySet()) {
                if (!same(p.get(key), q.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Collection && b instanceof Collection) {
            Collection<?> p = (Collection<?>) a;
            Collection<?> q = (Collection<?>) b;
            if (a.getClass() != b.getClass() || p.size() != q.size()) {
                return false;
            }
            Iterator<?> i = p.iterator();
            Iterator<?> j = q.iterator();
            while (i.hasNext()) {
                if (!same(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof BigDecimal && b instanceof BigDecimal) {
            return a.getClass() == b.getClass() && ((BigDecimal) a).scale() == ((BigDecimal) b).scale()
                   && ((BigDecimal) a).unscaledValue().equals(((BigDecimal) b).unscaledValue());
        }
        return Objects.equals(a, b) && (a == null || a.getClass() == b.getClass());
    }
}
