package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;

/**
 * A DYNAMODB_JSON data file read as a sequence of JSON root values by one streaming parser (no line splitter, no
 * parser per line). Lines are taken from the parser's own line count ({@code \n}, {@code \r\n} or {@code \r}), and
 * every item is checked to start on the line after the previous one and to end on the line it starts on; the parser
 * reads one token ahead before an item is returned, so text after an item on its line fails that line before its
 * item is handed on. The messages are those of {@link DynamoDbJsonItemParser} for a single line.
 */
final class JsonItemReader implements ItemReader {

    private final JsonParser parser;
    private final long linesBefore;
    /** The line of the item last returned, counted from the start of the file. */
    private long line;
    private Map<String, Object> item;
    /** The first token of the next root value, read ahead; null at the end of the input. */
    private JsonToken ahead;
    /** A failure reading ahead that belongs to a line after the current item's, thrown at the next call. */
    private BadLineException pending;
    private boolean started;

    /** Whether the lines are an incremental export's changes rather than items. */
    private final boolean changes;

    /** @param linesBefore the lines of the file before {@code in} (skipped when resuming) */
    JsonItemReader(JsonFactory factory, InputStream in, long linesBefore) throws IOException {
        this(factory, in, linesBefore, false);
    }

    /** @param changes whether the lines are an incremental export's changes rather than items */
    JsonItemReader(JsonFactory factory, InputStream in, long linesBefore, boolean changes) throws IOException {
        this.parser = factory.createParser(in);
        this.linesBefore = linesBefore;
        this.line = linesBefore;
        this.changes = changes;
    }

    @Override
    public boolean next() throws IOException {
        if (!started) {
            started = true;
            try {
                ahead = parser.nextToken();
            } catch (JsonProcessingException e) {
                throw failureAhead(e, line);
            }
        }
        if (pending != null) {
            throw pending;
        }
        if (ahead == null) {
            checkEnd();
            return false;
        }
        long start = tokenLine();
        if (start != line + 1) {
            throw blankLine(line + 1);
        }
        Map<String, Object> parsed;
        try {
            parsed = changes ? DynamoDbJsonItemParser.changeLine(parser, ahead)
                    : DynamoDbJsonItemParser.line(parser, ahead);
        } catch (JsonProcessingException e) {
            throw new BadLineException(start, notJson(e), e);
        } catch (IllegalArgumentException e) {
            throw new BadLineException(start, e.getMessage(), e);
        }
        if (tokenLine() != start) {
            throw new BadLineException(start, "not valid JSON: the item goes on past the end of its line", null);
        }
        try {
            ahead = parser.nextToken();
        } catch (JsonProcessingException e) {
            long at = lineOf(e);
            if (at <= start) {
                throw new BadLineException(start, "text after the item", e);
            }
            pending = failureAhead(e, start);
        }
        if (ahead != null && tokenLine() == start) {
            throw new BadLineException(start, "text after the item", null);
        }
        line = start;
        item = parsed;
        return true;
    }

    /**
     * After the last value only the end of the last line may follow: a line end and nothing after it. More is a
     * blank (or whitespace) line, a line without an item.
     */
    private void checkEnd() {
        JsonLocation end = parser.currentLocation();
        long endLine = linesBefore + end.getLineNr();
        if (endLine > line + 1 || endLine == line + 1 && end.getColumnNr() > 1) {
            throw blankLine(line + 1);
        }
    }

    /** A failure reading the first token of the value after line {@code current}: a bad line after it. */
    private BadLineException failureAhead(JsonProcessingException e, long current) {
        long at = lineOf(e);
        return at > current + 1 ? blankLine(current + 1) : new BadLineException(Math.max(at, current + 1), notJson(e), e);
    }

    private static BadLineException blankLine(long line) {
        return new BadLineException(line, "expected a JSON object, found the end", null);
    }

    private long tokenLine() {
        if (parser instanceof ParserBase) {
            return linesBefore + ((ParserBase) parser).getTokenLineNr();
        }
        return linesBefore + parser.currentTokenLocation().getLineNr();
    }

    private long lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? line + 1 : linesBefore + e.getLocation().getLineNr();
    }

    private static String notJson(JsonProcessingException e) {
        return "not valid JSON: " + e.getOriginalMessage();
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
        parser.close();
    }
}
