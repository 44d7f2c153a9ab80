package dev.ddbcdc.camel.checkpoint;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several {@link FileCheckpointRepository}s, threads and processes of one host on one file. */
class FileCheckpointFencingTest {

    @TempDir
    Path dir;

    private final List<FileCheckpointRepository> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(FileCheckpointRepository::stop);
    }

    private FileCheckpointRepository started(Path file) {
        return started(file, 1024 * 1024);
    }

    private FileCheckpointRepository started(Path file, long maxFileSize) {
        FileCheckpointRepository repository = new FileCheckpointRepository(file.toFile());
        repository.setMaxFileSize(maxFileSize);
        repository.start();
        started.add(repository);
        return repository;
    }

    @Test
    void compareAndSetInsertsReplacesAndRemovesOnlyFromTheExpectedValue() {
        Path file = dir.resolve("cas.dat");
        FileCheckpointRepository repository = started(file);
        assertTrue(repository.compareAndSet("k", null, "1"), "insert if absent");
        assertFalse(repository.compareAndSet("k", null, "x"), "present now");
        assertFalse(repository.compareAndSet("k", "0", "x"));
        assertTrue(repository.compareAndSet("k", "1", "2"));
        assertEquals("2", repository.getState("k"));
        assertTrue(repository.compareAndSet("k", "2", "2"), "the same value again");
        assertFalse(repository.compareAndSet("k", "1", null));
        assertTrue(repository.compareAndSet("k", "2", null), "removed");
        assertNull(repository.getState("k"));
        assertTrue(repository.compareAndSet("k", null, null), "absent stays absent");
        assertTrue(repository.compareAndSet("gone", null, "v"));
        assertTrue(repository.compareAndSet("gone", "v", null));
        assertThrows(IllegalArgumentException.class, () -> repository.setStateIf("epoch", null, "k", "x"));
        assertThrows(IllegalArgumentException.class, () -> repository.setStateIf("", "1", "k", "x"));

        repository.stop(); // the next start reads the file again: the removal is a line of its own
        FileCheckpointRepository again = started(file);
        assertNull(again.getState("k"));
        assertNull(again.getState("gone"));
        assertTrue(again.compareAndSet("k", null, "3"));
        assertEquals("3", again.getState("k"));
    }

    @Test
    void aWriteFencedByAnEpochIsRefusedOnceAnotherLeaderTookTheNext() {
        Path file = dir.resolve("fenced.dat");
        FileCheckpointRepository leader = started(file);
        FileCheckpointRepository successor = started(file);
        assertTrue(leader.compareAndSet("epoch", null, "1"));
        assertTrue(leader.setStateIf("epoch", "1", "shard-1", "seq:10"));
        assertTrue(successor.compareAndSet("epoch", "1", "2"));
        assertFalse(leader.setStateIf("epoch", "1", "shard-1", "seq:5"), "the deposed leader is fenced");
        assertFalse(leader.setStateIf("epoch", "1", "shard-1", null), "also its removals");
        assertEquals("seq:10", successor.getState("shard-1"));
        assertTrue(successor.setStateIf("epoch", "2", "shard-1", "seq:11"));
        assertEquals("seq:11", leader.getState("shard-1"));
    }

    @Test
    void twoRepositoriesInOneJvmSeeEachOthersWritesAndOneCanStopAlone() {
        Path file = dir.resolve("shared.dat");
        FileCheckpointRepository one = started(file);
        FileCheckpointRepository two = started(file);
        one.setState("a", "1");
        assertEquals("1", two.getState("a"));
        assertTrue(two.compareAndSet("a", "1", "2"));
        assertEquals("2", one.getState("a"));
        two.stop();
        assertThrows(IllegalStateException.class, () -> two.getState("a"));
        one.setState("b", "x");
        assertEquals("x", started(file).getState("b"));
        assertTrue(Files.exists(dir.resolve("shared.dat.lock")));
    }

    /** What other processes do to the file, done by hand between two reads (the lock is not needed in between). */
    @Test
    void linesAppendedTornLinesAndACompactionByAnotherProcessAreReadAtTheNextOperation() throws Exception {
        Path file = dir.resolve("other.dat");
        FileCheckpointRepository repository = started(file);
        repository.setState("a", "1");
        append(file, "a=2\nb%3Dc=x%25\n");
        assertEquals("2", repository.getState("a"));
        assertEquals("x%", repository.getState("b=c"));
        append(file, "=b%3Dc\na=3\nb=tor");
        assertNull(repository.getState("b=c"));
        assertEquals("3", repository.getState("a"));
        assertEquals("a=1\na=2\nb%3Dc=x%25\n=b%3Dc\na=3\n", Files.readString(file), "the torn line is cut off");

        // a compaction: the new file renamed over the old one, whose last line says so
        Path compacted = dir.resolve("other.dat.compacting");
        Files.writeString(compacted, "a=4\nc=5\n", StandardCharsets.UTF_8);
        append(file, "=\n");
        Files.move(compacted, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertEquals("4", repository.getState("a"));
        assertEquals("5", repository.getState("c"));
        repository.setState("c", "6");
        assertEquals("a=4\nc=5\nc=6\n", Files.readString(file), "written to the new file");

        // a compaction that died before its rename leaves its line in the current file, where it means nothing
        append(file, "=\n");
        repository.setState("d", "7");
        repository.stop();
        FileCheckpointRepository again = started(file);
        assertEquals("4", again.getState("a"));
        assertEquals("6", again.getState("c"));
        assertEquals("7", again.getState("d"));
    }

    @Test
    void eightThreadsOnTwoRepositoriesCountExactly() throws Exception {
        Path file = dir.resolve("counter.dat");
        FileCheckpointRepository[] repositories = {started(file, 2_000), started(file, 2_000)};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                FileCheckpointRepository repository = repositories[t % 2];
                threads.add(pool.submit(() -> increment(repository, "counter", 200)));
            }
            for (Future<?> thread : threads) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("1600", repositories[0].getState("counter"));
        assertEquals("1600", repositories[1].getState("counter"));
        assertTrue(Files.size(file) < 4_000, "compacted: " + Files.size(file));
        stopAll();
        started.clear();
        assertEquals("1600", started(file).getState("counter"));
    }

    @Test
    void oneRepositoryCompactsWhileTheOtherKeepsReadingAndWriting() throws Exception {
        Path file = dir.resolve("compacting.dat");
        FileCheckpointRepository compacting = started(file, 1_000);
        FileCheckpointRepository other = started(file, 1024 * 1024);
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 1; i <= 3_000; i++) {
                    compacting.setState("a/" + (i % 4), Integer.toString(i));
                }
            });
            Future<?> reader = pool.submit(() -> {
                int last = 0;
                for (int i = 1; i <= 3_000; i++) {
                    other.setState("b", Integer.toString(i));
                    if (!Integer.toString(i).equals(other.getState("b"))) {
                        failed.set(true);
                    }
                    String a = other.getState("a/0");
                    int seen = a == null ? 0 : Integer.parseInt(a);
                    if (seen < last) {
                        failed.set(true); // a value went backwards
                    }
                    last = seen;
                }
            });
            writer.get(60, TimeUnit.SECONDS);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertFalse(failed.get(), "the reader saw its own write or a later one every time");
        // each repository compacts by its own threshold when it writes; the other's writes after the last one (when
        // the reader's loop ends last) are compacted by the next write of the compacting one
        compacting.setState("a/0", "3000");
        assertTrue(Files.size(file) < 2_000, "compacted: " + Files.size(file));
        assertTrue(Files.notExists(dir.resolve("compacting.dat.compacting")));
        stopAll();
        started.clear();
        FileCheckpointRepository again = started(file);
        assertEquals("3000", again.getState("a/0"));
        assertEquals("2999", again.getState("a/3"));
        assertEquals("3000", again.getState("b"));
    }

    /**
     * Two JVMs count on one key of one file at the same time, with compactions, after a process died writing the
     * file's last line: every increment lands once.
     */
    @Test
    void twoProcessesCountingOnOneFileLoseNoIncrement() throws Exception {
        int n = 1_000;
        Path file = dir.resolve("processes.dat");
        Files.writeString(file, "counter=0\nnote=x\ncounter=7", StandardCharsets.UTF_8); // a torn last line
        Path go = dir.resolve("go");
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int p = 0; p < 2; p++) {
                Path log = dir.resolve("child-" + p + ".log");
                logs.add(log);
                processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp",
                        System.getProperty("java.class.path"), FencingChild.class.getName(), file.toString(),
                        "counter", Integer.toString(n), "1000", go.toString(), "p" + p).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
            }
            for (int p = 0; p < 2; p++) {
                awaitLine(processes.get(p), logs.get(p), FencingChild.READY);
            }
            Files.createFile(go);
            for (int p = 0; p < 2; p++) {
                assertTrue(processes.get(p).waitFor(60, TimeUnit.SECONDS), "child " + p + " did not end");
                String log = Files.readString(logs.get(p));
                assertEquals(0, processes.get(p).exitValue(), log);
                assertTrue(log.contains(FencingChild.DONE), log);
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        String logs0 = Files.readString(logs.get(0)) + Files.readString(logs.get(1));
        assertTrue(logs0.contains("torn line"), logs0);
        FileCheckpointRepository after = started(file);
        assertEquals(Integer.toString(2 * n), after.getState("counter"));
        assertEquals(Integer.toString(n), after.getState("child/p0"));
        assertEquals(Integer.toString(n), after.getState("child/p1"));
        assertEquals("x", after.getState("note"));
        assertTrue(Files.size(file) < 2_000, "compacted: " + Files.size(file));
    }

    private static void increment(FileCheckpointRepository repository, String key, int times) {
        for (int done = 0; done < times;) {
            String current = repository.getState(key);
            if (repository.compareAndSet(key, current,
                    Integer.toString(current == null ? 1 : Integer.parseInt(current) + 1))) {
                done++;
            }
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void awaitLine(Process process, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains(line)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("child did not say " + line + ":\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }
}
