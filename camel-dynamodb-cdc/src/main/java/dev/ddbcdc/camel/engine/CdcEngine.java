package dev.ddbcdc.camel.engine;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.options.BridgeOptions;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.port.ExportPort;
import dev.ddbcdc.camel.port.ObjectStore;
import dev.ddbcdc.camel.port.ScanPort;
import dev.ddbcdc.camel.port.StreamProxy;
import dev.ddbcdc.camel.port.TablePort;
import dev.ddbcdc.camel.stream.FirstStart;
import dev.ddbcdc.camel.stream.RecordDispatcher;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.ShardOwnership;
import dev.ddbcdc.camel.stream.ShardStatus;
import dev.ddbcdc.camel.stream.StreamCoordinator;
import dev.ddbcdc.camel.stream.StreamMetrics;
import dev.ddbcdc.camel.stream.TableFacts;
import dev.ddbcdc.camel.stream.TableWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one consumer: owns its {@link Phase} and runs the phases in one place, snapshot then stream, with one
 * {@link RunContext} per run (running flag, clock, executor). It knows nothing of Camel: the changes leave through
 * {@link Delivery} and {@link RecordDispatcher}, errors through {@link Events}, and every AWS call goes through a port,
 * so it can be started and stopped as a unit, repeatedly, and tested with small fakes.
 * <ul>
 * <li>Start: a stream replaced while the consumer was stopped is a gap for the {@link LossPolicy}
 * ({@link StreamFollowing}); then with a snapshot configured its preflight, and the snapshot on the executor, whose
 * {@link SnapshotResult} decides what comes next; without one, the stream, whose first start positions are fixed
 * before {@link #start()} returns.</li>
 * <li>Stop: the run ends, what was acknowledged is written.</li>
 * </ul>
 */
public final class CdcEngine {

    private static final Logger LOG = LoggerFactory.getLogger(CdcEngine.class);
    /** How long a run ended for the next generation may take to settle before the new engine starts. */
    private static final long RENEW_AWAIT_MILLIS = 30_000;

    /** The AWS calls the engine makes. */
    public record Ports(TablePort table, ExportPort exports, ObjectStore objects, StreamProxy stream, ScanPort scans) {
        /** The ports of an engine that never scans. */
        public Ports(TablePort table, ExportPort exports, ObjectStore objects, StreamProxy stream) {
            this(table, exports, objects, stream, null);
        }
    }

    /** Where the engine reports errors (the consumer's exception handler) and asks to be renewed. */
    public interface Events {
        void handle(String message, RuntimeException error);

        /**
         * The engine ended its run and recorded {@code next} as the consumer's checkpoint generation, to recover a gap
         * with a new snapshot (trimmedDataPolicy=RESNAPSHOT): build a new engine for the table as it is now (its
         * stream may have been replaced) over that generation's keys, and start it. Called on a pool thread once the
         * ended run is idle.
         */
        default void renew(Generation next) {
            handle("The consumer cannot begin checkpoint " + next + " by itself: restart the route",
                    new IllegalStateException("no renewal for " + next));
        }
    }

    /** What is fixed for the engine's lifetime; {@code bridge}: trimmedDataPolicy=INCREMENTAL_EXPORT, else null. */
    public record Setup(String consumerId, TableFacts table, KeySchema keySchema, StreamOptions stream,
                        SnapshotOptions snapshot, ShardOwnership ownership, Clock clock, BridgeOptions bridge) {
        public Setup(String consumerId, TableFacts table, KeySchema keySchema, StreamOptions stream,
                     SnapshotOptions snapshot, ShardOwnership ownership, Clock clock) {
            this(consumerId, table, keySchema, stream, snapshot, ownership, clock, null);
        }

        /** Without a snapshot ({@code snapshot == null}) the engine streams only (after a gap's bridge, if any). */
        public boolean snapshotEnabled() {
            return snapshot != null;
        }
    }

    private final Setup setup;
    private final Ports ports;
    private final ShardCheckpointStore shards;
    private final SnapshotCheckpointStore snapshots;
    private final Delivery delivery;
    private final RecordDispatcher dispatcher;
    private final StreamMetrics metrics;
    private final SnapshotMetrics snapshotMetrics;
    private final RunContext.Threads threads;
    private final Events events;
    private final String tableName;
    private final GapRecovery recovery;
    private final GapBridge bridging;
    private volatile Phase phase = Phase.INIT;
    private volatile String failure;
    private RunContext run;
    private volatile StreamCoordinator coordinator;
    private GapSink gaps;
    private Snapshot snapshot;
    /** The snapshot's hand-over, once the snapshot completed in this run. */
    private volatile HandOver handOver;
    /** The checkpoint generation this engine reads and writes, read at each start. */
    private volatile Generation generation = Generation.FIRST;

    public CdcEngine(Setup setup, Ports ports, ShardCheckpointStore shards, SnapshotCheckpointStore snapshots,
                     Delivery delivery, RecordDispatcher dispatcher, StreamMetrics metrics,
                     SnapshotMetrics snapshotMetrics, RunContext.Threads threads, Events events) {
        this.setup = setup;
        this.ports = ports;
        this.shards = shards;
        this.snapshots = snapshots;
        this.delivery = delivery;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.snapshotMetrics = snapshotMetrics;
        this.threads = threads;
        this.events = events;
        this.tableName = setup.table().tableName();
        this.recovery = new GapRecovery(setup);
        this.bridging = setup.bridge() == null ? null
                : new GapBridge(setup, ports.exports(), ports.stream(), shards, snapshots);
    }

    /**
     * Starts a run. Configuration errors (point-in-time recovery off, a missing bucket, an adopted export that is not
     * the checkpointed one, a stream that cannot be listed at a first start) throw, with nothing left running.
     */
    public synchronized void start() {
        if (run != null && run.isRunning()) {
            throw new IllegalStateException("the engine of table " + tableName + " is running already");
        }
        phase = Phase.INIT;
        failure = null;
        handOver = null;
        coordinator = null;
        snapshot = null;
        run = new RunContext(setup.clock(), threads);
        metrics.streamProblem(null); // a problem of an earlier run is found again if it is still there
        generation = shards.generation();
        RunContext started = run;
        gaps = new GapSink(setup, metrics, events, recovery, bridging, () -> generation, () -> {
            StreamCoordinator streaming = coordinator;
            return streaming == null ? null : streaming.positions();
        }, (cause, bridgeFrom) -> renew(started, cause, bridgeFrom));
        LossPolicy losses = gaps.policy();
        FirstStart firstStart = FirstStart.of(setup.stream(), shards.startedElsewhere());
        boolean snapshotOnly = snapshotOnly();
        StreamFollowing following = snapshotOnly ? null
                : new StreamFollowing(shards, tableName, setup.table().streamArn());
        StreamFollowing.Decision decision = following == null ? StreamFollowing.Decision.SAME
                : following.atStart(losses, recovery.snapshotCoversReplacement(generation, snapshots));
        if (decision == StreamFollowing.Decision.RECOVERING) {
            return; // the run ended: the next generation's engine takes a new snapshot
        }
        if (decision == StreamFollowing.Decision.HALTED) {
            metrics.streamProblem(following.haltMessage());
            fail(run, following.haltMessage()); // nothing is read in this run; the next start looks again
            return;
        }
        // the stream was replaced while stopped and the policy goes on: read the new one from its oldest record
        boolean replaced = decision == StreamFollowing.Decision.FROM_OLDEST;
        if (replaced) {
            firstStart = FirstStart.at(StartPosition.TRIM_HORIZON);
        } else if (decision == StreamFollowing.Decision.SAME && following != null) {
            following.follow(); // records the stream at a first start; a replacement is followed once it is read
        }
        RunContext current = run;
        try {
            if (setup.snapshotEnabled() || generation.bridged()) {
                boolean streamReplaced = replaced;
                Snapshot runner = Snapshots.prepare(setup, ports, snapshots, delivery, snapshotMetrics, run, losses,
                        generation, recovery.versionFloorMillis(generation),
                        () -> streamReplaced || shards.streamStarted(), next -> moveTo(current, next));
                snapshot = runner;
                FirstStart afterReplacement = replaced ? firstStart : null;
                run.submit(() -> runSnapshot(runner, current, losses, afterReplacement, following),
                        recovery.snapshotDelayMillis(generation, snapshots, run.millis()));
            } else {
                if (!shards.streamStarted()) {
                    firstStart.refuseIfTrimmed(tableName, setup.clock().millis());
                }
                startStreaming(current, firstStart, losses, following);
            }
        } catch (RuntimeException e) {
            fail(current, e.getMessage());
            throw e;
        }
    }

    private boolean snapshotOnly() {
        return setup.snapshotEnabled() && setup.snapshot().snapshotOnly();
    }

    /**
     * Ends {@code current} and records the next checkpoint generation, whose engine takes a new snapshot, or bridges
     * the gap from {@code bridgeFromMillis} ({@link Generation#NOT_BRIDGED}: not); the consumer builds and starts
     * that engine once the ended run is idle ({@link Events#renew}). Called where the gap was found, possibly under
     * the stream coordinator's lock: the run is stopped at once (it is thread-safe), and the engine's lock is taken
     * only on a pool thread, since a console reading the shards takes the engine's lock, then the coordinator's.
     */
    private void renew(RunContext current, Generation.Cause cause, long bridgeFromMillis) {
        if (!current.isRunning()) {
            return;
        }
        current.stop(); // no reader dispatches another record; a snapshot that ends now is not current any more
        try {
            threads.work().execute(() -> beginNext(current, cause, bridgeFromMillis));
        } catch (RejectedExecutionException e) {
            LOG.info("Table {}: the route is stopping; its next start finds the gap again", tableName);
        }
    }

    private void beginNext(RunContext current, Generation.Cause cause, long bridgeFromMillis) {
        Generation next;
        synchronized (this) {
            if (current != run || phase == Phase.STOPPED) {
                return; // the route stopped meanwhile: its next start finds the gap again
            }
            long now = setup.clock().millis();
            next = bridgeFromMillis == Generation.NOT_BRIDGED ? generation.next(cause, now)
                    : generation.nextBridged(cause, now, bridgeFromMillis);
            try {
                shards.beginGeneration(next); // fenced like every checkpoint write of a clustered consumer
            } catch (RuntimeException e) {
                events.handle("Could not record checkpoint " + next + " to recover the gap: " + e.getMessage(), e);
                fail(current, "Could not record checkpoint " + next + ": " + e.getMessage());
                return;
            }
        }
        LOG.warn("Table {}: checkpoint {} begins: {}, then the stream from its hand-over (recorded in {})",
                tableName, next, next.bridged() ? "incremental exports" : "a new snapshot", shards.generationKey());
        current.awaitIdle(RENEW_AWAIT_MILLIS);
        flush();
        synchronized (this) {
            if (run == current && phase != Phase.STOPPED) {
                moveTo(Phase.STOPPED);
            }
        }
        events.renew(next);
    }

    /**
     * Runs the snapshot and goes on as its result says.
     *
     * @param afterReplacement where the stream starts when it was replaced while stopped, or {@code null}
     */
    private void runSnapshot(Snapshot runner, RunContext current, LossPolicy losses, FirstStart afterReplacement,
                             StreamFollowing following) {
        SnapshotResult result = runner.run();
        if (result instanceof SnapshotResult.Completed completed) {
            synchronized (this) {
                if (!isCurrent(current)) {
                    return; // stopped meanwhile: the checkpoint keeps what was done
                }
                handOver = completed.handOver();
                if (snapshotOnly()) {
                    moveTo(Phase.DONE); // nothing more to read: the run stays, idle, until the route stops
                    return;
                }
            }
            try {
                startStreaming(current, afterReplacement != null ? afterReplacement
                        : completed.handOver().firstStart(), losses, following);
            } catch (RuntimeException e) {
                snapshotFailed(current, new SnapshotException(e.getMessage(), e));
            }
        } else if (result instanceof SnapshotResult.Failed failed) {
            snapshotFailed(current, failed.cause());
        }
    }

    private void snapshotFailed(RunContext current, SnapshotException cause) {
        if (!isCurrent(current)) {
            return; // a stopped run's failure: the next start meets it again if it is still there
        }
        snapshotMetrics.error(cause.getMessage());
        LOG.error("{}", cause.getMessage());
        // the handler first: whoever sees phase FAILED can rely on the failure having been handled
        events.handle(cause.getMessage(), cause);
        fail(current, "The snapshot failed: " + cause.getMessage());
    }

    private synchronized boolean isCurrent(RunContext current) {
        return current == run && current.isRunning();
    }

    /** Ends {@code current} in phase FAILED, unless it is no longer the engine's run or the engine stopped. */
    private synchronized void fail(RunContext current, String why) {
        if (current != run || phase == Phase.STOPPED) {
            return;
        }
        failure = why;
        moveTo(Phase.FAILED);
        current.stop();
    }

    /** Moves to {@code next} on behalf of {@code current}, unless that run is no longer the engine's. */
    private synchronized void moveTo(RunContext current, Phase next) {
        if (isCurrent(current)) {
            moveTo(next);
        }
    }

    private synchronized void startStreaming(RunContext current, FirstStart firstStart, LossPolicy losses,
                                             StreamFollowing following) {
        if (!isCurrent(current)) {
            return;
        }
        String streamArn = setup.table().streamArn();
        GapSink runGaps = gaps;
        TableWatch watch = new TableWatch(ports.table(), tableName, streamArn, metrics, changed -> {
            events.handle(changed.getMessage(), changed);
            if (changed.isReplaced()) {
                runGaps.replacedWhileRunning();
            }
        });
        StreamCoordinator streaming = new StreamCoordinator(setup.stream(), ports.stream(), shards, dispatcher, current,
                metrics, losses, firstStart, setup.ownership(), new StreamCoordinator.Halts() {
                    @Override
                    public void lineageHalted(String shardId, ShardPosition start, boolean readAny) {
                        CdcEngine.this.lineageHalted(current, start, readAny);
                    }

                    @Override
                    public void endedWithoutChild(String shardId) {
                        current.control(watch); // a disabled or replaced stream is told within seconds
                    }
                }, tableName, streamArn);
        moveTo(Phase.STREAMING); // before the first reader runs
        coordinator = streaming; // its positions are a gap's start, also of one it meets as it starts
        streaming.start();
        following.follow(); // a replaced stream is the followed one once its start positions are fixed
        long interval = setup.stream().shardDiscoveryInterval();
        current.every(watch, interval, interval);
        LOG.info("Capturing changes of table {} from stream {} (consumerId={}, first start at {})", tableName,
                streamArn, setup.consumerId(), firstStart);
    }

    /**
     * A shard halted at the snapshot's hand-over, before reading anything: the stream no longer holds the records
     * from the hand-over on, so the snapshot cannot be completed without a gap. Nothing further is read.
     */
    private void lineageHalted(RunContext current, ShardPosition start, boolean readAny) {
        HandOver at = handOver;
        if (at == null || readAny || !start.equals(ShardPosition.from(at.streamFromMillis())) || !isCurrent(current)) {
            return;
        }
        String why = "The snapshot's hand-over to the stream failed: " + metrics.lastError();
        snapshotMetrics.error(why);
        fail(current, why);
    }

    synchronized void moveTo(Phase next) {
        if (phase == next) {
            return;
        }
        phase = phase.moveTo(next);
        LOG.info("Table {}: phase {}", tableName, next);
    }

    /**
     * Ends the run at once, from any thread (a shard reader's, whose checkpoint write was just refused), without
     * waiting or writing anything: no reader dispatches another record after this returns. {@link #stop} follows.
     */
    public void halt() {
        RunContext current;
        synchronized (this) {
            current = run;
        }
        if (current != null) {
            current.stop();
        }
    }

    /**
     * Ends the run: its tasks stop at their next check (waiting up to {@code awaitMillis} for those running), and the
     * snapshot's acknowledged lines are written. Exchanges still in flight write their positions when they complete.
     */
    public void stop(long awaitMillis) {
        RunContext current;
        synchronized (this) {
            current = run;
            if (current == null) {
                return;
            }
            current.stop();
        }
        current.awaitIdle(awaitMillis);
        flush();
        StreamCoordinator streaming = coordinator;
        if (streaming != null) {
            streaming.release(); // its shards off the counters other buckets' engines share
        }
        synchronized (this) {
            if (phase != Phase.STOPPED) {
                moveTo(Phase.STOPPED);
            }
        }
    }

    /** Writes the acknowledged lines of the data files being loaded. */
    public void flush() {
        Snapshot current = snapshot;
        if (current != null) {
            current.flush();
        }
    }

    public Phase phase() {
        return phase;
    }

    /** Whether a run is going on (started and neither stopped nor ended in FAILED). */
    public synchronized boolean isRunning() {
        return run != null && run.isRunning();
    }

    /** Why the engine is in phase FAILED, or {@code null}. */
    public String failure() {
        return failure;
    }

    /** The shards of the stream with their state, position and lag (none before the stream started). */
    public synchronized List<ShardStatus> shards() {
        return coordinator == null ? List.of() : coordinator.shards();
    }

    /** How many shards are in this lineage state (0 before the stream started). */
    public synchronized long shardCount(ShardLineageTracker.State state) {
        return coordinator == null ? 0 : coordinator.shardCount(state);
    }
}
