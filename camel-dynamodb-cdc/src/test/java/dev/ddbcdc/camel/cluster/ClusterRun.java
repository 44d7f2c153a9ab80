package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.crash.SinkLine;
import dev.ddbcdc.camel.crash.TableWriter;

/**
 * The members of one cluster test, all on one endpoint URI, one cluster service and one checkpoint store: starting
 * them (ids 1, 2, ...), finding the leader from their status files, waiting for a takeover, and their sinks merged in
 * the order of delivery.
 */
final class ClusterRun implements AutoCloseable {

    /** A member reported leading at {@code micros}. */
    record Takeover(Member member, long micros) {
    }

    private final Path dir;
    private final String uri;
    private final String cluster;
    private final String store;
    private final List<Member> members = new ArrayList<>();

    ClusterRun(Path dir, String uri, String cluster, String store) {
        this.dir = dir;
        this.uri = uri;
        this.cluster = cluster;
        this.store = store;
    }

    /** The id the next member {@link #add()} starts will have. */
    int nextId() {
        return members.size() + 1;
    }

    /** Starts the next member (does not wait for it). */
    Member add() throws IOException {
        Member member = Member.start(nextId(), uri, cluster, store, dir);
        members.add(member);
        return member;
    }

    List<Member> members() {
        return members;
    }

    List<Member> alive() {
        return members.stream().filter(Member::isAlive).toList();
    }

    /** The alive members whose last reported state says they lead. */
    List<Member> leaders() throws IOException {
        List<Member> leaders = new ArrayList<>();
        for (Member member : alive()) {
            MemberStatus latest = member.latest();
            if (latest != null && latest.leader()) {
                leaders.add(member);
            }
        }
        return leaders;
    }

    /** The units ({@code clusterMode=BUCKETS}) each alive member's last reported state says it leads, by unit. */
    Map<String, List<Member>> unitLeaders() throws IOException {
        Map<String, List<Member>> leaders = new TreeMap<>();
        for (Member member : alive()) {
            MemberStatus latest = member.latest();
            if (latest != null) {
                latest.units().forEach(u -> leaders.computeIfAbsent(u, x -> new ArrayList<>()).add(member));
            }
        }
        return leaders;
    }

    /**
     * Waits until an alive member other than {@code not} reported leading at or after {@code sinceMicros}; fails
     * after {@code timeout}.
     */
    Takeover awaitLeader(long sinceMicros, Member not, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Takeover first = null;
            for (Member member : alive()) {
                if (member == not) {
                    continue;
                }
                long micros = member.firstLeadingSince(sinceMicros);
                if (micros >= 0 && (first == null || micros < first.micros())) {
                    first = new Takeover(member, micros);
                }
            }
            if (first != null) {
                return first;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no member took the lead within " + timeout + "; " + describe());
            }
            Thread.sleep(10);
        }
    }

    /** Waits until {@code member} reports {@code phase} (or a phase after it in snapshot-then-stream order). */
    void awaitPhase(Member member, Phase phase, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            member.process().requireAlive();
            MemberStatus latest = member.latest();
            if (latest != null && latest.leader() && latest.phase().ordinal() >= phase.ordinal()
                && latest.phase().ordinal() <= Phase.STREAMING.ordinal()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(member + " did not reach " + phase + " within " + timeout + "; "
                                         + describe() + "\n" + member.process().logTail());
            }
            Thread.sleep(5);
        }
    }

    /** Waits until {@code member}'s sink holds at least {@code lines} lines. */
    static void awaitSinkLines(Member member, int lines, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (member.sinkLines() < lines) {
            member.process().requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(member + " did not deliver " + lines + " lines within " + timeout + " (has "
                                         + member.sinkLines() + ")\n" + member.process().logTail());
            }
            Thread.sleep(2);
        }
    }

    /** Waits until every write is in some member's sink as a stream record; returns how many are missing. */
    long awaitCaughtUp(List<TableWriter.Write> writes, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> delivered = new HashSet<>();
            for (SinkLine line : mergedSink()) {
                if (!line.isSnapshot()) {
                    delivered.add(line.write());
                }
            }
            long missing = writes.stream().filter(w -> !delivered.contains(w.id())).count();
            if (missing == 0 || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(200);
        }
    }

    /** Every member's sink lines, in the order they were delivered (wall time; a member's own order on ties). */
    List<SinkLine> mergedSink() throws IOException {
        List<SinkLine> all = new ArrayList<>();
        for (Member member : members) {
            all.addAll(member.sink());
        }
        all.sort(Comparator.comparingLong(SinkLine::deliveredMicros));
        return all;
    }

    /** Every member's states, for messages. */
    String describe() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Member member : members) {
            text.append(member).append(member.isAlive() ? " alive " : " dead ").append(member.latest()).append("; ");
        }
        return text.toString();
    }

    /** SIGTERM to every member still alive, standbys first. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<Member> alive = new ArrayList<>(alive());
        List<Member> leaders = leaders();
        alive.sort(Comparator.comparing(leaders::contains));
        for (Member member : alive) {
            member.process().stop();
        }
    }
}
