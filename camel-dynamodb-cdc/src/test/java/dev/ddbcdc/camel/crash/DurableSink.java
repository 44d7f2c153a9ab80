package dev.ddbcdc.camel.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only file of {@link SinkLine}s. {@link #append(SinkLine)} writes the line in one write call and forces it
 * to disk before it returns, so an exchange whose processing returned is durable: acknowledged implies stored. A
 * process killed during a write may leave a torn last line; opening the sink cuts it off (as a log's recovery does),
 * since that exchange was never acknowledged.
 */
public final class DurableSink implements AutoCloseable {

    private final FileChannel channel;
    private final long tornBytes;

    public DurableSink(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long size = channel.size();
        long end = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (end > 0) {
            one.clear();
            channel.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        tornBytes = size - end;
        if (tornBytes > 0) {
            channel.truncate(end);
            channel.force(true);
        }
        channel.position(end);
    }

    /** Bytes of a torn last line cut off when the sink was opened. */
    public long tornBytes() {
        return tornBytes;
    }

    public synchronized void append(SinkLine line) {
        ByteBuffer bytes = ByteBuffer.wrap(line.format().getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The complete lines of a sink file (a torn last line, not yet cut off by a new run, is left out). */
    public static List<SinkLine> read(Path file) throws IOException {
        List<SinkLine> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int start = 0;
        for (int newline = content.indexOf('\n'); newline >= 0; newline = content.indexOf('\n', start)) {
            lines.add(SinkLine.parse(content.substring(start, newline)));
            start = newline + 1;
        }
        return lines;
    }
}
