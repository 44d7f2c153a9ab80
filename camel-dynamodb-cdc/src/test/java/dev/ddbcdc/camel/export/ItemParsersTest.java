package dev.ddbcdc.camel.export;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.options.ExportFormat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two export line formats, read into the same plain Java values, numbers exact. */
class ItemParsersTest {

    private final ItemParser json = ItemParser.of(ExportFormat.DYNAMODB_JSON);
    private final ItemParser ion = ItemParser.of(ExportFormat.ION);

    @Test
    void dynamoDbJsonEveryType() {
        Map<String, Object> item = json.parse("{\"Item\":{\"Id\":{\"N\":\"103\"},\"Authors\":{\"SS\":[\"A1\",\"A2\"]},"
                                              + "\"InPublication\":{\"BOOL\":false},\"Cover\":{\"B\":\"AAEC\"},"
                                              + "\"Dims\":{\"M\":{\"w\":{\"N\":\"8.50\"}}},"
                                              + "\"Tags\":{\"L\":[{\"S\":\"a\"},{\"NULL\":true}]},"
                                              + "\"Sizes\":{\"NS\":[\"1\",\"12345678901234567890.123456789\"]},"
                                              + "\"Blobs\":{\"BS\":[\"AQ==\"]},\"Nothing\":{\"NULL\":true}}}");
        assertEquals(new BigDecimal("103"), item.get("Id"));
        assertEquals(Set.of("A1", "A2"), item.get("Authors"));
        assertEquals(false, item.get("InPublication"));
        assertArrayEquals(new byte[] { 0, 1, 2 }, (byte[]) item.get("Cover"));
        assertEquals(Map.of("w", new BigDecimal("8.50")), item.get("Dims"));
        assertEquals(Arrays.asList("a", null), item.get("Tags"));
        assertEquals(Set.of(new BigDecimal("1"), new BigDecimal("12345678901234567890.123456789")), item.get("Sizes"));
        assertArrayEquals(new byte[] { 1 }, (byte[]) ((Set<?>) item.get("Blobs")).iterator().next());
        assertTrue(item.containsKey("Nothing"));
        assertNull(item.get("Nothing"));
        assertEquals(List.of("Id", "Authors", "InPublication", "Cover", "Dims", "Tags", "Sizes", "Blobs", "Nothing"),
                List.copyOf(item.keySet()), "attribute order kept");
    }

    @Test
    void ionEveryTypeWithExactDecimals() {
        Map<String, Object> item = ion.parse("$ion_1_0 {Item:{Id:103.,PageCount:6d2,Price:-1.5d-3,Authors:$dynamodb_SS::"
                                             + "[\"A1\",\"A2\"],Sizes:$dynamodb_NS::[1.,25d-1],Blobs:$dynamodb_BS::"
                                             + "[{{AQ==}}],Cover:{{AAEC}},InPublication:false,Dims:{w:8.50},"
                                             + "Tags:[\"a\",null],Nothing:null,Big:12345678901234567890.123456789}}");
        assertEquals(new BigDecimal("103"), item.get("Id"));
        assertEquals(0, new BigDecimal("600").compareTo((BigDecimal) item.get("PageCount")));
        assertEquals("600", ((BigDecimal) item.get("PageCount")).toPlainString(), "6d2 is exactly 600, no 6E+2 artefact");
        assertEquals(new BigDecimal("-0.0015"), item.get("Price"));
        assertEquals(Set.of("A1", "A2"), item.get("Authors"));
        assertEquals(2, ((Set<?>) item.get("Sizes")).size());
        assertTrue(((Set<?>) item.get("Sizes")).contains(new BigDecimal("2.5")));
        assertArrayEquals(new byte[] { 1 }, (byte[]) ((Set<?>) item.get("Blobs")).iterator().next());
        assertArrayEquals(new byte[] { 0, 1, 2 }, (byte[]) item.get("Cover"));
        assertEquals(false, item.get("InPublication"));
        assertEquals(Map.of("w", new BigDecimal("8.50")), item.get("Dims"));
        assertEquals(Arrays.asList("a", null), item.get("Tags"));
        assertTrue(item.containsKey("Nothing"));
        assertEquals(new BigDecimal("12345678901234567890.123456789"), item.get("Big"));
    }

    @Test
    void badLinesSayWhatIsWrong() {
        assertMessage(json, "{\"Item\":{\"a\":{\"S\":\"x\"}", "not valid JSON");
        assertMessage(json, "{\"Other\":1}", "no \"Item\"");
        assertMessage(json, "{\"Item\":{\"a\":{\"Q\":\"x\"}}}", "unknown attribute type 'Q'");
        assertMessage(json, "{\"Item\":{\"a\":{\"N\":\"twelve\"}}}", "'twelve' is not a number");
        assertMessage(json, "{\"Keys\":{\"a\":{\"S\":\"x\"}},\"NewImage\":{}}", "incremental export");
        assertMessage(ion, "$ion_1_0 {Item:{a:", "not valid Ion");
        assertMessage(ion, "$ion_1_0 {Other:1}", "no Item");
        assertMessage(ion, "$ion_1_0 {Item:{a:$dynamodb_NS::[\"x\"]}}", "$dynamodb_NS holds a STRING");
    }

    private static void assertMessage(ItemParser parser, String line, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.parse(line));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void manifestKeysWithoutThePrefixAreResolvedUnderIt() {
        String summary = "my/prefix/AWSDynamoDB/0123-abcd/manifest-summary.json";
        assertEquals("my/prefix/AWSDynamoDB/0123-abcd/data/x.json.gz",
                ExportManifest.resolve(summary, "AWSDynamoDB/0123-abcd/data/x.json.gz"));
        assertEquals("my/prefix/AWSDynamoDB/0123-abcd/data/x.json.gz",
                ExportManifest.resolve(summary, "my/prefix/AWSDynamoDB/0123-abcd/data/x.json.gz"));
        assertEquals("AWSDynamoDB/0123-abcd/data/x.json.gz",
                ExportManifest.resolve("AWSDynamoDB/0123-abcd/manifest-summary.json", "AWSDynamoDB/0123-abcd/data/x.json.gz"));
    }
}
