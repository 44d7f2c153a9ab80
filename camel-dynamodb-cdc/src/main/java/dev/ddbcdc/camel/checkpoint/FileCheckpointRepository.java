package dev.ddbcdc.camel.checkpoint;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateRepository} in one local file that survives the process being killed at any moment (SIGKILL, OOM
 * killer, a pod evicted without grace): the checkpoint store for one host or a persistent volume.
 * <p>
 * Every {@link #setState} appends one {@code key=value} line in a single write call, so a killed process leaves
 * either the whole line or a torn last line without its newline; a torn line is dropped (and cut off the file) at the
 * next start, which then resumes from the value before it, an older position (at-least-once). When the file has grown
 * past {@link #setMaxFileSize(long)} and holds mostly superseded lines, it is compacted by writing the current values
 * to a temporary file, forcing it to disk and renaming it over the file in one atomic move: a crash leaves the old or
 * the new file, never a half-written one.
 * <p>
 * Camel's {@code FileStateRepository} is not safe against such crashes: it writes a line in several write calls, so a
 * kill can leave a line without its {@code =}, on which its next start fails ({@code StringIndexOutOfBoundsException});
 * and it truncates and rewrites the file in place once it reaches its maximum size, so a kill then loses every
 * checkpoint (and a snapshot starts again).
 * <p>
 * Writes reach the operating system at once and outlive the process; {@link #setForceWrites(boolean)} also forces each
 * one to the disk, so that they outlive a power loss or a kernel crash too (at the cost of a disk flush per write).
 */
public class FileCheckpointRepository extends ServiceSupport implements StateRepository<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(FileCheckpointRepository.class);
    private static final long DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

    private Path file;
    private final Map<String, String> states = new LinkedHashMap<>();
    private FileChannel channel;
    private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
    private boolean forceWrites;

    /** A repository whose file is set with {@link #setFileStore(File)} before it starts (for bean properties). */
    public FileCheckpointRepository() {
    }

    public FileCheckpointRepository(File file) {
        setFileStore(file);
    }

    /** The checkpoint file (named as in Camel's {@code FileStateRepository}, so bean properties read the same). */
    public void setFileStore(File file) {
        if (file == null) {
            throw new IllegalArgumentException("FileCheckpointRepository needs a file");
        }
        if (channel != null) {
            throw new IllegalStateException("The file of a started FileCheckpointRepository cannot change");
        }
        this.file = file.toPath();
    }

    public File getFileStore() {
        return getFile();
    }

    /** How large the file may grow before it is compacted (default 1 MiB). */
    public void setMaxFileSize(long maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    public long getMaxFileSize() {
        return maxFileSize;
    }

    /** Whether every write is forced to the disk (default false: writes outlive the process, not the machine). */
    public void setForceWrites(boolean forceWrites) {
        this.forceWrites = forceWrites;
    }

    public boolean isForceWrites() {
        return forceWrites;
    }

    public File getFile() {
        return file == null ? null : file.toFile();
    }

    @Override
    protected synchronized void doStart() throws Exception {
        if (file == null) {
            throw new IllegalStateException("FileCheckpointRepository needs a file: set fileStore");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        states.clear();
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        byte[] content = Files.readAllBytes(file);
        int complete = load(content);
        if (complete < content.length) {
            LOG.warn("Checkpoint file {} ends with a torn line ({} bytes, written when the process died); it is dropped"
                     + " and the value before it is used", file, content.length - complete);
            channel.truncate(complete);
            channel.force(true);
        }
        channel.position(complete);
    }

    /** Reads the complete lines of {@code content} into the states; returns the length of those lines. */
    private int load(byte[] content) {
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] != '\n') {
                continue;
            }
            String line = new String(content, start, i - start, StandardCharsets.UTF_8);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("Checkpoint file " + file + " has a line that is not key=value at byte "
                                                + start + ": '" + line + "'");
            }
            states.put(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
            start = i + 1;
        }
        return start;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public synchronized void setState(String key, String value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("A checkpoint key must not be null or empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("A checkpoint value must not be null (key " + key + ")");
        }
        if (channel == null) {
            throw new IllegalStateException("FileCheckpointRepository " + file + " is not started");
        }
        states.put(key, value);
        try {
            append(channel, line(key, value));
            if (forceWrites) {
                channel.force(false);
            }
            if (channel.size() > maxFileSize && channel.size() > 2 * liveSize()) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write checkpoint " + key + " to " + file, e);
        }
    }

    @Override
    public synchronized String getState(String key) {
        return states.get(key);
    }

    private long liveSize() {
        long size = 0;
        for (Map.Entry<String, String> entry : states.entrySet()) {
            size += entry.getKey().length() + entry.getValue().length() + 2;
        }
        return size;
    }

    /** Writes the current values to a new file and renames it over the old one in one atomic move. */
    private void compact() throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".compacting");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            StringBuilder text = new StringBuilder();
            states.forEach((key, value) -> text.append(line(key, value)));
            append(out, text.toString());
            out.force(true);
        }
        channel.close();
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.position(channel.size());
        }
        LOG.debug("Compacted checkpoint file {} to {} keys", file, states.size());
    }

    /**
     * One {@code key=value} line. Keys may hold {@code =} (an S3 prefix such as {@code dt=2026-11-21/} is part of the
     * snapshot's keys), so {@code %}, {@code =}, CR and LF are written percent-encoded in keys and values alike.
     */
    private static String line(String key, String value) {
        return escape(key) + "=" + escape(value) + "\n";
    }

    private static String escape(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('=') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace("%", "%25").replace("=", "%3D").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        return text.replace("%3D", "=").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
    }

    private static void append(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
