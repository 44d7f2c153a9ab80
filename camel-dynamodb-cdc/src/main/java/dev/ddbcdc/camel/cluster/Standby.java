package dev.ddbcdc.camel.cluster;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import dev.ddbcdc.camel.checkpoint.CheckpointKeys;
import dev.ddbcdc.camel.checkpoint.FencedCheckpoints;
import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import dev.ddbcdc.camel.checkpoint.LeaderEpoch;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.engine.CdcEngine;
import dev.ddbcdc.camel.flow.Backoff;
import dev.ddbcdc.camel.stream.TableFacts;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clustered consumer's engine, run only while it leads ({@link NamespaceLeadership}). On taking the lead it describes the
 * table again (the stream may have been replaced while it waited), takes the next {@link LeaderEpoch} in the shared
 * checkpoint store, and starts a new {@link CdcEngine} whose every checkpoint write is fenced by that epoch
 * ({@link FencedCheckpoints}); it resumes wherever the last leader's stored positions are, mid-snapshot included. On
 * losing it, the engine stops at once: nothing more is read, and exchanges still in flight store their positions only
 * if no other instance has taken a newer epoch meanwhile.
 */
public final class Standby implements NamespaceLeadership.Listener, Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Standby.class);
    private static final long RETRY_BASE_MILLIS = 5_000;
    private static final long RETRY_MAX_MILLIS = 300_000;

    /** The engine of one leadership, built by the consumer over the fenced checkpoints. */
    public interface Engines extends BiFunction<TableFacts, StateRepository<String, String>, CdcEngine> {
    }

    /** Where a failure to take over goes: the consumer's exception handler. */
    public interface Failures {
        void handle(String message, RuntimeException error);
    }

    private final FencedStateRepository checkpoints;
    private final String consumerId;
    /** The unit this standby leads: {@code null} for the whole consumer, else a bucket or the snapshot. */
    private final String unit;
    private final Supplier<TableFacts> describe;
    private final Engines engines;
    private final Failures failures;
    private final Clock clock;
    private final AtomicLong refusedWrites = new AtomicLong();
    private volatile NamespaceLeadership leadership;
    private volatile CdcEngine engine;
    /** The engine whose checkpoint writes the current leadership's fence guards (a renewal replaces it). */
    private volatile AtomicReference<CdcEngine> ofLeadership = new AtomicReference<>();
    private volatile boolean leading;
    private volatile long epoch;
    private volatile String failure;
    private volatile boolean closing;
    /** Written on the leadership thread only: how long to wait before standing for election after a failed takeover. */
    private final Backoff retries = new Backoff(RETRY_BASE_MILLIS, RETRY_MAX_MILLIS);

    public Standby(FencedStateRepository checkpoints, String consumerId, Supplier<TableFacts> describe,
                   Engines engines, Failures failures, Clock clock) {
        this(checkpoints, consumerId, null, describe, engines, failures, clock);
    }

    /** @param unit what is led: {@code null} for the whole consumer, else a bucket ({@link ShardBuckets#unit}) */
    public Standby(FencedStateRepository checkpoints, String consumerId, String unit, Supplier<TableFacts> describe,
                   Engines engines, Failures failures, Clock clock) {
        this.checkpoints = checkpoints;
        this.consumerId = consumerId;
        this.unit = unit;
        this.describe = describe;
        this.engines = engines;
        this.failures = failures;
        this.clock = clock;
    }

    /** Joins the cluster through {@code joined}, whose listener this is. */
    public void start(NamespaceLeadership joined) throws Exception {
        leadership = joined;
        joined.start();
    }

    @Override
    public void elected() {
        if (closing) {
            return;
        }
        leading = true;
        try {
            TableFacts table = describe.get();
            CheckpointKeys keys = new CheckpointKeys(consumerId, table.checkpointArn());
            String leaderKey = unit == null ? keys.leader() : keys.leader(unit);
            LeaderEpoch claim = LeaderEpoch.take(checkpoints, leaderKey, leadership.memberId(), clock.millis());
            epoch = claim.epoch();
            LOG.info("Table {}: leading {} with epoch {} (member {}); resuming from the stored checkpoints",
                    table.tableName(), unit == null ? "the consumer" : unit, claim.epoch(), claim.member());
            AtomicReference<CdcEngine> fencedEngine = new AtomicReference<>();
            ofLeadership = fencedEngine;
            CdcEngine next = engines.apply(table,
                    new FencedCheckpoints(checkpoints, leaderKey, claim, refusedWrites, () -> {
                        // on the thread whose write was refused: its reader must not dispatch the next record
                        CdcEngine refusedOne = fencedEngine.get();
                        if (refusedOne != null) {
                            refusedOne.halt();
                        }
                        leadership.fenced();
                    }));
            fencedEngine.set(next);
            engine = next;
            if (closing) {
                return;
            }
            next.start();
            failure = null;
            retries.reset();
        } catch (RuntimeException e) {
            long retryAfter = retries.nextDelayMillis();
            failure = "Could not take over as leader: " + e.getMessage();
            LOG.error("{} (the lead is given up; this instance stands for election again in {} ms)", failure,
                    retryAfter, e);
            failures.handle(failure, e);
            leadership.giveUp(retryAfter);
        }
    }

    @Override
    public void deposed() {
        CdcEngine current;
        synchronized (this) { // no engine of a next generation starts after this
            leading = false;
            current = engine;
        }
        if (current != null) {
            current.stop(0);
        }
    }

    /**
     * Replaces this leadership's engine by {@code next}, over the keys of the next checkpoint generation, and starts
     * it; false (nothing started) when the lead was lost or the consumer is stopping.
     *
     * @param installed told before {@code next} starts
     */
    public synchronized boolean renew(CdcEngine next, Runnable installed) {
        if (!leading || closing) {
            return false;
        }
        engine = next;
        ofLeadership.set(next);
        installed.run();
        next.start();
        return true;
    }

    /**
     * Stops reading, but keeps the lead for now, so that the exchanges in flight can complete and store their
     * positions under this leader's epoch before another instance takes over ({@link #stop(long)}).
     */
    @Override
    public void stopReading() {
        CdcEngine current;
        synchronized (this) {
            closing = true;
            current = engine;
        }
        if (current != null) {
            current.stop(0);
        }
    }

    /** Leaves the cluster: stops reading if leading, waiting up to {@code awaitMillis} for that. */
    @Override
    public void stop(long awaitMillis) throws Exception {
        NamespaceLeadership joined = leadership;
        if (joined != null) {
            joined.stop(awaitMillis);
        }
    }

    @Override
    public List<CdcEngine> engines() {
        CdcEngine current = engine;
        return current == null ? List.of() : List.of(current);
    }

    @Override
    public List<String> led() {
        return leading ? List.of(unit == null ? "consumer" : unit) : List.of();
    }

    /**
     * FAILED from a failed takeover until the next one succeeds; else STANDBY while another instance leads, and the
     * engine's phase while this one does.
     */
    @Override
    public Phase phase() {
        if (failure != null) {
            return Phase.FAILED;
        }
        if (!leading) {
            return Phase.STANDBY;
        }
        CdcEngine current = engine;
        return current == null ? Phase.INIT : current.phase();
    }

    /** The engine of the current or last leadership, or {@code null}. */
    public CdcEngine engine() {
        return engine;
    }

    @Override
    public boolean isLeader() {
        return leading;
    }

    /** The epoch of the current or last leadership, 0 if this instance never led. */
    @Override
    public long epoch() {
        return epoch;
    }

    /** Checkpoint writes refused because another instance had taken a newer epoch. */
    @Override
    public long refusedWrites() {
        return refusedWrites.get();
    }

    /** Why taking over failed, or {@code null}. */
    @Override
    public String failure() {
        return failure;
    }

    @Override
    public String namespace() {
        NamespaceLeadership joined = leadership;
        return joined == null ? null : joined.namespace();
    }

    @Override
    public String memberId() {
        NamespaceLeadership joined = leadership;
        return joined == null ? null : joined.memberId();
    }
}
