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

    private void take(int lineEnd, int next) {
        int length = lineEnd - start;
        if (length > 0 && buffer[lineEnd - 1] == '\r') {
            length--;
        }
        lineStart = start;
        lineLength = length;
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
