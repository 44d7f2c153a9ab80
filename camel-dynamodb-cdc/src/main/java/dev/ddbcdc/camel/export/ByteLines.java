package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines as byte ranges of one reused buffer, without decoding characters or copying a line
 * into a String: the parsers read UTF-8 bytes themselves. A line ends at {@code \n} (a {@code \r} before it is
 * dropped); a last line without one counts too. The buffer grows to the longest line (an item is at most 400 KB).
 */
final class ByteLines {

    private final InputStream in;
    private byte[] buffer;
    private int start;
    private int end;
    private boolean eof;
    private int lineStart;
    private int lineLength;
    private int lineWithEnd;

    ByteLines(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        int scanFrom = start;
        while (true) {
            for (int i = scanFrom; i < end; i++) {
                if (buffer[i] == '\n') {
                    take(i, i + 1);
                    return true;
                }
            }
            if (eof) {
                if (start < end) {
                    take(end, end);
                    return true;
                }
                return false;
            }
            scanFrom = end - start;
            fill();
        }
    }

    /**
     * Moves past the first {@code lines} lines without looking into them; returns how many there were (fewer when
     * the stream ends first).
     */
    long skip(long lines) throws IOException {
        long skipped = 0;
        while (skipped < lines && next()) {
            skipped++;
        }
        return skipped;
    }

    /**
     * The rest of the stream after the lines moved past: the bytes buffered, then the stream's own. Closing it, or
     * reaching its end, does not close the stream (its owner still reads what follows the gzip data).
     */
    InputStream rest() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (start < end) {
                    return buffer[start++] & 0xff;
                }
                return eof ? -1 : in.read();
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (start < end) {
                    int n = Math.min(length, end - start);
                    System.arraycopy(buffer, start, into, offset, n);
                    start += n;
                    return n;
                }
                return eof ? -1 : in.read(into, offset, length);
            }
        };
    }

    /** The buffer holding the current line; valid until the next call of {@link #next()}. */
    byte[] buffer() {
        return buffer;
    }

    int offset() {
        return lineStart;
    }

    int length() {
        return lineLength;
    }

    /** The length of the line with the line end it has in the stream ({@code \n}, {@code \r\n}, or none). */
    int lengthWithEnd() {
        return lineWithEnd;
    }

    private void take(int lineEnd, int next) {
        int length = lineEnd - start;
        if (length > 0 && buffer[lineEnd - 1] == '\r') {
            length--;
        }
        lineStart = start;
        lineLength = length;
        lineWithEnd = next - start;
        start = next;
    }

    /** Moves the unread bytes to the front (growing the buffer if they fill it) and reads more after them. */
    private void fill() throws IOException {
        int unread = end - start;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, unread);
        } else if (unread == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        start = 0;
        end = unread;
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            eof = true;
        } else {
            end += read;
        }
    }
}
