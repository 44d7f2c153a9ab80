package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteLinesTest {

    @Test
    void splitsOnNewlinesDroppingCarriageReturnsAndKeepsALastLineWithoutOne() throws IOException {
        assertEquals(List.of("a", "", "bc", "d"), lines("a\n\nbc\r\nd", 4));
        assertEquals(List.of("a", "b"), lines("a\nb\n", 4));
        assertEquals(List.of(), lines("", 4));
    }

    @Test
    void aLineLongerThanTheBufferGrowsIt() throws IOException {
        String longLine = "x".repeat(10_000) + "é";
        assertEquals(List.of("short", longLine, "end"), lines("short\n" + longLine + "\nend\n", 16));
    }

    @Test
    void linesSplitAcrossReadsAreWhole() throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String line = "{\"Item\":{\"pk\":{\"S\":\"" + "k".repeat(i % 37) + i + "\"}}}";
            expected.add(line);
            text.append(line).append('\n');
        }
        assertEquals(expected, lines(text.toString(), 64));
    }

    /** Reads through a stream that hands out at most 7 bytes per read, as a network stream may. */
    private static List<String> lines(String text, int bufferSize) throws IOException {
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        ByteLines lines = new ByteLines(trickle, bufferSize);
        List<String> result = new ArrayList<>();
        while (lines.next()) {
            result.add(new String(lines.buffer(), lines.offset(), lines.length(), StandardCharsets.UTF_8));
        }
        return result;
    }
}
