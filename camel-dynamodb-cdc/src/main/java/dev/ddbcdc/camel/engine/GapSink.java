package dev.ddbcdc.camel.engine;

import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.options.IncrementalExportFallback;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.stream.ShardCheckpoints;
import dev.ddbcdc.camel.stream.StreamMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one run of the engine counts and reports its gaps and begins their recovery ({@link LossPolicy.Sink}): by a
 * new snapshot ({@link GapRecovery}) or by a bridge of incremental exports ({@link GapBridge}), each under the next
 * checkpoint generation, which {@link Renewal} records. A stream replaced while running is not reported through the
 * loss policy (the old stream is read to its end); {@link #replacedWhileRunning} decides alike.
 */
final class GapSink implements LossPolicy.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(GapSink.class);

    /** Ends the run and records the next generation. */
    interface Renewal {
        /** @param bridgeFromMillis the gap's start for a bridge, or {@link Generation#NOT_BRIDGED} for a snapshot */
        void renew(Generation.Cause cause, long bridgeFromMillis);
    }

    private final CdcEngine.Setup setup;
    private final StreamMetrics metrics;
    private final CdcEngine.Events events;
    private final GapRecovery recovery;
    private final GapBridge bridge;
    private final Supplier<Generation> generation;
    private final Supplier<ShardCheckpoints> positions;
    private final Renewal renewal;

    /**
     * @param bridge    the bridge's rules, or {@code null} when gaps are not bridged
     * @param positions the running stream's shard positions, or {@code null} before it runs
     */
    GapSink(CdcEngine.Setup setup, StreamMetrics metrics, CdcEngine.Events events, GapRecovery recovery,
            GapBridge bridge, Supplier<Generation> generation, Supplier<ShardCheckpoints> positions,
            Renewal renewal) {
        this.setup = setup;
        this.metrics = metrics;
        this.events = events;
        this.recovery = recovery;
        this.bridge = bridge;
        this.generation = generation;
        this.positions = positions;
        this.renewal = renewal;
    }

    /** The loss policy of the run, reporting here. */
    LossPolicy policy() {
        IncrementalExportFallback fallback = setup.bridge() == null ? IncrementalExportFallback.FAIL
                : setup.bridge().fallback();
        return new LossPolicy(setup.stream().trimmedDataPolicy(), fallback, this);
    }

    @Override
    public void count(LossPolicy.Kind kind, String message) {
        (kind == LossPolicy.Kind.STREAM_REPLACED ? metrics.streamChanges : metrics.trimmedDataEvents)
                .incrementAndGet();
        metrics.error(message);
    }

    @Override
    public void handle(String message, RuntimeException loss) {
        events.handle(message, loss);
    }

    @Override
    public String cannotRecover(LossPolicy.Kind kind) {
        return recovery.cannotRecover(kind, generation.get());
    }

    @Override
    public void recover(LossPolicy.Kind kind, String message) {
        renewal.renew(GapRecovery.causeOf(kind), Generation.NOT_BRIDGED);
    }

    @Override
    public String cannotBridge(LossPolicy.Kind kind) {
        if (bridge == null) {
            return "no bucket for incremental exports is configured";
        }
        return bridge.cannotBridge(kind, generation.get(), positions.get(), setup.clock().millis());
    }

    @Override
    public void bridge(LossPolicy.Kind kind, String message) {
        renewal.renew(GapRecovery.causeOf(kind), bridge.gapStart());
    }

    /**
     * The table's stream was replaced while this run reads the old one (reported already): recovered at once under
     * RESNAPSHOT, bridged under INCREMENTAL_EXPORT (or its RESNAPSHOT fallback), else the old stream is read to its
     * end.
     */
    void replacedWhileRunning() {
        Generation current = generation.get();
        if (setup.stream().trimmedDataPolicy() != TrimmedDataPolicy.INCREMENTAL_EXPORT) {
            if (recovery.recoversReplacedStream(current)) {
                renewal.renew(Generation.Cause.STREAM_REPLACED, Generation.NOT_BRIDGED);
            }
            return;
        }
        String why = cannotBridge(LossPolicy.Kind.STREAM_REPLACED);
        if (why == null) {
            renewal.renew(Generation.Cause.STREAM_REPLACED, bridge.gapStart());
            return;
        }
        IncrementalExportFallback fallback = setup.bridge().fallback();
        String unrecoverable = recovery.cannotRecover(LossPolicy.Kind.STREAM_REPLACED, current);
        boolean resnapshot = fallback == IncrementalExportFallback.RESNAPSHOT && unrecoverable == null;
        String message = "Table " + setup.table().tableName() + ": the replaced stream's gap cannot be bridged by"
                         + " incremental exports: " + why + " (incrementalExportFallback=" + fallback + "): "
                         + (resnapshot ? "a new snapshot is taken"
                                 : "the old stream is read to its end" + (unrecoverable == null
                                         || fallback != IncrementalExportFallback.RESNAPSHOT ? ""
                                         : ", no new snapshot is taken: " + unrecoverable));
        LOG.error("{}", message);
        metrics.error(message);
        if (resnapshot) {
            renewal.renew(Generation.Cause.STREAM_REPLACED, Generation.NOT_BRIDGED);
        }
    }
}
