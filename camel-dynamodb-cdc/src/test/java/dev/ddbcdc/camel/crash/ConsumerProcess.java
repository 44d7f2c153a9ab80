package dev.ddbcdc.camel.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link CrashChild} in a JVM of its own (the test's classpath), its output in {@code child-<run>.log}.
 * {@link #kill()} sends SIGKILL: {@link Process#destroyForcibly()}, which on Linux is {@code kill -9}; the exit status
 * 137 (128 + 9) proves it.
 */
final class ConsumerProcess {

    static final int SIGKILL_EXIT = 128 + 9;

    private final int run;
    private final Process process;
    private final Path log;

    private ConsumerProcess(int run, Process process, Path log) {
        this.run = run;
        this.process = process;
        this.log = log;
    }

    static ConsumerProcess start(int run, String uri, Path checkpoints, Path sink, Path dir) throws IOException {
        Path log = dir.resolve("child-" + run + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-BytecodeVerificationRemote", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), Integer.toString(run), uri, checkpoints.toString(), sink.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        return new ConsumerProcess(run, process, log);
    }

    /** Waits until the child's route started; fails with its log if it died or took too long. */
    void awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(CrashChild.STARTED)) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + run + " did not start within " + timeout + ":\n" + logTail());
            }
            Thread.sleep(20);
        }
    }

    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("run " + run + " ended by itself (exit " + process.exitValue() + "):\n"
                                     + logTail());
        }
    }

    /** SIGKILL, and waits until the process is gone; fails if it had already died or did not die of SIGKILL. */
    void kill() throws IOException, InterruptedException {
        requireAlive();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("run " + run + " survived SIGKILL for 30 s");
        }
        if (process.exitValue() != SIGKILL_EXIT) {
            throw new AssertionError("run " + run + " ended with exit " + process.exitValue() + ", not by SIGKILL");
        }
    }

    /** SIGTERM: the child's shutdown hook stops the route in order. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    String logTail() throws IOException {
        String text = log();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
