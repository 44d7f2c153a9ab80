package dev.ddbcdc.camel.export;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link IonLineParser} against ion-java ({@link IonItemParser#parseWithIonJava}) on many random items, each spelled
 * several ways: whenever the native parser reads a line, ion-java reads the same values from it (exact decimals with
 * their scale, the same collection types and order); the lines the test kit and ion-java's writer write are all read
 * natively; and {@link IonItemParser#parse} gives the same item or the same message as ion-java for every line.
 */
class IonLineParserTest {

    private static final int ITEMS = 3000;

    /** The value or the message ion-java gives for a line. */
    private static Object ionJava(byte[] line) {
        try {
            return IonItemParser.parseWithIonJava(line, 0, line.length);
        } catch (IllegalArgumentException e) {
            return "!" + e.getMessage();
        }
    }

    private static Object parse(byte[] line) {
        try {
            return new IonItemParser().parse(line, 0, line.length);
        } catch (IllegalArgumentException e) {
            return "!" + e.getMessage();
        }
    }

    /** Checks one line; returns whether the native parser read it. */
    private static boolean check(String text, List<String> failures) {
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        Object expected = ionJava(line);
        Map<String, Object> fast = new IonLineParser().parse(line, 0, line.length);
        if (fast != null && !RandomItems.same(expected, fast)) {
            failures.add(text + "\n  ion-java: " + expected + "\n  native:   " + fast);
        }
        Object parsed = parse(line);
        if (!RandomItems.same(expected, parsed)) {
            failures.add(text + "\n  ion-java: " + expected + "\n  parse:    " + parsed);
        }
        return fast != null;
    }

    @Test
    void everyNativelyReadLineHasIonJavasValuesAndTheWritersLinesAreAllReadNatively() {
        RandomItems items = new RandomItems(Long.getLong("ionTestSeed", 20_240_611L));
        IonSpellings spell = new IonSpellings(items.random());
        List<String> failures = new ArrayList<>();
        List<String> notNative = new ArrayList<>();
        int nativeRandom = 0;
        int nativeOdd = 0;
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> item = items.item();
            for (String line : List.of(spell.kit(item), spell.ionJava(item, false))) {
                if (!check(line, failures)) {
                    notNative.add(line);
                }
            }
            check(spell.ionJava(item, true), failures);
            nativeRandom += check(spell.random(item, false), failures) ? 1 : 0;
            nativeOdd += check(spell.random(item, true), failures) ? 1 : 0;
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " lines read differently, e.g.\n" + String.join("\n", failures.subList(0,
                    Math.min(10, failures.size()))));
        }
        assertEquals(List.of(), notNative.subList(0, Math.min(5, notNative.size())), notNative.size()
                + " lines the writers write were left to ion-java");
        assertTrue(nativeRandom > ITEMS * 0.9, "random spellings read natively: " + nativeRandom);
        assertTrue(nativeOdd > ITEMS / 10 && nativeOdd < ITEMS, "odd spellings read natively: " + nativeOdd);
    }

    private static Map<String, Object> natively(String line) {
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        return new IonLineParser().parse(utf8, 0, utf8.length);
    }

    @Test
    void theSubsetReadNativelyAndWhatIsLeftToIonJava() {
        Map<String, Object> item = natively("$ion_1_0 {Item:{a:1.5d2,b:-0.,c:7,d:0.000,e:-1.5D-3,f:6d+2,g:null.string,"
                                            + "'h i':\"\\u00e9\\U0001F600\\ud83d\\ude00\\x41\\0\",'':{{AAEC}},j:{{ }},"
                                            + "k:$dynamodb_NS :: [1.,1.0],$x:true}}");
        assertNotNull(item);
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h i", "", "j", "k", "$x"), new ArrayList<>(item.keySet()));
        assertEquals(new BigDecimal("1.5E+2"), item.get("a"));
        assertEquals(BigDecimal.ZERO, item.get("b"));
        assertEquals(new BigDecimal("0.000"), item.get("d"));
        assertEquals(new BigDecimal("-0.0015"), item.get("e"));
        assertEquals(new BigDecimal("6E+2"), item.get("f"));
        assertNull(item.get("g"));
        assertEquals("\u00e9\uD83D\uDE00\uD83D\uDE00A\0", item.get("h i"));
        assertEquals(2, ((Set<?>) item.get("k")).size(), "1. and 1.0 differ in scale");
        for (String other : List.of("{Item:{a:1e0}}", "{Item:{a:sym}}", "{Item:{a:'sym'}}", "{Item:{a:'''s'''}}",
                "{Item:{a:1}} // c", "{Item:{/* c */a:1}}", "{Item:{a:2007-01-01T}}", "{Item:{a:1_0}}", "{Item:{a:0x10}}",
                "{Item:{a:{{\"c\"}}}}", "{Item:{a:{{AQ}}}}", "{Item:{a:x::1}}", "{Item:{$10:1}}", "{Item:{a:\"\\ud800\"}}",
                "{Item:{a:[1,]}}", "{Item:{a:(1)}}", "{Item:{a:1}}\r", "{Item:{a:1}} {Item:{}}", "{Other:1}", "{Item:5}",
                "{Keys:{a:1},Item:{}}", "{Item:{a:1}", "", "{Item:{a:\"\u0001\"}}", "{Item:{a:\"\\q\"}}")) {
            assertNull(natively(other), other);
        }
    }
}
