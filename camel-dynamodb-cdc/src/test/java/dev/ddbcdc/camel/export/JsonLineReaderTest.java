package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whole DYNAMODB_JSON data files read by {@link JsonLineReader} and by the Jackson reader it replaces
 * ({@link JsonItemReader}): random files of good lines in many spellings with now and then a bad line (blank, two
 * values, an item going on past its line, not JSON, not an item, an incremental line, a carriage return, a truncated
 * end) give the same items with the same lines, and fail at the same line with the same message.
 */
class JsonLineReaderTest {

    private static final String[] BAD = {"", "   ", "\t", "{\"Item\":{}} {\"Item\":{}}", "{\"Item\":{\"a\":{\"S\":\"x\"},",
        "\"b\":{\"N\":\"1\"}}}", "// comment", "{\"Other\":1}", "{\"Item\":5}", "{\"Item\":{\"a\":{\"N\":\"x\"}}}",
        "{\"Keys\":{},\"NewImage\":{}}", "{\"Item\":{}} x", "x", "[1,2]", "{\"Item\":{\"a\":", "}", "{\"Item\":{}}\r",
        "{\"Item\":{}}\r{\"Item\":{}}", "{\"Item\":{\"a\":{\"S\":\"\\q\"}}}", "{\"Item\":{\"a\":{\"B\":\"AQ\"}}}",
        "{\"Item\":{\"a\":{\"Q\":\"x\"}}}", "{\"Item\":{\"a\":{\"S\":\"x\",}}}", "\"text\"", "{\"Item\":{\"a\":{\"NULL\":false}}}",
        "{\"Other\":[1,{\"x\":2}],\"Item\":{\"a\":{\"S\":\"y\"}}}", "{\"Item\":{\"\\ud800\":{\"S\":\"x\"}}}"};

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
        return read(new JsonLineReader(DynamoDbJsonItemParser.FILES, stream(file), linesBefore));
    }

    private static List<Object> readOld(String file, long linesBefore) throws IOException {
        return read(new JsonItemReader(DynamoDbJsonItemParser.FILES, stream(file), linesBefore));
    }

    @Test
    void randomFilesWithBadLinesReadAsJacksonReadsThem() throws IOException {
        RandomItems items = new RandomItems(Long.getLong("jsonTestSeed", 78));
        SplittableRandom random = items.random();
        JsonSpellings spell = new JsonSpellings(random);
        List<String> failures = new ArrayList<>();
        for (int f = 0; f < 1500; f++) {
            StringBuilder file = new StringBuilder();
            int lines = random.nextInt(0, 12);
            for (int i = 0; i < lines; i++) {
                int kind = random.nextInt(30) - 1;
                String line = kind <= 0 ? BAD[random.nextInt(BAD.length)] : kind < 10 ? JsonSpellings.compact(items.item())
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
                failures.add(file + "\n  Jackson: " + expected + "\n  new:     " + actual);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " files read differently, e.g.\n" + String.join("\n", failures.subList(0,
                    Math.min(6, failures.size()))));
        }
    }

    @Test
    void badLinesFailWithTheirLineAndMessageAfterTheItemsBefore() throws IOException {
        String good = "{\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"}}}";
        assertEquals(List.of(1L, "!2: no \"Item\" in the line"), lines(readNew(good + "\n{\"Other\":1}\n", 0)));
        assertEquals(List.of(11L, "!12: expected an object of attributes, found VALUE_NUMBER_INT"),
                lines(readNew(good + "\n{\"Item\":5}\n", 10)));
        assertEquals(List.of(1L, "!2: text after the item"), lines(readNew(good + "\n" + good + " " + good, 0)));
        assertEquals(List.of(1L, "!2: expected a JSON object, found the end"), lines(readNew(good + "\n \n" + good, 0)));
        assertEquals(List.of(1L, 2L, 3L), lines(readNew(good + "\r\n" + good + "\n{\"Other\":{\"x\":[1]},\"Item\":{}}\n",
                0)), "a line left to Jackson, and the lines after it read by it");
        List<Object> truncated = lines(readNew(good + "\n{\"Item\":{\"a\":", 0));
        assertEquals(1L, truncated.get(0));
        assertTrue(truncated.get(1).toString().startsWith("!2: not valid JSON"), truncated.toString());
    }

    /** Only the lines and the failure. */
    private static List<Object> lines(List<Object> seen) {
        List<Object> lines = new ArrayList<>();
        for (Object o : seen) {
            if (!(o instanceof Map)) {
                lines.add(o);
            }
        }
        return lines;
    }
}
