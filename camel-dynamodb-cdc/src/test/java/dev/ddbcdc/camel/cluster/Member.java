package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.crash.ConsumerProcess;
import dev.ddbcdc.camel.crash.DurableSink;
import dev.ddbcdc.camel.crash.SinkLine;

/**
 * The test's handle on one {@link ClusterChild}: its process, its sink, its status file and its hold file.
 */
final class Member {

    private final int id;
    private final ConsumerProcess process;
    private final Path sink;
    private final Path status;
    private final Path hold;
    private long countedBytes;
    private int countedLines;
    private long diedMicros = Long.MAX_VALUE;
    private final List<Long> suspensions = new ArrayList<>();

    private Member(int id, ConsumerProcess process, Path sink, Path status, Path hold) {
        this.id = id;
        this.process = process;
        this.sink = sink;
        this.status = status;
        this.hold = hold;
    }

    static Member start(int id, String uri, String cluster, String store, Path dir) throws IOException {
        Path sink = dir.resolve("sink-" + id + ".log");
        Path status = dir.resolve("status-" + id + ".txt");
        Path hold = dir.resolve("hold-" + id);
        List<String> args = List.of("id=" + id, "uri=" + uri, "sink=" + sink, "status=" + status,
                "cluster=" + cluster, "store=" + store, "hold=" + hold);
        ConsumerProcess process = ConsumerProcess.start("member " + id, ClusterChild.class, args,
                ClusterChild.STARTED, dir.resolve("member-" + id + ".log"));
        return new Member(id, process, sink, status, hold);
    }

    int id() {
        return id;
    }

    ConsumerProcess process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void awaitStarted(Duration timeout) throws IOException, InterruptedException {
        process.awaitStarted(timeout);
    }

    /** SIGKILL; returns the wall time (micros) right before it was sent. */
    long kill() throws IOException, InterruptedException {
        long micros = nowMicros();
        process.kill();
        diedMicros = micros;
        return micros;
    }

    /** SIGSTOP; returns the wall time (micros) right before. */
    long suspend() throws IOException, InterruptedException {
        long micros = nowMicros();
        suspensions.add(micros);
        process.suspend();
        return micros;
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        process.resume();
    }

    /** When it was suspended (micros), each time. */
    List<Long> suspensions() {
        return suspensions;
    }

    /** When it was killed (micros), or {@link Long#MAX_VALUE} while it lives. */
    long diedMicros() {
        return diedMicros;
    }

    List<String> statusLines() throws IOException {
        if (!Files.exists(status)) {
            return List.of();
        }
        String text = Files.readString(status, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            lines.add(text.substring(start, nl));
            start = nl + 1;
        }
        return lines;
    }

    List<MemberStatus> states() throws IOException {
        List<MemberStatus> states = new ArrayList<>();
        for (String line : statusLines()) {
            MemberStatus state = MemberStatus.parse(line);
            if (state != null) {
                states.add(state);
            }
        }
        return states;
    }

    /** The last state it reported, or null before its first. */
    MemberStatus latest() throws IOException {
        List<MemberStatus> states = states();
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /** The first time (micros) it reported leading at or after {@code sinceMicros}, or -1. */
    long firstLeadingSince(long sinceMicros) throws IOException {
        for (MemberStatus state : states()) {
            if (state.leader() && state.micros() >= sinceMicros) {
                return state.micros();
            }
        }
        return -1;
    }

    /** The stream records it reported holding in its route, as {@code <shard> <sequence number>} (see {@link ClusterChild}). */
    List<String> held() throws IOException {
        return statusLines().stream().filter(l -> l.contains(" HELD ")).map(l -> l.substring(l.indexOf(" HELD ") + 6))
                .toList();
    }

    void hold() throws IOException {
        Files.writeString(hold, "hold");
    }

    void release() throws IOException {
        Files.deleteIfExists(hold);
    }

    /** Lines in its sink now, counted incrementally (the file only grows). */
    synchronized int sinkLines() throws IOException {
        if (!Files.exists(sink)) {
            return 0;
        }
        try (RandomAccessFile file = new RandomAccessFile(sink.toFile(), "r")) {
            long length = file.length();
            if (length > countedBytes) {
                byte[] bytes = new byte[(int) (length - countedBytes)];
                file.seek(countedBytes);
                file.readFully(bytes);
                int lastNewline = -1;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == '\n') {
                        countedLines++;
                        lastNewline = i;
                    }
                }
                countedBytes += lastNewline + 1;
            }
        }
        return countedLines;
    }

    List<SinkLine> sink() throws IOException {
        return DurableSink.read(sink);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public String toString() {
        return "member " + id;
    }
}
