package dev.ddbcdc.camel.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file behind {@link FileCheckpointRepository}: an append-only log of {@code key=value} lines (a line
 * {@code =key} removes the key) and the values it holds. There is one per file in a JVM, shared by every repository
 * started on that file (a JVM must take a file lock through one channel only), and any number of processes of one
 * host may have the file open.
 * <p>
 * Every operation holds the log's monitor and an exclusive lock on the sibling file {@code <file>.lock} (never
 * replaced, unlike the log) and first catches up with what other processes did: it reads the lines appended since
 * this process last looked. Writers append under the lock, so a line without its newline can only have been left by
 * a process that died writing it: it is dropped and cut off, as at start. A compaction appends the line {@code =} to
 * the file it is about to replace, then renames the new file over it: a process that reads that line opens the path
 * again and reads it whole (a compaction that died before its rename leaves the line in the current file, where it
 * means nothing). When nothing changed, catching up costs one {@code fstat}.
 */
final class CheckpointLog {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLog.class);
    /** The logs open in this JVM by real path; guarded by itself. */
    private static final Map<Path, CheckpointLog> OPEN = new HashMap<>();

    private final Path file;
    private final Path lockFile;
    private final Map<String, String> states = new LinkedHashMap<>();
    /** The size of the current values as lines (in characters, unescaped): compaction's yardstick. */
    private long liveSize;
    private int users;
    private FileChannel lockChannel;
    private FileChannel channel;
    /** The end of the lines read and applied; -1: open the file again and read it whole at the next operation. */
    private long end = -1;

    private CheckpointLog(Path file) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    }

    /** The log of {@code file}, opened and read if no repository of this JVM has it open; {@link #release()} it. */
    static CheckpointLog acquire(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file); // an empty log says nothing, so creating it needs no lock
        } catch (FileAlreadyExistsException exists) {
            // as expected after the first start
        }
        Path real = file.toRealPath(); // a symbolic link is followed: its target is renamed over, and locked beside
        synchronized (OPEN) {
            CheckpointLog log = OPEN.get(real);
            if (log == null) {
                log = new CheckpointLog(real);
                log.lockChannel = FileChannel.open(log.lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            }
            try {
                log.get(null); // reads the file now, so that a start fails on a damaged one
            } catch (IOException | RuntimeException e) {
                if (log.users == 0) {
                    log.closeFiles();
                }
                throw e;
            }
            if (log.users++ == 0) {
                OPEN.put(real, log);
            }
            return log;
        }
    }

    /** Closes the log once no repository of this JVM uses it any more. */
    void release() throws IOException {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(file);
                closeFiles();
            }
        }
    }

    private synchronized void closeFiles() throws IOException {
        try (FileChannel lock = lockChannel; FileChannel data = channel) {
            lockChannel = null;
            channel = null;
            end = -1;
        }
    }

    /** The value of {@code key} ({@code null} reads the file only). */
    synchronized String get(String key) throws IOException {
        try (FileLock lock = lock()) {
            catchUp();
            return key == null ? null : states.get(key);
        }
    }

    /** Writes {@code value} ({@code null}: removes the key) and compacts the file when it has grown too large. */
    synchronized void put(String key, String value, boolean force, long maxFileSize) throws IOException {
        try (FileLock lock = lock()) {
            catchUp();
            write(key, value, force, maxFileSize);
        }
    }

    /** As {@link FencedStateRepository#setStateIf}. */
    synchronized boolean putIf(String guardKey, String guardValue, String key, String value, boolean force,
                               long maxFileSize) throws IOException {
        try (FileLock lock = lock()) {
            catchUp();
            if (!Objects.equals(states.get(guardKey), guardValue)) {
                return false;
            }
            if (value != null || states.containsKey(key)) {
                write(key, value, force, maxFileSize);
            }
            return true;
        }
    }

    private FileLock lock() throws IOException {
        if (lockChannel == null) {
            throw new IllegalStateException("Checkpoint file " + file + " is closed");
        }
        if (!lockChannel.isOpen()) { // closed by an interrupt of the thread that used it
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        return lockChannel.lock();
    }

    private void catchUp() throws IOException {
        long size = end < 0 || channel == null || !channel.isOpen() ? -1 : channel.size();
        if (size < 0 || size < end) { // not open, or cut short by hand
            reload();
        } else if (size > end) {
            int applied = apply(read(end, size), end, false);
            if (applied < 0) {
                reload();
            } else {
                end += applied;
            }
        }
    }

    /** Opens the file at the path again and reads it whole. */
    private void reload() throws IOException {
        end = -1;
        if (channel != null) {
            channel.close();
            channel = null;
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        states.clear();
        liveSize = 0;
        end = apply(read(0, channel.size()), 0, true);
    }

    private byte[] read(long from, long to) throws IOException {
        if (to - from > Integer.MAX_VALUE - 8) {
            throw new IOException("Checkpoint file " + file + " has grown past 2 GB");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) (to - from));
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, from + bytes.position()) < 0) {
                throw new IOException("Checkpoint file " + file + " ended at " + (from + bytes.position())
                                      + " while reading up to " + to);
            }
        }
        return bytes.array();
    }

    /**
     * Applies the complete lines of {@code content}, which starts at byte {@code offset} of the file, and cuts a torn
     * last line off the file; returns the length of the complete lines, or -1 at a compaction's line when not reading
     * the {@code whole} file (the file was replaced).
     */
    private int apply(byte[] content, long offset, boolean whole) throws IOException {
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] != '\n') {
                continue;
            }
            String line = new String(content, start, i - start, StandardCharsets.UTF_8);
            int eq = line.indexOf('=');
            if (eq == 0 && line.length() == 1) {
                if (!whole) {
                    return -1;
                }
            } else if (eq == 0) {
                remember(unescape(line.substring(1)), null);
            } else if (eq > 0) {
                remember(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
            } else {
                end = -1; // read it whole again next time, and fail again
                throw new IllegalStateException("Checkpoint file " + file + " has a line that is not key=value at byte "
                                                + (offset + start) + ": '" + line + "'");
            }
            start = i + 1;
        }
        if (start < content.length) {
            LOG.warn("Checkpoint file {} ends with a torn line ({} bytes, written by a process that died); it is"
                     + " dropped and the value before it is used", file, content.length - start);
            channel.truncate(offset + start);
            channel.force(true);
        }
        return start;
    }

    private void remember(String key, String value) {
        String old = value == null ? states.remove(key) : states.put(key, value);
        if (old != null) {
            liveSize -= key.length() + old.length() + 2;
        }
        if (value != null) {
            liveSize += key.length() + value.length() + 2;
        }
    }

    /** Appends the line in one write at the end (all of it is read, under the lock); on failure, cuts it off. */
    private void write(String key, String value, boolean force, long maxFileSize) throws IOException {
        byte[] line = (value == null ? "=" + escape(key) + "\n" : line(key, value)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.wrap(line);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes, end + bytes.position());
            }
            if (force) {
                channel.force(false);
            }
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(end);
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
                end = -1; // the file says whether the line is there: read it again
            }
            throw e;
        }
        end += line.length;
        remember(key, value);
        if (end > maxFileSize && end > 2 * liveSize) {
            compact();
        }
    }

    /**
     * Writes the current values to a new file and renames it over the log in one atomic move: a crash leaves the old
     * or the new file. The line {@code =} appended to the old file first tells the other processes to read the new
     * one. A failed compaction is logged only (the write before it was made) and tried again at the next write.
     */
    private void compact() {
        Path temporary = file.resolveSibling(file.getFileName() + ".compacting");
        StringBuilder text = new StringBuilder();
        states.forEach((key, value) -> text.append(line(key, value)));
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            channel.write(ByteBuffer.wrap(new byte[] {'=', '\n'}), end);
            channel.close(); // some systems refuse to replace an open file
            end = -1;
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            reload();
            LOG.debug("Compacted checkpoint file {} to {} keys", file, states.size());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not compact checkpoint file {} (tried again at the next write): {}", file, e.toString());
        }
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
}
