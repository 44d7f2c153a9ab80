package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.ddbcdc.camel.crash.CrashAudit;
import dev.ddbcdc.camel.crash.SinkLine;

/**
 * What spreading the shards in buckets over the members ({@code clusterMode=BUCKETS}) adds to check, from the units
 * each member's status lines say it leads ({@link MemberStatus#units()}) and the merged sinks:
 * <ul>
 * <li><b>One leader per unit at a time.</b> The tenures of one unit (a member's lead of it: from the state that lists
 * it to the next that does not, or the member's death) never overlap.</li>
 * <li><b>A shard is read by the leader of its bucket.</b> Every stream record of a shard was delivered by a member
 * during one of its tenures of the shard's bucket, taken from up to {@link #START_SLACK_MICROS} before the state that
 * reported it (the reporter looks every 5 ms; a bucket's reader starts right after the election), or after the end of
 * one: an exchange that was in flight when it lost the lead, at most {@code allowedLate} of them per shard and
 * tenure.</li>
 * <li><b>One reader per shard at a time</b>, {@link ClusterAudit}'s check with a reader per tenure rather than per
 * member: a bucket can come back to a member that led it before, and its new lead is not a late delivery of the
 * old one.</li>
 * </ul>
 */
final class BucketAudit {

    /** How far a bucket's first delivery may precede the status line that reports the lead. */
    static final long START_SLACK_MICROS = 500_000;

    /** Member {@code member}'s {@code index}-th lead of {@code unit}, as its status lines tell. */
    record Tenure(int member, String unit, int index, long fromMicros, long toMicros) {
        String name() {
            return "member " + member + " (lead " + index + " of " + unit + " from " + fromMicros + ")";
        }
    }

    private final CrashAudit audit;
    private int lateAfterEnd;

    BucketAudit(CrashAudit audit) {
        this.audit = audit;
    }

    /** The most records of one shard a member delivered after one of its tenures of the shard's bucket had ended. */
    int lateAfterEnd() {
        return lateAfterEnd;
    }

    /** Every tenure the members reported, in order of their start; one still open ends at {@code endMicros}. */
    static List<Tenure> tenures(List<Member> members, long endMicros) throws IOException {
        List<Tenure> all = new ArrayList<>();
        for (Member member : members) {
            all.addAll(tenures(member.id(), member.states(), Math.min(member.diedMicros(), endMicros)));
        }
        all.sort(Comparator.comparingLong(Tenure::fromMicros));
        return all;
    }

    /** The tenures of member {@code member} from its states; one still open at its last state ends at {@code end}. */
    static List<Tenure> tenures(int member, List<MemberStatus> states, long endMicros) {
        List<Tenure> tenures = new ArrayList<>();
        Map<String, Long> open = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (MemberStatus state : states) {
            for (String unit : List.copyOf(open.keySet())) {
                if (!state.units().contains(unit)) {
                    tenures.add(new Tenure(member, unit, counts.merge(unit, 1, Integer::sum), open.remove(unit),
                            state.micros()));
                }
            }
            for (String unit : state.units()) {
                open.putIfAbsent(unit, state.micros());
            }
        }
        open.forEach((unit, from) -> tenures.add(new Tenure(member, unit, counts.merge(unit, 1, Integer::sum), from,
                endMicros)));
        return tenures;
    }

    /** The tenures of one unit do not overlap; returns the shortest time between two of them (ms), or -1. */
    long oneLeaderPerUnitAtATime(List<Tenure> tenures) {
        Map<String, List<Tenure>> byUnit = new HashMap<>();
        tenures.forEach(t -> byUnit.computeIfAbsent(t.unit(), u -> new ArrayList<>()).add(t));
        long shortestGap = Long.MAX_VALUE;
        for (List<Tenure> unit : byUnit.values()) {
            unit.sort(Comparator.comparingLong(Tenure::fromMicros));
            Tenure lastEnding = unit.get(0);
            for (Tenure next : unit.subList(1, unit.size())) {
                if (next.fromMicros() < lastEnding.toMicros()) {
                    audit.violation(next.name() + " began while " + lastEnding.name() + " lasted (until "
                                    + lastEnding.toMicros() + ")");
                } else {
                    shortestGap = Math.min(shortestGap, next.fromMicros() - lastEnding.toMicros());
                }
                if (next.toMicros() > lastEnding.toMicros()) {
                    lastEnding = next;
                }
            }
        }
        return shortestGap == Long.MAX_VALUE ? -1 : shortestGap / 1000;
    }

    /**
     * Every stream record was delivered by a leader of its shard's bucket ({@code bucketOf}: shard to unit) or late
     * after its tenure's end (at most {@code allowedLate} per shard and tenure); then one reader per shard at a time
     * ({@link ClusterAudit#oneReaderPerShardAtATime}) with the tenures as readers.
     */
    void shardsReadByTheirBucketsLeaders(List<SinkLine> merged, List<Tenure> tenures, Function<String, String> bucketOf,
                                         int allowedLate, ClusterAudit cluster) {
        Map<String, List<Tenure>> byMemberAndUnit = new HashMap<>();
        tenures.forEach(t -> byMemberAndUnit.computeIfAbsent(t.member() + " " + t.unit(), k -> new ArrayList<>())
                .add(t));
        Map<SinkLine, Tenure> reader = new IdentityHashMap<>();
        Map<String, Integer> late = new HashMap<>();
        for (SinkLine line : merged) {
            if (line.isSnapshot()) {
                continue;
            }
            String unit = bucketOf.apply(line.shard());
            long at = line.deliveredMicros();
            Tenure within = null;
            Tenure endedBefore = null;
            for (Tenure t : byMemberAndUnit.getOrDefault(line.run() + " " + unit, List.of())) {
                if (t.fromMicros() - START_SLACK_MICROS <= at && at <= t.toMicros()) {
                    within = t;
                } else if (t.toMicros() < at && (endedBefore == null || t.toMicros() > endedBefore.toMicros())) {
                    endedBefore = t;
                }
            }
            if (within != null) {
                reader.put(line, within);
            } else if (endedBefore != null) {
                reader.put(line, endedBefore);
                int count = late.merge(line.shard() + " " + endedBefore.name(), 1, Integer::sum);
                lateAfterEnd = Math.max(lateAfterEnd, count);
                if (count == allowedLate + 1) {
                    audit.violation(endedBefore.name() + " delivered more than " + allowedLate + " records of shard "
                                    + line.shard() + " after it ended, e.g. " + line.position() + " at " + at);
                }
            } else {
                audit.violation("member " + line.run() + " delivered " + line.position() + " at " + at + ", a shard of "
                                + unit + ", which it had not led");
            }
        }
        cluster.oneReaderPerShardAtATime(merged.stream().filter(l -> !l.isSnapshot()).toList(),
                line -> reader.containsKey(line) ? reader.get(line).name() : "member " + line.run() + " (no lead)",
                allowedLate);
    }
}
