package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;

/**
 * A DYNAMODB_JSON data file read line by line ({@link ByteLines}) with {@link JsonLineParser}, which reads the JSON
 * that exports are written in several times cheaper than Jackson's streaming parser building the same values. When it
 * meets a line it does not read, the rest of the file is read by {@link JsonItemReader} (Jackson) exactly as before,
 * from the line before that one if its item was not handed on yet: like {@link JsonItemReader}, this reader looks at
 * the next line before it hands on an item, and Jackson may find that line's fault while moving ahead from the item
 * before it (text after that item, it says then). So every item is handed on with its line as before, and every bad
 * line fails with the same line and message as it always has (a blank line, two values on a line, an item going on
 * past its line, a line that is not an item). A carriage return inside a line (not the one of its {@code \r\n}) is
 * never read here: Jackson counts it as a line end, {@link ByteLines} does not. The stream underneath is not closed.
 */
final class JsonLineReader implements ItemReader {

    private static final int BUFFER = 64 * 1024;

    private final ByteLines lines;
    private final JsonLineParser parser = new JsonLineParser();
    private final JsonFactory jackson;
    private long line;
    private Map<String, Object> item;
    /** The item of the line read ahead, not handed on yet; null at the end or once Jackson reads the rest. */
    private Map<String, Object> ahead;
    private long aheadLine;
    /** Reads the rest of the file once a line was not read here; null until then. */
    private JsonItemReader rest;
    private boolean started;

    /**
     * @param jackson     the factory of the parser that reads the rest of the file from a line not read here
     * @param linesBefore the lines of the file before {@code gunzipped} (skipped when resuming)
     */
    JsonLineReader(JsonFactory jackson, InputStream gunzipped, long linesBefore) {
        this.jackson = jackson;
        this.lines = new ByteLines(gunzipped, BUFFER);
        this.line = linesBefore;
        this.aheadLine = linesBefore;
    }

    @Override
    public boolean next() throws IOException {
        if (!started) {
            started = true;
            moveAhead();
        }
        if (ahead != null) {
            Map<String, Object> current = ahead;
            long currentLine = aheadLine;
            moveAhead();
            if (rest == null || ahead != null) {
                line = currentLine;
                item = current;
                return true;
            }
        }
        if (rest == null || !rest.next()) {
            return false;
        }
        line = rest.line();
        item = rest.item();
        return true;
    }

    /**
     * Reads the next line's item; at a line not read here, hands the rest of the file to Jackson from the line of the
     * item read ahead before it (not handed on yet), or from that line when there is none.
     */
    private void moveAhead() throws IOException {
        boolean before = ahead != null;
        ahead = null;
        if (!lines.next()) {
            return;
        }
        byte[] buffer = lines.buffer();
        int offset = lines.offset();
        Map<String, Object> parsed = parser.parse(buffer, offset, lines.length());
        if (parsed != null) {
            ahead = parsed;
            aheadLine++;
            return;
        }
        int from = before ? lines.previousOffset() : offset;
        byte[] copy = Arrays.copyOfRange(buffer, from, offset + lines.lengthWithEnd());
        rest = new JsonItemReader(jackson, new SequenceInputStream(new ByteArrayInputStream(copy), lines.rest()),
                before ? aheadLine - 1 : aheadLine);
    }

    @Override
    public Map<String, Object> item() {
        return item;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public void close() throws IOException {
        if (rest != null) {
            rest.close();
        }
    }
}
