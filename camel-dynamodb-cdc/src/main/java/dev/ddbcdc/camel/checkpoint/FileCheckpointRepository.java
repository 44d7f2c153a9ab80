package dev.ddbcdc.camel.checkpoint;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} in one local file that survives the process being killed at any moment (SIGKILL, OOM
 * killer, a pod evicted without grace): the checkpoint store for one host or a persistent volume. Several processes
 * of that host (and several repositories in one JVM) may share the file, and its {@link #setStateIf conditional
 * write} fences them: each operation holds an exclusive lock on {@code <file>.lock} beside the file and first reads
 * what the others appended. File locks fence the processes of ONE host only: they are not honoured across hosts on
 * NFS and other network file systems, so for instances on several hosts use {@link JdbcStateRepository} or the
 * DynamoDB checkpoint store. Do not delete the lock file while a process has the checkpoint file open.
 * <p>
 * Every {@link #setState} appends one {@code key=value} line in a single write call, so a killed process leaves
 * either the whole line or a torn last line without its newline; a torn line is dropped (and cut off the file) by the
 * next process to read the file, which then uses the value before it, an older position (at-least-once). When the
 * file has grown past {@link #setMaxFileSize(long)} and holds mostly superseded lines, it is compacted by writing the
 * current values to a temporary file, forcing it to disk and renaming it over the file in one atomic move: a crash
 * leaves the old or the new file, never a half-written one; the line {@code =} it appends to the old file first
 * tells the other processes to read the new one. A key removed by {@link #setStateIf} is a line {@code =key}; builds
 * before this one refuse to start on either line, naming it.
 * <p>
 * Camel's {@code FileStateRepository} is not safe against such crashes: it writes a line in several write calls, so a
 * kill can leave a line without its {@code =}, on which its next start fails ({@code StringIndexOutOfBoundsException});
 * and it truncates and rewrites the file in place once it reaches its maximum size, so a kill then loses every
 * checkpoint (and a snapshot starts again).
 * <p>
 * Writes reach the operating system at once and outlive the process; {@link #setForceWrites(boolean)} also forces each
 * one to the disk, so that they outlive a power loss or a kernel crash too (at the cost of a disk flush per write).
 */
public class FileCheckpointRepository extends ServiceSupport implements FencedStateRepository {

    private static final long DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

    private Path file;
    private volatile CheckpointLog log;
    private volatile long maxFileSize = DEFAULT_MAX_FILE_SIZE;
    private volatile boolean forceWrites;

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
        if (log != null) {
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
        log = CheckpointLog.acquire(file);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        CheckpointLog started = log;
        log = null;
        if (started != null) {
            started.release();
        }
    }

    /** Appends the value; it is visible to every repository on the file when this returns. */
    @Override
    public void setState(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("A checkpoint value must not be null (key " + key + ")");
        }
        CheckpointLog started = started(key);
        try {
            started.put(key, value, forceWrites, maxFileSize);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write checkpoint " + key + " to " + file, e);
        }
    }

    /** The value last written by any repository on the file (read under the lock, so it is the latest). */
    @Override
    public String getState(String key) {
        CheckpointLog started = started(key);
        try {
            return started.get(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read checkpoint " + key + " from " + file, e);
        }
    }

    @Override
    public boolean setStateIf(String guardKey, String guardValue, String key, String value) {
        CheckpointLog started = started(key);
        if (guardKey == null || guardKey.isEmpty()) {
            throw new IllegalArgumentException("A guard key must not be null or empty");
        }
        FencedStateRepository.checkGuard(guardKey, guardValue, key);
        try {
            return started.putIf(guardKey, guardValue, key, value, forceWrites, maxFileSize);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write checkpoint " + key + " to " + file + " guarded by "
                                           + guardKey, e);
        }
    }

    private CheckpointLog started(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("A checkpoint key must not be null or empty");
        }
        CheckpointLog started = log;
        if (started == null) {
            throw new IllegalStateException("FileCheckpointRepository " + file + " is not started");
        }
        return started;
    }
}
