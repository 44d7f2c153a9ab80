package dev.ddbcdc.camel.export;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * Reads the items of one gunzipped data file in order, one parser for the whole file, each item with the number of
 * the line it is on. An export has exactly one item per line: a line that is blank, holds more than one value, or
 * whose item goes on past the line's end is a bad line, as is a line that is not an item at all. A bad line is
 * reported as a {@link BadLineException} before the item of that line is returned; the items of the lines before it
 * have been returned. Failures of the stream underneath (a damaged gzip stream) pass through as they are.
 */
interface ItemReader extends Closeable {

    /** Moves to the next item; false at the end of the file. */
    boolean next() throws IOException;

    /** The item {@link #next()} moved to. */
    Map<String, Object> item();

    /** The line of that item (1 is the first line of the file). */
    long line();

    /** The lines known to be complete items, for messages about the stream failing underneath. */
    default long linesRead() {
        return line();
    }

    /** A line of a data file that is not one item; the message says what is wrong with it. */
    final class BadLineException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final long line;

        BadLineException(long line, String message, Throwable cause) {
            super(message, cause);
            this.line = line;
        }

        long line() {
            return line;
        }
    }
}
