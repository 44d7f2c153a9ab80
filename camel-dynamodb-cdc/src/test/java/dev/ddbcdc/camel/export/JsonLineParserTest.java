package dev.ddbcdc.camel.export;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link JsonLineParser} against Jackson ({@link DynamoDbJsonItemParser#parse}) on many random items, each spelled
 * several ways: whenever the native parser reads a line, Jackson reads the same values from it (exact decimals with
 * their scale, the same collection types and order), and the lines exports write are all read natively.
 */
class JsonLineParserTest {

    private static final int ITEMS = 3000;

    private static Object jackson(byte[] line) {
        try {
            return new DynamoDbJsonItemParser().parse(line, 0, line.length);
        } catch (IllegalArgumentException e) {
            return "!" + e.getMessage();
        }
    }

    /** Checks one line; returns whether the native parser read it. */
    private static boolean check(String text, List<String> failures) {
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        Object expected = jackson(line);
        Map<String, Object> fast = new JsonLineParser().parse(line, 0, line.length);
        if (fast != null && !RandomItems.same(expected, fast)) {
            failures.add(text + "\n  Jackson: " + expected + "\n  native:  " + fast);
        }
        return fast != null;
    }

    @Test
    void everyNativelyReadLineHasJacksonsValuesAndExportLinesAreAllReadNatively() {
        RandomItems items = new RandomItems(Long.getLong("jsonTestSeed", 20_261_205L));
        JsonSpellings spell = new JsonSpellings(items.random());
        List<String> failures = new ArrayList<>();
        List<String> notNative = new ArrayList<>();
        int nativeRandom = 0;
        int nativeOdd = 0;
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> item = items.item();
            String compact = JsonSpellings.compact(item);
            if (!check(compact, failures)) {
                notNative.add(compact);
            }
            nativeRandom += check(spell.random(item, false), failures) ? 1 : 0;
            nativeOdd += check(spell.random(item, true), failures) ? 1 : 0;
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " lines read differently, e.g.\n" + String.join("\n", failures.subList(0,
                    Math.min(10, failures.size()))));
        }
        assertEquals(List.of(), notNative.subList(0, Math.min(5, notNative.size())), notNative.size()
                + " lines as exports write them were left to Jackson");
        assertTrue(nativeRandom > ITEMS * 0.9, "random spellings read natively: " + nativeRandom);
        assertTrue(nativeOdd > ITEMS / 10 && nativeOdd < ITEMS, "odd spellings read natively: " + nativeOdd);
    }

    private static Map<String, Object> natively(String line) {
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        return new JsonLineParser().parse(utf8, 0, utf8.length);
    }

    @Test
    void theSubsetReadNativelyAndWhatIsLeftToJackson() {
        Map<String, Object> item = natively(" { \"Item\" : {\"a\":{\"N\":\"+5\"},\"b\":{ \"N\" : \".5\" },\"c\":{\"N\":\"5.\"},"
                                            + "\"d\":{\"N\":\"-0.000\"},\"e\":{\"N\":\"00.50\"},\"f\":{\"N\":\"-1.5E-3\"},"
                                            + "\"g\":{\"N\":\"1234567890123456789\"},\"h i\":{\"S\":\"\\u00e9\\ud83d\\ude00\\/é\"},"
                                            + "\"\":{\"B\":\"AAEC\"},\"j\":{\"BOOL\":false},\"k\":{\"NS\":[\"1\",\"1.0\"]},"
                                            + "\"\\u006c\":{\"NULL\":true},\"m\":{\"L\":[]},\"n\":{\"M\":{}}}}\t");
        assertNotNull(item);
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h i", "", "j", "k", "l", "m", "n"),
                new ArrayList<>(item.keySet()));
        assertEquals(new BigDecimal("5"), item.get("a"));
        assertEquals(new BigDecimal("0.5"), item.get("b"));
        assertEquals(new BigDecimal("5"), item.get("c"));
        assertEquals(new BigDecimal("0.000"), item.get("d"));
        assertEquals(new BigDecimal("0.50"), item.get("e"));
        assertEquals(new BigDecimal("-0.0015"), item.get("f"));
        assertEquals(new BigDecimal("1234567890123456789"), item.get("g"));
        assertEquals("\u00e9\uD83D\uDE00/\u00e9", item.get("h i"));
        assertArrayEquals(new byte[] {0, 1, 2}, (byte[]) item.get(""));
        assertEquals(2, ((java.util.Set<?>) item.get("k")).size(), "1 and 1.0 differ in scale");
        assertNull(item.get("l"));
        for (String other : List.of("{\"Other\":1,\"Item\":{}}", "{\"It\\u0065m\":{}}", "{\"Item\":{\"a\":{\"\\u0053\":\"x\"}}}",
                "{\"Item\":{\"a\":{\"B\":\"AQ\"}}}", "{\"Item\":{\"a\":{\"B\":\"AR==\"}}}", "{\"Item\":{\"a\":{\"S\":\"\\q\"}}}",
                "{\"Item\":{\"a\":{\"S\":\"\u0001\"}}}", "{\"Item\":{\"a\":{\"N\":\"x\"}}}", "{\"Item\":{\"a\":{\"N\":1}}}",
                "{\"Item\":{\"a\":{\"S\":\"x\",\"N\":\"1\"}}}", "{\"Item\":{\"a\":{\"NULL\":false}}}", "{\"Item\":{}} x",
                "{\"Item\":{}}\r", "{\"Item\":{\"a\":{\"BOOL\":truex}}}", "{\"Item\":{\"a\":{\"L\":[{\"S\":\"x\"},]}}}",
                "{\"Item\":{\"a\":{\"S\":\"x\"},}}", "{\"Item\":{\"a\":{\"Q\":\"x\"}}}", "{\"Keys\":{}}", "{}", "",
                "{\"Item\":{\"a\":{\"S\":\"x\"}}", "[1]", "{\"Item\":{\"a\":{\"SS\":[1]}}}")) {
            assertNull(natively(other), other);
        }
        byte[] overlong = {'{', '"', 'I', 't', 'e', 'm', '"', ':', '{', '"', 'a', '"', ':', '{', '"', 'S', '"', ':', '"',
            (byte) 0xc0, (byte) 0x80, '"', '}', '}', '}'};
        assertNull(new JsonLineParser().parse(overlong, 0, overlong.length), "UTF-8 that is not well-formed");
    }
}
