package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whole ION data files read by {@link IonLineReader} and by the ion-java reader it replaces ({@link IonItemReader}):
 * random files of good lines in many spellings with now and then a bad line (blank, two values, an item going on
 * past its line, not Ion, not an item, an incremental line, a truncated end) give the same items with the same lines,
 * and fail at the same line with the same message.
 */
class IonLineReaderTest {

    private static final String[] BAD = {"", "   ", "\t", "{Item:{a:1}} {Item:{b:2}}", "$ion_1_0 {Item:{a:\"x\",",
        "b:1}}", "// only a comment", "/* open comment", "*/ {Item:{}}", "$ion_1_0", "$ion_1_0 {Other:1}", "{Item:5}",
        "{Item:{a:$dynamodb_NS::[\"x\"]}}", "{Keys:{a:\"x\"},NewImage:{}}", "{Item:{a:1}} x", "x", "[1,2]", "{Item:{a:",
        "{Item:{a:1e0}} // float", "{Item:{a:'''long'''}}", "{Item:{a:2007-01-01T}}", "{Item:{a:{{\"clob\"}}}}",
        "{Item:{a:nan}}", "\"text\"", "{Item:{a:1}}\r", "{Item:{a:\"\\q\"}}", "{Item:{'a\nb':1}}", "{{AQ==}}",
        "$ion_symbol_table::{symbols:[\"s\"]}", "{Item:{$10:1}}", "{Item:{a:sym}}", "{Item:{a:1,}}", "{Item:{a:[1,]}}"};

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Each item read as "line:item" (items compared with {@link RandomItems#same}), then the failure if one came. */
    private static List<Object> read(ItemReader reader) throws IOException {
        List<Object> seen = new ArrayList<>();
        try (reader) {
            while (reader.next()) {
                seen.add(reader.line());
                seen.add(reader.item());
            }
        } catch (ItemReader.BadLineException e) {
            seen.add("!" + e.line() + ": " + e.getMessage());
        }
        return seen;
    }

    private static List<Object> readNew(String file, long linesBefore) throws IOException {
        return read(new IonLineReader(stream(file), linesBefore));
    }

    private static List<Object> readOld(String file, long linesBefore) throws IOException {
        return read(new IonItemReader(IonItemParser.ionReader(stream(file)), linesBefore));
    }

    @Test
    void randomFilesWithBadLinesReadAsIonJavaReadsThem() throws IOException {
        RandomItems items = new RandomItems(Long.getLong("ionTestSeed", 77));
        SplittableRandom random = items.random();
        IonSpellings spell = new IonSpellings(random);
        List<String> failures = new ArrayList<>();
        for (int f = 0; f < 1500; f++) {
            StringBuilder file = new StringBuilder();
            int lines = random.nextInt(0, 12);
            for (int i = 0; i < lines; i++) {
                int kind = random.nextInt(30) - 1;
                String line = kind <= 0 ? BAD[random.nextInt(BAD.length)] : kind < 10 ? spell.kit(items.item())
                        : spell.random(items.item(), kind < 14);
                file.append(line).append(i < lines - 1 || random.nextInt(4) > 0 ? random.nextInt(5) == 0 ? "\r\n" : "\n" : "");
            }
            if (random.nextInt(10) == 0) {
                file.append(BAD[random.nextInt(3)]).append(random.nextBoolean() ? "\n" : "");
            }
            long before = random.nextInt(3) == 0 ? random.nextInt(1, 100) : 0;
            List<Object> expected = readOld(file.toString(), before);
            List<Object> actual = readNew(file.toString(), before);
            if (!RandomItems.same(expected, actual)) {
                failures.add(file + "\n  ion-java: " + expected + "\n  new:      " + actual);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " files read differently, e.g.\n" + String.join("\n", failures.subList(0,
                    Math.min(6, failures.size()))));
        }
    }

    @Test
    void badLinesFailWithTheirLineAndMessageAfterTheItemsBefore() throws IOException {
        String good = "$ion_1_0 {Item:{pk:\"a\",n:1.50}}";
        assertEquals(List.of(1L, "!2: no Item in the line"), lines(readNew(good + "\n$ion_1_0 {Other:1}\n", 0)));
        assertEquals(List.of(11L, "!12: Item must be a struct"), lines(readNew(good + "\n{Item:5}\n", 10)));
        assertEquals(List.of(1L, "!2: more than one value in the line"), lines(readNew(good + "\n" + good + " " + good, 0)));
        assertEquals(List.of(1L, "!2: $dynamodb_NS holds a STRING; expected DECIMAL"),
                lines(readNew(good + "\n{Item:{a:$dynamodb_NS::[\"x\"]}}", 0)));
        assertEquals(List.of(1L, "!2: 'Keys' is a line of an incremental export; only full exports can be a snapshot"),
                lines(readNew(good + "\n{Keys:{a:\"x\"},NewImage:{}}", 0)));
        assertEquals(List.of("!2: expected an Ion struct on the line: the line is blank, or the item of the line before"
                             + " it goes on past its end"), lines(readNew(good + "\n \n" + good, 0)));
        assertEquals(List.of(1L, 2L), lines(readNew(good + "\n" + good + "\n\n  \n", 0)), "blank lines at the end");
        assertEquals(List.of(1L, 2L, 3L), lines(readNew(good + "\n" + good + " // note\n" + good + "\n", 0)),
                "a line ion-java reads on its own, and the lines after it read natively again");
        List<Object> truncated = lines(readNew(good + "\n$ion_1_0 {Item:{a:", 0));
        assertEquals(1L, truncated.get(0));
        assertTrue(truncated.get(1).toString().startsWith("!2: not valid Ion"), truncated.toString());
    }

    /** Only the lines and the failure. */
    private static List<Object> lines(List<Object> seen) {
        List<Object> lines = new ArrayList<>();
        for (Object o : seen) {
            if (!(o instanceof java.util.Map)) {
                lines.add(o);
            }
        }
        return lines;
    }
}
