package dev.ddbcdc.bench;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items of about 300 bytes as an export line, with every attribute type (S, N, B, BOOL, NULL, SS, NS, M, L), the
 * same for the same index and seed. Key attribute {@code pk}.
 */
final class SyntheticItems implements Iterator<Map<String, AttributeValue>> {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final long count;
    private final long seed;
    private long next;

    SyntheticItems(long count, long seed) {
        this.count = count;
        this.seed = seed;
    }

    @Override
    public boolean hasNext() {
        return next < count;
    }

    @Override
    public Map<String, AttributeValue> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return item(next++, seed);
    }

    static Map<String, AttributeValue> item(long index, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS(String.format(Locale.ROOT, "item-%010d", index)));
        item.put("name", AttributeValue.fromS(text(random, 18)));
        item.put("price", AttributeValue.fromN(random.nextInt(100_000) + "." + random.nextInt(10) + random.nextInt(10)));
        item.put("qty", AttributeValue.fromN(Integer.toString(random.nextInt(1000))));
        item.put("active", AttributeValue.fromBool(random.nextBoolean()));
        byte[] blob = new byte[18];
        random.nextBytes(blob);
        item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(blob)));
        item.put("tags", AttributeValue.fromSs(List.of(text(random, 5) + "a", text(random, 5) + "b")));
        item.put("scores", AttributeValue.fromNs(List.of("1." + random.nextInt(100), Integer.toString(
                100 + random.nextInt(900)))));
        item.put("address", AttributeValue.fromM(Map.of(
                "street", AttributeValue.fromS(text(random, 14)),
                "zip", AttributeValue.fromN(Integer.toString(10_000 + random.nextInt(90_000))))));
        item.put("history", AttributeValue.fromL(List.of(AttributeValue.fromN(Integer.toString(random.nextInt(50))),
                AttributeValue.fromS("shipped"), AttributeValue.fromBool(false))));
        item.put("note", AttributeValue.fromNul(true));
        return item;
    }

    private static String text(SplittableRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = LETTERS.charAt(random.nextInt(LETTERS.length()));
        }
        return new String(chars);
    }
}
