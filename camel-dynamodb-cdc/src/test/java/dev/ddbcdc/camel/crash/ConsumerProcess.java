package dev.ddbcdc.camel.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A consumer in a JVM of its own (the test's classpath): a main class such as {@link CrashChild}, its output in a log
 * file. {@link #kill()} sends SIGKILL: {@link Process#destroyForcibly()}, which on Linux is {@code kill -9}; the exit
 * status 137 (128 + 9) proves it. {@link #suspend()} and {@link #resume()} send SIGSTOP and SIGCONT (a stalled JVM: a
 * long GC pause, a frozen VM).
 */
public final class ConsumerProcess {

    public static final int SIGKILL_EXIT = 128 + 9;

    private final String name;
    private final Process process;
    private final Path log;
    private final String startedMarker;

    private ConsumerProcess(String name, Process process, Path log, String startedMarker) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedMarker = startedMarker;
    }

    /** Run {@code run} of {@link CrashChild}, its output in {@code child-<run>.log}. */
    static ConsumerProcess start(int run, String uri, Path checkpoints, Path sink, Path dir) throws IOException {
        return start("run " + run, CrashChild.class, List.of(Integer.toString(run), uri, checkpoints.toString(),
                sink.toString()), CrashChild.STARTED, dir.resolve("child-" + run + ".log"));
    }

    /**
     * Starts {@code main} with {@code args} in a new JVM on the test's classpath, its standard output and error in
     * {@code log}; {@link #awaitStarted} waits for {@code startedMarker} in that output.
     */
    public static ConsumerProcess start(String name, Class<?> main, List<String> args, String startedMarker, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-BytecodeVerificationRemote", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        return new ConsumerProcess(name, process, log, startedMarker);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the child printed its started marker; fails with its log if it died or took too long. */
    public void awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(startedMarker)) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not start within " + timeout + ":\n" + logTail());
            }
            Thread.sleep(20);
        }
    }

    public void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError(name + " ended by itself (exit " + process.exitValue() + "):\n" + logTail());
        }
    }

    /** SIGKILL, and waits until the process is gone; fails if it had already died or did not die of SIGKILL. */
    public void kill() throws IOException, InterruptedException {
        requireAlive();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
        if (process.exitValue() != SIGKILL_EXIT) {
            throw new AssertionError(name + " ended with exit " + process.exitValue() + ", not by SIGKILL");
        }
    }

    /** SIGSTOP: every thread of the JVM stops where it is, its sockets and locks stay open. */
    public void suspend() throws IOException, InterruptedException {
        requireAlive();
        signal("STOP");
    }

    /** SIGCONT: a suspended JVM runs on from where it stopped. */
    public void resume() throws IOException, InterruptedException {
        requireAlive();
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM: the child's shutdown hook stops the route in order. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    public String logTail() throws IOException {
        String text = log();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
