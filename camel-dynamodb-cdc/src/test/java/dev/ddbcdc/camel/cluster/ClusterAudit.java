package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.ddbcdc.camel.crash.CrashAudit;
import dev.ddbcdc.camel.crash.SinkLine;

/**
 * What only several instances can break, on top of the {@link CrashAudit} checks (nothing lost, per-key order, the
 * sink equals the table), which run on the members' sinks merged in the order of delivery:
 * <ul>
 * <li><b>One reader per shard at a time.</b> For every shard (and export data file), once a member delivered its
 * first record of it, no other member that delivered records of it before may deliver any more of it, except the
 * exchanges it had in flight then ({@code allowedLate}: 0 when the old reader was killed, for a killed JVM delivers
 * nothing after its death and the new leader only starts after its session expired).</li>
 * <li><b>Children after their parents.</b> No record of a shard is delivered before the last delivered record of any
 * of its ancestors, though another member may read them ({@code clusterMode=BUCKETS}).</li>
 * <li><b>One leader at a time.</b> The members' reported leaderships (from the state that says leader=true to the
 * next that says otherwise, the member's death or its suspension) do not overlap, and each new leadership has a
 * higher epoch.</li>
 * </ul>
 */
final class ClusterAudit {

    private final CrashAudit audit;
    private int maxLate;
    private int overlaps;
    private int duplicates;
    private int snapshotDuplicates;

    ClusterAudit(CrashAudit audit) {
        this.audit = audit;
    }

    /**
     * Every check of a run at its end, into {@code audit}: duplicates counted, one reader per shard at a time (up to
     * {@code allowedLate} late records of a deposed member), one leader at a time, and the position sampler's
     * findings.
     */
    static ClusterAudit ofRun(CrashAudit audit, List<SinkLine> merged, List<Leadership> leaderships, int allowedLate,
                              PositionSampler sampler) {
        ClusterAudit cluster = new ClusterAudit(audit);
        cluster.countDuplicates(merged);
        cluster.oneReaderPerShardAtATime(merged, allowedLate);
        cluster.oneLeaderAtATime(leaderships);
        sampler.violations().forEach(audit::violation);
        return cluster;
    }

    /** The most records one member delivered of a shard after another member had started delivering it. */
    int maxLate() {
        return maxLate;
    }

    /** How many (unit, old member, new member) hand-overs had any late record. */
    int overlaps() {
        return overlaps;
    }

    /** Counts the records delivered more than once (by any members). */
    void countDuplicates(List<SinkLine> merged) {
        Set<String> seen = new HashSet<>();
        for (SinkLine line : merged) {
            if (!seen.add(line.position())) {
                duplicates++;
                if (line.isSnapshot()) {
                    snapshotDuplicates++;
                }
            }
        }
    }

    int duplicates() {
        return duplicates;
    }

    int snapshotDuplicates() {
        return snapshotDuplicates;
    }

    /** Checks the one-reader-per-unit rule over the merged sink (sorted by delivery time), a reader per member. */
    void oneReaderPerShardAtATime(List<SinkLine> merged, int allowedLate) {
        oneReaderPerShardAtATime(merged, line -> "member " + line.run(), allowedLate);
    }

    /**
     * Checks the one-reader-per-unit rule over the merged sink (sorted by delivery time), {@code reader} telling who
     * delivered a line: for every unit, once a reader delivered its first record of it, every reader that started
     * before delivers at most {@code allowedLate} more of it.
     */
    void oneReaderPerShardAtATime(List<SinkLine> merged, Function<SinkLine, String> reader, int allowedLate) {
        Map<String, List<SinkLine>> byUnit = new LinkedHashMap<>();
        for (SinkLine line : merged) {
            byUnit.computeIfAbsent(line.unit(), u -> new ArrayList<>()).add(line);
        }
        byUnit.forEach((unit, lines) -> {
            Map<String, Long> first = new HashMap<>();
            for (SinkLine line : lines) {
                first.putIfAbsent(reader.apply(line), line.deliveredMicros());
            }
            for (Map.Entry<String, Long> newer : first.entrySet()) {
                for (Map.Entry<String, Long> older : first.entrySet()) {
                    if (older.getValue() >= newer.getValue()) {
                        continue;
                    }
                    long late = lines.stream().filter(l -> older.getKey().equals(reader.apply(l))
                                                           && l.deliveredMicros() > newer.getValue()).count();
                    if (late > 0) {
                        overlaps++;
                        maxLate = Math.max(maxLate, (int) late);
                    }
                    if (late > allowedLate) {
                        audit.violation(unit + ": " + older.getKey() + " delivered " + late + " records of it after "
                                        + newer.getKey() + " had started delivering it (at most " + allowedLate
                                        + " allowed)");
                    }
                }
            }
        });
    }

    /**
     * No record of a shard was delivered before the last delivered record of any of its ancestors ({@code parentOf}:
     * the stream's lineage, child to parent, as DescribeStream lists it), whoever delivered them; returns how many
     * (ancestor, descendant) pairs with records on both sides were checked.
     */
    int childrenAfterTheirParents(List<SinkLine> merged, Map<String, String> parentOf) {
        Map<String, Long> first = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        for (SinkLine line : merged) {
            if (!line.isSnapshot()) {
                first.merge(line.shard(), line.deliveredMicros(), Math::min);
                last.merge(line.shard(), line.deliveredMicros(), Math::max);
            }
        }
        int pairs = 0;
        for (Map.Entry<String, Long> child : first.entrySet()) {
            Set<String> seen = new HashSet<>();
            for (String ancestor = parentOf.get(child.getKey()); ancestor != null && seen.add(ancestor);
                 ancestor = parentOf.get(ancestor)) {
                Long ancestorLast = last.get(ancestor);
                if (ancestorLast == null) {
                    continue;
                }
                pairs++;
                if (ancestorLast > child.getValue()) {
                    audit.violation("shard " + child.getKey() + ": its first record was delivered at "
                                    + child.getValue() + ", before the last of its ancestor " + ancestor + " at "
                                    + ancestorLast);
                }
            }
        }
        return pairs;
    }

    /** A leadership of a member: from the state saying it leads to the next saying it does not, or its death. */
    record Leadership(Member member, long fromMicros, long toMicros, long epoch) {
    }

    /** The leaderships the members reported, in order of their start. */
    static List<Leadership> leaderships(List<Member> members) throws IOException {
        List<Leadership> all = new ArrayList<>();
        for (Member member : members) {
            Long from = null;
            long epoch = 0;
            for (MemberStatus state : member.states()) {
                if (state.leader() && from == null) {
                    from = state.micros();
                }
                if (state.leader()) {
                    epoch = Math.max(epoch, state.epoch());
                }
                if (!state.leader() && from != null) {
                    all.add(new Leadership(member, from, endOf(member, from, state.micros()), epoch));
                    from = null;
                    epoch = 0;
                }
            }
            if (from != null) {
                all.add(new Leadership(member, from, endOf(member, from, member.diedMicros()), epoch));
            }
        }
        all.sort((a, b) -> Long.compare(a.fromMicros(), b.fromMicros()));
        return all;
    }

    /**
     * A leadership ends when the member says it no longer leads or dies, or when it was suspended (SIGSTOP): what a
     * stalled leader does after it wakes up until it notices is what the fence and the late-delivery check are for.
     */
    private static long endOf(Member member, long from, long to) {
        return member.suspensions().stream().filter(s -> s >= from && s < to).findFirst().orElse(to);
    }

    /** Leaderships do not overlap, and epochs rise with each. */
    void oneLeaderAtATime(List<Leadership> leaderships) {
        for (int i = 1; i < leaderships.size(); i++) {
            Leadership before = leaderships.get(i - 1);
            Leadership after = leaderships.get(i);
            if (after.fromMicros() < before.toMicros()) {
                audit.violation("member " + after.member().id() + " led from " + after.fromMicros() + " while member "
                                + before.member().id() + " still led (until " + before.toMicros() + ")");
            }
            if (after.epoch() <= before.epoch()) {
                audit.violation("member " + after.member().id() + " led with epoch " + after.epoch()
                                + ", not above the epoch before, " + before.epoch());
            }
        }
    }
}
