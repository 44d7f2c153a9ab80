package dev.ddbcdc.camel.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.StreamRetention;
import dev.ddbcdc.camel.port.ExportPort;
import dev.ddbcdc.camel.port.StreamProxy;
import dev.ddbcdc.camel.stream.ShardCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/**
 * Where a gap's bridge starts, T0, and whether it can be bridged (trimmedDataPolicy=INCREMENTAL_EXPORT), decided in
 * this one place when the gap is found, so that one that cannot is reported as such and falls back as configured.
 * <p>
 * T0 must be no later than any lost change. The engine computes it, not the shard reader that hit the gap: a
 * generation ends as a whole, so every shard's unacknowledged changes are owed by the bridge, not only those of the
 * shard that lost records, and only the engine knows the shards (its coordinator), the snapshot and the stream marker.
 * <ul>
 * <li>Trimmed records, or a stream replaced while running: the earliest of the shards' last acknowledged changes
 * ({@code seq:<n>@<millis>}); a shard read to its end owes nothing; one that acknowledged nothing yet owes the
 * records from its start time ({@code from:<millis>}); one owed from its oldest record (born after the first start)
 * nothing before its parent's position, when that has a time. A shard whose position has no time (written before the time was
 * kept, or owed from its oldest record) makes the whole start unknown, and then a time provably early enough is taken,
 * with a WARN: this generation's snapshot's hand-over (everything before it is in the snapshot), or else the stream's
 * first start minus the stream's retention (nothing older was ever in the stream).</li>
 * <li>A stream replaced while the consumer was stopped: the same over the old stream's shards and checkpoints (the
 * old stream is listed; DynamoDB keeps a disabled stream readable for 24 hours).</li>
 * <li>A snapshot whose hand-over outlived the retention: the hand-over, its time T minus {@code streamOverlap}. Not
 * for a bridge that outlived it: another would likely do the same.</li>
 * </ul>
 * Point-in-time recovery must be enabled and its earliest restorable time no later than the first window's start
 * ({@link BridgePlan}); the reason why not names both times.
 */
final class GapBridge {

    private static final Logger LOG = LoggerFactory.getLogger(GapBridge.class);
    /** A gap's start when no position tells it. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private final CdcEngine.Setup setup;
    private final ExportPort exports;
    private final StreamProxy stream;
    private final ShardCheckpointStore shards;
    private final SnapshotCheckpointStore snapshots;
    private volatile long gapStart = UNKNOWN;

    GapBridge(CdcEngine.Setup setup, ExportPort exports, StreamProxy stream, ShardCheckpointStore shards,
              SnapshotCheckpointStore snapshots) {
        this.setup = setup;
        this.exports = exports;
        this.stream = stream;
        this.shards = shards;
        this.snapshots = snapshots;
    }

    /**
     * Why the gap cannot be bridged, or {@code null}: then {@link #gapStart()} is its T0.
     *
     * @param positions the positions of the running stream's shards, or {@code null} when none runs (the gap was
     *                  found at the start)
     */
    String cannotBridge(LossPolicy.Kind kind, Generation generation, ShardCheckpoints positions, long nowMillis) {
        String tableName = setup.table().tableName();
        long start;
        if (kind == LossPolicy.Kind.HAND_OVER_TRIMMED) {
            SnapshotState state = snapshots == null ? null : snapshots.load();
            if (state == null) {
                return "the snapshot's time is not known";
            }
            if (state.isBridge()) {
                return "the bridge of " + generation + " itself outlived the stream's retention, and another would"
                       + " likely do the same";
            }
            start = state.time().toEpochMilli() - overlap();
        } else {
            ShardCheckpointStore read = positions != null || shards.followedStream() == null ? shards
                    : shards.ofStream(shards.followedStream());
            start = earliest(positions != null ? positions : oldStreamPositions(tableName, read));
            if (start == UNKNOWN) {
                start = provablyEarly(read);
                if (start == UNKNOWN) {
                    return "the time of the last acknowledged change is not known (no position carries it, and"
                           + " neither a snapshot nor a first start of the stream bounds it)";
                }
                LOG.warn("Table {}: a shard's checkpoint does not carry the time of its last acknowledged change;"
                         + " the bridge starts at {}, a time provably before every lost change", tableName,
                        Instant.ofEpochMilli(start));
            }
        }
        long to = nowMillis - IncrementalBridge.CLOCK_MARGIN_MILLIS;
        start = Math.min(start, to - 1000);
        Instant earliest;
        try {
            earliest = exports.earliestRestorableTime(tableName);
        } catch (RuntimeException e) {
            return "could not read table " + tableName + "'s point-in-time recovery (DescribeContinuousBackups: "
                   + e.getMessage() + ")";
        }
        if (earliest == null) {
            return "point-in-time recovery is not enabled on table " + tableName + ", and the gap began at "
                   + Instant.ofEpochMilli(start);
        }
        BridgePlan plan = BridgePlan.of(start, to, earliest.toEpochMilli());
        if (!plan.coveredFrom(earliest.toEpochMilli())) {
            return "point-in-time recovery of table " + tableName + " reaches back to " + earliest + " only, but the"
                   + " gap began at " + Instant.ofEpochMilli(start) + " (its first incremental export would start at "
                   + Instant.ofEpochMilli(plan.fromMillis()) + ")";
        }
        gapStart = start;
        return null;
    }

    /** T0 of the gap {@link #cannotBridge} accepted last. */
    long gapStart() {
        return gapStart;
    }

    /**
     * The earliest time a lost change can have over these positions, or {@link #UNKNOWN} when a position does not
     * tell. A shard owed from its oldest record ({@code from:0}, born after the first start) owes nothing earlier than
     * its parent when the parent's position has a time: its records were all written after the parent's.
     */
    static long earliest(ShardCheckpoints checkpoints) {
        long earliest = Long.MAX_VALUE;
        for (Map.Entry<String, ShardPosition> shard : checkpoints.positions().entrySet()) {
            ShardPosition position = shard.getValue();
            if (position != null && position.isEnd()) {
                continue; // read to its end: owes nothing
            }
            long owedFrom = owedFrom(position);
            if (owedFrom == UNKNOWN && isOwedFromOldest(position)) {
                String parent = checkpoints.parents().get(shard.getKey());
                if (parent != null && owedFrom(checkpoints.positions().get(parent)) != UNKNOWN) {
                    continue; // the parent's time bounds it
                }
            }
            if (owedFrom == UNKNOWN) {
                return UNKNOWN;
            }
            earliest = Math.min(earliest, owedFrom);
        }
        return earliest == Long.MAX_VALUE ? UNKNOWN : earliest;
    }

    /** From when a shard at this position owes changes, or {@link #UNKNOWN}. */
    private static long owedFrom(ShardPosition position) {
        if (position != null && position.isAfter() && position.createdMillis() != ShardPosition.UNKNOWN_TIME) {
            return position.createdMillis();
        }
        if (position != null && position.isFromTime()) {
            return position.deliversFromMillis();
        }
        return UNKNOWN;
    }

    private static boolean isOwedFromOldest(ShardPosition position) {
        return position != null && !position.isAfter() && !position.isEnd() && !position.isFromTime();
    }

    /** The positions of the replaced stream's shards, or none (UNKNOWN) when it cannot be listed. */
    private ShardCheckpoints oldStreamPositions(String tableName, ShardCheckpointStore oldShards) {
        String old = shards.followedStream();
        Map<String, ShardPosition> positions = new HashMap<>();
        Map<String, String> parents = new HashMap<>();
        if (old == null) {
            positions.put("", null);
            return new ShardCheckpoints(positions, parents);
        }
        try {
            for (Shard shard : stream.listShards(old)) {
                positions.put(shard.shardId(), oldShards.load(shard.shardId()));
                if (shard.parentShardId() != null) {
                    parents.put(shard.shardId(), shard.parentShardId());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Table {}: could not list the replaced stream {} ({}): the time of its last acknowledged change"
                     + " is not known", tableName, old, e.getMessage());
            positions.put("", null);
        }
        return new ShardCheckpoints(positions, parents);
    }

    /**
     * A time no later than any change this generation owes on the stream of {@code streamShards}: this generation's
     * snapshot's (or bridge's) hand-over, or that stream's first start minus the retention; {@link #UNKNOWN} without
     * either.
     */
    private long provablyEarly(ShardCheckpointStore streamShards) {
        SnapshotState state = snapshots == null ? null : snapshots.load();
        if (state != null && state.isDone()) {
            return state.time().toEpochMilli() - overlap();
        }
        Long started = streamShards.streamStartedMillis();
        return started == null ? UNKNOWN : started - StreamRetention.RETENTION.toMillis();
    }

    private long overlap() {
        return setup.bridge().exports().streamOverlap();
    }
}
