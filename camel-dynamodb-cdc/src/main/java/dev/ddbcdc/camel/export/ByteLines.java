package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a stream into lines as byte ranges of one reused buffer, without decoding characters or copying a line
 * into a String: the parsers read UTF-8 bytes themselves. A line ends at {@code \n} (a {@code \r} before it is
 * dropped); a last line without one counts too. The line before the current one stays in the buffer too, right before
 * it (a reader that looks one line ahead may still hand both on). The buffer grows to the longest two lines (an item
 * is at most 400 KB).
 */
final class ByteLines {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private byte[] buffer;
    private int start;
    private int end;
    private boolean eof;
    private int lineStart;
    private int lineLength;
    private int lineWithEnd;
    private int previousStart = -1;
    /** Whether a line was moved to yet. */
    private boolean taken;

    ByteLines(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        int scanFrom = start;
        while (true) {
            int lineEnd = lineEnd(scanFrom);
            if (lineEnd >= 0) {
                take(lineEnd, lineEnd + 1);
                return true;
            }
            if (eof) {
                if (start < end) {
                    take(end, end);
                    return true;
                }
                return false;
            }
            int scanned = end - start;
            fill();
            scanFrom = start + scanned;
        }
    }

    /**
     * The index of the first {@code \n} from {@code from} to the end of the bytes read, or -1: eight bytes at a time
     * (a word with a {@code \n} has a zero byte once XORed with eight of them, and the lowest zero byte is the first
     * that sets its top bit in {@code (x - 0x01..) & ~x & 0x80..}), then the last few one by one.
     */
    private int lineEnd(int from) {
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long word = (long) WORDS.get(buffer, i) ^ NEWLINES;
            long zeros = word - LOW_BITS & ~word & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
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

    /**
     * Where the line before the current one starts in {@link #buffer()}, or -1 for the first line; it ends where the
     * current line starts. Valid until the next call of {@link #next()}.
     */
    int previousOffset() {
        return previousStart;
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
        previousStart = taken ? lineStart : -1;
        taken = true;
        lineStart = start;
        lineLength = length;
        lineWithEnd = next - start;
        start = next;
    }

    /**
     * Moves the current line and the unread bytes after it to the front (growing the buffer if they fill it) and reads
     * more after them.
     */
    private void fill() throws IOException {
        int keep = lineStart;
        int kept = end - keep;
        if (keep > 0) {
            System.arraycopy(buffer, keep, buffer, 0, kept);
        } else if (kept == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        start -= keep;
        lineStart = 0;
        end = kept;
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            eof = true;
        } else {
            end += read;
        }
    }
}
