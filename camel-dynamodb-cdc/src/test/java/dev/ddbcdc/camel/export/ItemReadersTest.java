package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.options.ExportFormat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole data file read by one parser: every item with its exact line, and every way a line can fail to be one item
 * (blank, two values, an item going on past its line, not an item) failing that line before its item is returned,
 * with the message the single-line parser gives.
 */
class ItemReadersTest {

    private static final ItemParser JSON = ItemParser.of(ExportFormat.DYNAMODB_JSON);
    private static final ItemParser ION = ItemParser.of(ExportFormat.ION);

    private static String json(int n) {
        return "{\"Item\":{\"pk\":{\"S\":\"k" + n + "\"},\"n\":{\"N\":\"" + n + ".50\"}}}";
    }

    private static String ion(int n) {
        return "$ion_1_0 {Item:{pk:\"k" + n + "\",n:" + n + ".50}}";
    }

    /** The lines and pk of each item read, then the failure if one came ("!<line>: <message>"). */
    private static List<String> read(ItemParser parser, String file, long linesBefore) throws IOException {
        List<String> seen = new ArrayList<>();
        try (ItemReader reader = parser.reader(stream(file), linesBefore)) {
            while (reader.next()) {
                seen.add(reader.line() + ":" + reader.item().get("pk"));
            }
        } catch (ItemReader.BadLineException e) {
            seen.add("!" + e.line() + ": " + e.getMessage());
        }
        return seen;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyItemHasItsLineWithOrWithoutAFinalLineEndAndWithCrLf() throws IOException {
        for (ItemParser parser : List.of(JSON, ION)) {
            boolean isJson = parser == JSON;
            String a = isJson ? json(1) : ion(1);
            String b = isJson ? json(2) : ion(2);
            String c = isJson ? json(3) : ion(3);
            List<String> expected = List.of("1:k1", "2:k2", "3:k3");
            assertEquals(expected, read(parser, a + "\n" + b + "\n" + c + "\n", 0));
            assertEquals(expected, read(parser, a + "\n" + b + "\n" + c, 0));
            assertEquals(expected, read(parser, a + "\r\n" + b + "\r\n" + c + "\r\n", 0));
            assertEquals(List.of(), read(parser, "", 0));
            assertEquals(List.of("8:k1", "9:k2"), read(parser, a + "\n" + b + "\n", 7), "after skipped lines");
        }
        try (ItemReader reader = JSON.reader(stream(json(7) + "\n"), 0)) {
            assertTrue(reader.next());
            assertEquals(new BigDecimal("7.50"), reader.item().get("n"), "numbers exact");
        }
    }

    @Test
    void aBlankLineFailsItsLineAfterTheItemsBeforeIt() throws IOException {
        assertEquals(List.of("1:k1", "!2: expected a JSON object, found the end"),
                read(JSON, json(1) + "\n\n" + json(3) + "\n", 0));
        assertEquals(List.of("1:k1", "!2: expected a JSON object, found the end"), read(JSON, json(1) + "\n   \n", 0));
        assertEquals(List.of("1:k1", "!2: expected a JSON object, found the end"), read(JSON, json(1) + "\n\n", 0));
        assertEquals(List.of("!1: expected a JSON object, found the end"), read(JSON, "\n" + json(2) + "\n", 0));
        assertEquals(List.of("!1: expected a JSON object, found the end"), read(JSON, "\n", 0));
        List<String> ion = read(ION, ion(1) + "\n\n" + ion(3) + "\n", 0);
        assertEquals(1, ion.size(), "the item before an Ion gap is not handed on: " + ion);
        assertTrue(ion.get(0).startsWith("!2: expected an Ion struct on the line"), ion.toString());
    }

    @Test
    void anItemGoingOnPastItsLineFailsThatLine() throws IOException {
        assertEquals(List.of("1:k1", "!2: not valid JSON: the item goes on past the end of its line"),
                read(JSON, json(1) + "\n{\"Item\":{\"pk\":{\"S\":\"x\"},\n\"n\":{\"N\":\"1\"}}}\n" + json(4), 0));
        List<String> corrupt = read(JSON, json(1) + "\n" + json(2) + "\n" + json(3) + "\n{\"Item\":{\"pk\":{\"S\":\"broken\"},\n"
                                          + json(5) + "\n", 0);
        assertEquals(List.of("1:k1", "2:k2", "3:k3"), corrupt.subList(0, 3));
        assertTrue(corrupt.get(3).startsWith("!4: not valid JSON"), corrupt.toString());
        assertEquals(4, corrupt.size());
        // Ion spans have no end: the item of line 2 going on into line 3 looks like a line 3 without an item;
        // the item of line 2 is not handed on either
        List<String> ion = read(ION, ion(1) + "\n$ion_1_0 {Item:{pk:\"x\",\n n:1.}}\n" + ion(4) + "\n", 0);
        assertEquals(List.of("1:k1", "!3: expected an Ion struct on the line: the line is blank, or the item of the line"
                                     + " before it goes on past its end"), ion);
    }

    @Test
    void textAfterAnItemOnItsLineFailsTheLineBeforeItsItem() throws IOException {
        assertEquals(List.of("1:k1", "!2: text after the item"), read(JSON, json(1) + "\n" + json(2) + " " + json(3), 0));
        List<String> junk = read(JSON, json(1) + "\n" + json(2) + " x\n" + json(4), 0);
        assertEquals(List.of("1:k1", "!2: text after the item"), junk);
        List<String> junkNext = read(JSON, json(1) + "\n" + json(2) + "\nx\n", 0);
        assertEquals(List.of("1:k1", "2:k2"), junkNext.subList(0, 2));
        assertTrue(junkNext.get(2).startsWith("!3: not valid JSON"), junkNext.toString());
        assertEquals(List.of("1:k1", "!2: more than one value in the line"),
                read(ION, ion(1) + "\n" + ion(2) + " " + ion(3) + "\n", 0));
    }

    @Test
    void aLineThatIsNotAnItemFailsWithTheSingleLineMessages() throws IOException {
        assertEquals(List.of("1:k1", "!2: no \"Item\" in the line"), read(JSON, json(1) + "\n{\"Other\":1}\n", 0));
        assertEquals(List.of("!1: unknown attribute type 'Q'"), read(JSON, "{\"Item\":{\"a\":{\"Q\":\"x\"}}}\n", 0));
        assertEquals(List.of("!1: 'twelve' is not a number"), read(JSON, "{\"Item\":{\"a\":{\"N\":\"twelve\"}}}", 0));
        List<String> incremental = read(JSON, "{\"Keys\":{\"a\":{\"S\":\"x\"}},\"NewImage\":{}}\n", 0);
        assertTrue(incremental.get(0).startsWith("!1: 'Keys' is a line of an incremental export"), incremental.toString());
        assertEquals(List.of("1:k1", "!2: no Item in the line"), read(ION, ion(1) + "\n$ion_1_0 {Other:1}\n", 0));
        assertEquals(List.of("!1: $dynamodb_NS holds a STRING; expected DECIMAL"),
                read(ION, "$ion_1_0 {Item:{a:$dynamodb_NS::[\"x\"]}}\n", 0));
        List<String> truncated = read(ION, ion(1) + "\n$ion_1_0 {Item:{a:", 0);
        assertEquals("1:k1", truncated.get(0));
        assertTrue(truncated.get(1).startsWith("!2: not valid Ion"), truncated.toString());
    }

    @Test
    void skippingLinesCountsThemByTheirLineEnds() throws IOException {
        String file = json(1) + "\n" + json(2) + "\r\n" + json(3) + "\n" + json(4);
        ByteLines lines = new ByteLines(stream(file), 8);
        assertEquals(2, lines.skip(2));
        assertEquals(List.of("3:k3", "4:k4"), readFrom(lines.rest(), 2));
        assertEquals(4, new ByteLines(stream(file), 8).skip(10), "a last line without a line end counts");
    }

    private static List<String> readFrom(InputStream in, long linesBefore) throws IOException {
        List<String> seen = new ArrayList<>();
        try (ItemReader reader = JSON.reader(in, linesBefore)) {
            while (reader.next()) {
                seen.add(reader.line() + ":" + reader.item().get("pk"));
            }
        }
        return seen;
    }
}
