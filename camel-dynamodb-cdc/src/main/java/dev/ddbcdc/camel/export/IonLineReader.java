package dev.ddbcdc.camel.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * An ION data file read line by line ({@link ByteLines}) with {@link IonLineParser}, which reads the Ion that exports
 * are written in several times faster than ion-java's text reader. A line it does not read is read on its own by
 * {@link IonItemParser} (ion-java) when it is a complete item by itself. When that fails too, or the line is blank
 * or holds a carriage return, the rest of the file from that line on is read by {@link IonItemReader} exactly as before, so that bad lines fail
 * with the same line and message as they always have (an item going on past its line, a blank line, two values on a
 * line, a line that is not an item).
 * <p>
 * Like {@link IonItemReader} it looks at the next line before it hands on an item: a bad line after it that
 * {@link IonItemReader} would have found while moving ahead is thrown first. Blank lines at the end of the file are
 * allowed, as they were. The stream underneath is not closed.
 */
final class IonLineReader implements ItemReader {

    private static final int BUFFER = 64 * 1024;

    private final ByteLines lines;
    private final IonLineParser parser = new IonLineParser();
    private final long linesBefore;
    private long lineCount;
    private long line;
    private Map<String, Object> item;
    private long aheadLine;
    private Map<String, Object> ahead;
    /** Reads the rest of the file once a line was not read here; null until then. */
    private IonItemReader rest;
    private boolean started;

    IonLineReader(InputStream gunzipped, long linesBefore) {
        this.lines = new ByteLines(gunzipped, BUFFER);
        this.linesBefore = linesBefore;
        this.lineCount = linesBefore;
        this.line = linesBefore;
    }

    @Override
    public boolean next() throws IOException {
        if (!started) {
            started = true;
            moveAhead();
        }
        if (ahead == null) {
            if (rest == null || !rest.next()) {
                return false;
            }
            line = rest.line();
            item = rest.item();
            return true;
        }
        line = aheadLine;
        item = ahead;
        moveAhead();
        return true;
    }

    /** Reads the next line's item, or hands the rest of the file over to ion-java from that line on. */
    private void moveAhead() throws IOException {
        ahead = null;
        if (!lines.next()) {
            return;
        }
        long at = ++lineCount;
        byte[] buffer = lines.buffer();
        int offset = lines.offset();
        int length = lines.length();
        Map<String, Object> parsed = parser.parse(buffer, offset, length);
        if (parsed == null && !blankOrCarriageReturn(buffer, offset, length)) {
            try {
                parsed = IonItemParser.parseWithIonJava(buffer, offset, length);
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
        }
        if (parsed != null) {
            ahead = parsed;
            aheadLine = at;
            return;
        }
        byte[] copy = Arrays.copyOfRange(buffer, offset, offset + lines.lengthWithEnd());
        InputStream from = new SequenceInputStream(new SequenceInputStream(lineEnds(at - 1 - linesBefore),
                new ByteArrayInputStream(copy)), lines.rest());
        rest = new IonItemReader(IonItemParser.ionReader(from), linesBefore, at - 1);
        rest.start();
    }

    /** {@code count} line ends, standing for the lines read here before ion-java takes over. */
    private static InputStream lineEnds(long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                return left-- > 0 ? '\n' : -1;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                Arrays.fill(into, offset, offset + n, (byte) '\n');
                left -= n;
                return n;
            }
        };
    }

    /**
     * Whether the line is blank, or holds a carriage return (not the one of its {@code \r\n}): ion-java counts one
     * as a line end, {@link ByteLines} does not, so only ion-java can say which line comes next.
     */
    private static boolean blankOrCarriageReturn(byte[] buffer, int offset, int length) {
        boolean blank = true;
        for (int i = offset; i < offset + length; i++) {
            byte c = buffer[i];
            if (c == '\r') {
                return true;
            }
            blank &= c == ' ' || c == '\t';
        }
        return blank;
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
