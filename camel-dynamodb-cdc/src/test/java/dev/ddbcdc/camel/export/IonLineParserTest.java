package dev.ddbcdc.camel.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
}
