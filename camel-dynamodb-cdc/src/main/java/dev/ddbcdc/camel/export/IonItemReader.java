package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.util.Map;

import com.amazon.ion.IonException;
import com.amazon.ion.IonReader;
import com.amazon.ion.IonType;
import com.amazon.ion.TextSpan;
import com.amazon.ion.facet.Facets;
import com.amazon.ion.SpanProvider;

/**
 * An ION data file read by one Ion reader for the whole file (not one per line). Each top-level value's line is its
 * text span's start line, and every item must start on the line after the previous one: the reader moves to the
 * next value before an item is returned, so a second value on an item's line fails that line before its item is
 * handed on. Ion text spans have no end, so an item that goes on past its line and a blank line after it look the
 * same, a line missing its item: then the item before is not handed on either, and the message names the line
 * after it.
 */
final class IonItemReader implements ItemReader {

    private final IonReader reader;
    private final SpanProvider spans;
    private final long linesBefore;
    private long line;
    private Map<String, Object> item;
    /** The type of the next top-level value, moved to ahead; null at the end. */
    private IonType ahead;
    private long aheadLine;
    private boolean started;

    IonItemReader(IonReader reader, long linesBefore) {
        this(reader, linesBefore, linesBefore);
    }

    /**
     * A reader whose stream begins with {@code linesRead - linesBefore} line ends standing for lines already read
     * (by {@link IonLineReader}), so that ion-java's messages name the same lines as when it reads the whole file.
     */
    IonItemReader(IonReader reader, long linesBefore, long linesRead) {
        this.reader = reader;
        this.spans = Facets.asFacet(SpanProvider.class, reader);
        this.linesBefore = linesBefore;
        this.line = linesRead;
    }

    @Override
    public boolean next() throws IOException {
        start();
        if (ahead == null) {
            return false;
        }
        long start = aheadLine;
        if (start != line + 1) {
            throw new BadLineException(line + 1, lineWithoutItem(), null);
        }
        Map<String, Object> parsed;
        try {
            parsed = IonItemParser.line(reader, ahead);
        } catch (IonException e) {
            throw new BadLineException(start, "not valid Ion: " + e.getMessage(), readFailure(e));
        } catch (IllegalArgumentException e) {
            throw new BadLineException(start, e.getMessage(), e);
        }
        ahead = moveAhead(start);
        if (ahead != null && aheadLine == start) {
            throw new BadLineException(start, "more than one value in the line", null);
        }
        if (ahead != null && aheadLine != start + 1) {
            throw new BadLineException(start + 1, lineWithoutItem(), null);
        }
        line = start;
        item = parsed;
        return true;
    }

    /**
     * Moves to the first value (once) and checks that it starts on the first line: the lines before the one it
     * starts on are lines without an item. {@link IonLineReader} calls it before it hands on the item of the line
     * before, as this reader does for its own items.
     */
    void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        ahead = moveAhead(line);
        if (ahead != null && aheadLine != line + 1) {
            throw new BadLineException(line + 1, lineWithoutItem(), null);
        }
    }

    /** Moves to the next top-level value; a failure there is the line after {@code current}'s. */
    private IonType moveAhead(long current) throws IOException {
        try {
            IonType type = reader.next();
            if (type != null) {
                aheadLine = linesBefore + lineOfCurrentValue();
            }
            return type;
        } catch (IonException e) {
            throw new BadLineException(current + 1, "not valid Ion: " + e.getMessage(), readFailure(e));
        }
    }

    /** The Ion reader wraps the failures of the stream underneath; those are not bad lines and are thrown as such. */
    private static IonException readFailure(IonException e) throws IOException {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
        }
        return e;
    }

    private long lineOfCurrentValue() {
        if (spans == null) {
            return line + 1 - linesBefore;
        }
        TextSpan span = spans.currentSpan().asFacet(TextSpan.class);
        return span == null ? line + 1 - linesBefore : span.getStartLine();
    }

    private String lineWithoutItem() {
        return "expected an Ion struct on the line: the line is blank, or the item of the line before it goes on past"
               + " its end";
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
        reader.close();
    }
}
