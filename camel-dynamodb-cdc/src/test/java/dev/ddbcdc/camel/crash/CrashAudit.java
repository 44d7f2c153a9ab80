package dev.ddbcdc.camel.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a crash run's sink against what was written, exported and checkpointed, and counts what it delivered. Every
 * problem found goes into {@link #violations()}:
 * <ul>
 * <li>every write is delivered as a stream record (the table is younger than the stream overlap, so the stream is
 * delivered from before its first write), and nothing else is;</li>
 * <li>every item of the export is delivered as a READ, each data file line once at least;</li>
 * <li>per key, the first deliveries of its stream records come in the order the writes were made;</li>
 * <li>a record delivered again was not covered by the durable checkpoint the run started from (only unacknowledged
 * work comes again);</li>
 * <li>no checkpoint ran ahead of the sink: at every kill, each record the checkpoint covers is in the sink;</li>
 * <li>the sink, replayed as upserts and deletes keeping the highest document version per key, equals the table.</li>
 * </ul>
 */
public final class CrashAudit {

    /** The checkpoint file as a kill left it, and how many sink lines were durable then. */
    record Kill(int run, int sinkLines, CheckpointFile checkpoint, boolean inSnapshot) {
    }

    private final List<SinkLine> sink;
    private final List<String> violations = new ArrayList<>();
    private int duplicates;
    private int snapshotDuplicates;
    private int maxStreamDuplicatesAfterOneKill;

    public CrashAudit(List<SinkLine> sink) {
        this.sink = sink;
    }

    public List<String> violations() {
        return violations;
    }

    public int duplicates() {
        return duplicates;
    }

    public int snapshotDuplicates() {
        return snapshotDuplicates;
    }

    /** The most stream records one run delivered again (the snapshot's re-deliveries not counted). */
    int maxStreamDuplicatesAfterOneKill() {
        return maxStreamDuplicatesAfterOneKill;
    }

    /** Adds a problem found (by this audit or one that builds on it). */
    public void violation(String what) {
        if (violations.size() < 50) {
            violations.add(what);
        }
    }

    /** Every write reached the sink as a stream record, and no stream record reports a write that was not made. */
    public void everyWriteDelivered(List<TableWriter.Write> writes) {
        Set<String> delivered = new HashSet<>();
        sink.stream().filter(l -> !l.isSnapshot()).forEach(l -> delivered.add(l.write()));
        Set<String> made = new HashSet<>();
        for (TableWriter.Write write : writes) {
            made.add(write.id());
            if (!delivered.contains(write.id())) {
                violation("write " + write + " never reached the sink");
            }
        }
        for (String id : delivered) {
            if (!made.contains(id)) {
                violation("the sink holds a stream record of " + id + ", which no write made");
            }
        }
    }

    /** Every line of every export data file reached the sink as a READ of the item on that line. */
    public void everyExportItemDelivered(Map<String, String> exportWriteByPosition) {
        Map<String, String> delivered = new HashMap<>();
        sink.stream().filter(SinkLine::isSnapshot).forEach(l -> delivered.put(l.position(), l.write()));
        exportWriteByPosition.forEach((position, write) -> {
            if (!write.equals(delivered.get(position))) {
                violation("export item " + write + " at " + position + " delivered as " + delivered.get(position));
            }
        });
        delivered.keySet().stream().filter(p -> !exportWriteByPosition.containsKey(p))
                .forEach(p -> violation("READ of " + p + ", which is not in the export"));
    }

    /** Per key, the first delivery of each stream record comes in the order of the writes. */
    public void perKeyOrderHeld() {
        Set<String> seen = new HashSet<>();
        Map<String, Long> highest = new HashMap<>();
        for (SinkLine line : sink) {
            if (line.isSnapshot() || !seen.add(line.position())) {
                continue;
            }
            Long before = highest.get(line.key());
            if (before != null && line.version() <= before) {
                violation("key " + line.key() + ": version " + line.version() + " first delivered (run " + line.run()
                          + ") after version " + before);
            }
            highest.merge(line.key(), line.version(), Math::max);
        }
    }

    /**
     * Counts records delivered more than once and checks each was beyond the checkpoint its run started from;
     * {@code kills.get(i)} is the kill that ended run {@code i + 1}.
     */
    void onlyUnacknowledgedWorkAgain(List<Kill> kills) {
        Set<String> seen = new HashSet<>();
        Map<Integer, Integer> againByRun = new TreeMap<>();
        for (SinkLine line : sink) {
            if (seen.add(line.position())) {
                continue;
            }
            duplicates++;
            if (line.isSnapshot()) {
                snapshotDuplicates++;
            } else {
                againByRun.merge(line.run(), 1, Integer::sum);
            }
            if (line.run() < 2 || line.run() - 2 >= kills.size()) {
                violation("record " + line.position() + " delivered twice within run " + line.run());
                continue;
            }
            CheckpointFile start = kills.get(line.run() - 2).checkpoint();
            boolean acknowledged = line.isSnapshot() ? start.covers(line.dataFile(), line.line())
                    : start.covers(line.shard(), line.sequence());
            if (acknowledged) {
                violation("record " + line.position() + " delivered again in run " + line.run()
                          + " though the checkpoint it started from covers it");
            }
        }
        maxStreamDuplicatesAfterOneKill = againByRun.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** At every kill, each record the checkpoint covered was already in the sink. */
    void noCheckpointAheadOfTheSink(List<Kill> kills, Map<String, String> exportWriteByPosition) {
        for (Kill kill : kills) {
            Set<String> durable = new HashSet<>();
            for (int i = 0; i < kill.sinkLines(); i++) {
                durable.add(sink.get(i).position());
            }
            Set<String> missing = new LinkedHashSet<>();
            for (SinkLine line : sink) {
                if (!line.isSnapshot() && kill.checkpoint().covers(line.shard(), line.sequence())
                    && !durable.contains(line.position())) {
                    missing.add(line.position());
                }
            }
            for (String position : exportWriteByPosition.keySet()) {
                int hash = position.lastIndexOf('#');
                if (kill.checkpoint().covers(position.substring(0, hash), Long.parseLong(position.substring(hash + 1)))
                    && !durable.contains(position)) {
                    missing.add(position);
                }
            }
            if (!missing.isEmpty()) {
                violation("the checkpoint after the kill of run " + kill.run() + " covers " + missing.size()
                          + " records not in the sink, e.g. " + missing.iterator().next());
            }
        }
    }

    /** Replays the sink as a converging sink would (highest document version per key wins) and compares. */
    public void sinkEqualsTable(Map<String, String> table) {
        Map<String, SinkLine> latest = new HashMap<>();
        for (SinkLine line : sink) {
            latest.merge(line.key(), line, (a, b) -> b.documentVersion() > a.documentVersion() ? b : a);
        }
        Map<String, String> replica = new TreeMap<>();
        latest.forEach((key, line) -> {
            if (!"REMOVE".equals(line.op())) {
                replica.put(key, line.image());
            }
        });
        Set<String> keys = new HashSet<>(replica.keySet());
        keys.addAll(table.keySet());
        for (String key : keys) {
            if (!java.util.Objects.equals(replica.get(key), table.get(key))) {
                violation("key " + key + ": the sink holds " + replica.get(key) + ", the table " + table.get(key));
            }
        }
    }
}
