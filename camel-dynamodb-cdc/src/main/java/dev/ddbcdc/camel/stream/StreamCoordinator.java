package dev.ddbcdc.camel.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.checkpoint.ShardCheckpointStore;
import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.port.StreamProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * Runs the STREAMING phase of one table: lists the stream's shards periodically and as soon as a shard ends whose
 * children are not listed yet, decides where each new shard starts, and reads ready shards (parent before child,
 * {@link ShardLineageTracker}) on the run's executor. It reads only the shards its {@link ShardOwnership} accepts; a
 * shard of another owner counts as finished once its end sentinel is in the checkpoint store.
 * <p>
 * Start positions: a shard with a checkpoint resumes from it. On the first start of this consumer id on this stream,
 * the {@link FirstStart} decides: {@code LATEST} marks the closed shards as finished and starts the open ones at their
 * latest record (the iterator is taken at once), {@code from(time)} starts every shard at its oldest record delivering
 * records created from that time, both persisted before anything is read; {@code TRIM_HORIZON} reads every shard from
 * its oldest record. Shards found after the first start are new, and are read from their oldest record.
 */
public final class StreamCoordinator implements ShardReader.Host {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCoordinator.class);
    /** How often the ends of other owners' shards are looked for while a child of ours waits on one. */
    static final long ELSEWHERE_CHECK_MILLIS = 1000;
    /**
     * Stored for a shard read from its oldest record before anything of it is acknowledged: every record created from
     * the epoch on, so that a shard trimmed away unread is a loss its children see, not a shard without a checkpoint.
     */
    static final ShardPosition OWED_FROM_OLDEST = ShardPosition.from(0);

    private final StreamOptions options;
    private final StreamProxy proxy;
    private final ShardCheckpointStore store;
    private final RecordDispatcher dispatcher;
    private final RunContext run;
    private final StreamMetrics metrics;
    private final LossPolicy losses;
    private final FirstStart firstStartPosition;
    private final ShardOwnership ownership;
    private final Halts halts;
    private final String tableName;
    private final String streamArn;
    private final ShardLineageTracker lineage = new ShardLineageTracker();
    private final Map<String, ShardStart> startPositions = new HashMap<>();
    /** Set once the run ended ({@link #release()}): the shared counters no longer count this coordinator's shards. */
    private boolean released;

    /** Told when a shard reader halts its lineage after a loss (trimmedDataPolicy=FAIL). */
    public interface Halts {
        /** Nobody needs to know. */
        Halts NONE = (shardId, start, readAny) -> {
        };

        void lineageHalted(String shardId, ShardPosition start, boolean readAny);

        /**
         * A shard ended and no child of it is listed: a rollover whose children are not listed yet, or the stream
         * was disabled or replaced (its shards end without children), which is worth checking at once rather than
         * at the next shardDiscoveryInterval.
         */
        default void endedWithoutChild(String shardId) {
        }
    }

    public StreamCoordinator(StreamOptions options, StreamProxy proxy, ShardCheckpointStore store,
                             RecordDispatcher dispatcher, RunContext run, StreamMetrics metrics, LossPolicy losses,
                             FirstStart firstStartPosition, ShardOwnership ownership, Halts halts,
                             String tableName, String streamArn) {
        this.options = options;
        this.proxy = proxy;
        this.store = store;
        this.dispatcher = dispatcher;
        this.run = run;
        this.metrics = metrics;
        this.losses = losses;
        this.firstStartPosition = firstStartPosition;
        this.ownership = ownership;
        this.halts = halts;
        this.tableName = tableName;
        this.streamArn = streamArn;
    }

    /**
     * Lists the shards once before returning, so that on a first start every shard's start position is fixed and
     * persisted (and with {@code LATEST} its iterator taken) by the time the route's start returns: a change made
     * after that is delivered. Then lists them every {@code shardDiscoveryInterval}.
     *
     * @throws IllegalStateException when the first start cannot fix its positions (the stream cannot be listed)
     */
    public void start() {
        if (ownership == ShardOwnership.ALL) {
            metrics.lag.clear();
        } else {
            metrics.lag.forgetIf(ownership::owns); // other buckets' coordinators share the metrics
        }
        boolean firstStart = !store.streamStarted();
        try {
            discover();
        } catch (RuntimeException e) {
            if (firstStart) {
                throw new IllegalStateException("Table " + tableName + ": could not fix the start positions of stream "
                                                + streamArn + " (" + firstStartPosition + "): " + e.getMessage()
                                                + ". Nothing was read; start the route again once the stream can be"
                                                + " listed (dynamodb:DescribeStream, dynamodb:GetShardIterator)",
                        e);
            }
            listingFailed(e);
        }
        run.every(this::discoverSafely, options.shardDiscoveryInterval(), options.shardDiscoveryInterval());
        if (ownership != ShardOwnership.ALL) {
            run.every(this::checkElsewhereSafely, ELSEWHERE_CHECK_MILLIS, ELSEWHERE_CHECK_MILLIS);
        }
    }

    @Override
    public boolean isRunning() {
        return run.isRunning();
    }

    private void discoverSafely() {
        try {
            discover();
        } catch (RuntimeException e) {
            listingFailed(e);
        }
    }

    private void listingFailed(RuntimeException e) {
        metrics.apiErrors.incrementAndGet();
        metrics.error("Listing shards of " + streamArn + ": " + e.getMessage());
        LOG.warn("Could not list the shards of table {} stream {}: {}; retrying in {} ms", tableName, streamArn,
                e.getMessage(), options.shardDiscoveryInterval());
    }

    /** Lists the shards, registers new ones with their start positions and starts reading those that are ready. */
    synchronized void discover() {
        if (!run.isRunning()) {
            return;
        }
        List<Shard> shards = proxy.listShards(streamArn);
        boolean firstStart = !store.streamStarted();
        long now = run.millis();
        Set<String> listed = new HashSet<>();
        int added = 0;
        for (Shard shard : shards) {
            listed.add(shard.shardId());
        }
        for (Shard shard : shards) {
            if (!lineage.knows(shard.shardId())) {
                register(shard, firstStart, now, listed);
                added++;
            }
        }
        for (Shard shard : shards) {
            checkParentNotLost(shard, listed);
        }
        if (firstStart) {
            store.markStreamStarted(now, firstStartPosition.how());
            LOG.info("Table {}: first start on stream {} at {}", tableName, streamArn, firstStartPosition);
        }
        lineage.forgetFinishedExcept(listed);
        if (added > 0) {
            LOG.debug("Table {}: {} shards listed, {} new", tableName, shards.size(), added);
        }
        finishEndedElsewhere();
        startReady();
    }

    private void register(Shard shard, boolean firstStart, long now, Set<String> listed) {
        String id = shard.shardId();
        if (!ownership.owns(id)) {
            lineage.add(id, shard.parentShardId(), ShardLineageTracker.State.ELSEWHERE);
            return;
        }
        ShardPosition checkpoint = store.load(id);
        boolean closed = shard.sequenceNumberRange() != null
                         && shard.sequenceNumberRange().endingSequenceNumber() != null;
        ShardPosition start;
        if (checkpoint != null) {
            start = checkpoint;
        } else if (firstStart) {
            start = firstStartPosition.positionFor(closed, now);
            store.save(id, start.isStorable() ? start : OWED_FROM_OLDEST);
        } else {
            start = ShardPosition.trimHorizon();
            store.save(id, OWED_FROM_OLDEST);
        }
        if (start.isEnd()) {
            lineage.add(id, shard.parentShardId(), ShardLineageTracker.State.FINISHED);
            return;
        }
        // a shard's beginning was promised when it was born after the first start, or its parent is read too
        boolean mustBeComplete = start.requiresContinuity() || !firstStart
                                 || shard.parentShardId() != null && listed.contains(shard.parentShardId());
        // LATEST means "from now": take the iterator now, not when the reader first runs
        String iterator = start.iteratorType() == ShardIteratorType.LATEST
                ? proxy.shardIterator(streamArn, id, start) : null;
        lineage.add(id, shard.parentShardId(), ShardLineageTracker.State.WAITING);
        startPositions.put(id, new ShardStart(start, closed, mustBeComplete, iterator));
    }

    /**
     * A shard whose parent is not listed any more: if this consumer had not finished the parent, the parent's
     * unread records were trimmed away. Detected once, when the child is still waiting.
     */
    private void checkParentNotLost(Shard shard, Set<String> listed) {
        String parent = shard.parentShardId();
        if (parent == null || listed.contains(parent)
            || lineage.state(shard.shardId()) != ShardLineageTracker.State.WAITING) {
            return;
        }
        ShardPosition parentCheckpoint = store.load(parent);
        if (parentCheckpoint == null || parentCheckpoint.isEnd()) {
            return;
        }
        String lost = "Table " + tableName + " shard " + parent + ": the stream records " + parentCheckpoint.describe()
                      + " were trimmed before this consumer read them (the shard is gone from the stream): those"
                      + " changes are lost (checkpoint key " + store.key(parent) + ")";
        LossPolicy.Outcome outcome = losses.report(LossPolicy.Kind.TRIMMED_DATA, lost,
                "Its child " + shard.shardId() + " is not read", "Continuing with its child " + shard.shardId(),
                null);
        if (outcome.halted()) {
            lineage.halted(shard.shardId());
            startPositions.remove(shard.shardId());
        } else {
            store.save(parent, ShardPosition.end());
        }
    }

    private void checkElsewhereSafely() {
        try {
            synchronized (this) {
                finishEndedElsewhere();
                startReady();
            }
        } catch (RuntimeException e) {
            LOG.debug("Table {}: could not read the checkpoints of other owners' shards: {}", tableName, e.toString());
        }
    }

    /**
     * Shards of other owners whose end sentinel is in the checkpoint store count as finished. Only those a shard of
     * ours waits for are looked at: one checkpoint read per awaited parent, not one per shard of every other bucket.
     */
    private void finishEndedElsewhere() {
        for (String id : lineage.awaitedElsewhere()) {
            ShardPosition position = store.load(id);
            if (position != null && position.isEnd()) {
                lineage.finished(id);
            }
        }
    }

    private void startReady() {
        for (String id : lineage.takeReady()) {
            ShardStart start = startPositions.remove(id);
            LOG.debug("Table {}: reading shard {} from {}", tableName, id, start);
            metrics.shardsReading.incrementAndGet();
            run.submit(new ShardReader(this, proxy, store, dispatcher, metrics, options, tableName, streamArn, id,
                    start, run.clock(), losses), 0);
        }
    }

    @Override
    public void schedule(ShardReader reader, long delayMillis) {
        run.submit(reader, delayMillis);
    }

    /**
     * The run ended: its shards are no longer read here. Takes them off the shared counters (shards being read, the
     * lag), which the coordinators of the consumer's other buckets share; called once the run stopped.
     */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        lineage.states().forEach((shardId, state) -> {
            if (state == ShardLineageTracker.State.READING) {
                metrics.shardsReading.decrementAndGet();
                metrics.lag.forget(shardId);
            }
        });
    }

    @Override
    public void shardFinished(String shardId) {
        boolean childKnown;
        synchronized (this) {
            if (released) {
                return; // a reader that ended after the run: the next run lists the shards again
            }
            metrics.shardsReading.decrementAndGet();
            metrics.lag.forget(shardId);
            lineage.finished(shardId);
            childKnown = lineage.hasChild(shardId);
            startReady();
        }
        if (!childKnown) {
            // its children are not listed yet: look now rather than at the next interval (a listed child was
            // created with its siblings, so listing the whole stream again at every shard end would find nothing)
            run.control(this::discoverSafely);
            halts.endedWithoutChild(shardId);
        }
    }

    @Override
    public void lineageHalted(String shardId, ShardPosition start, boolean readAny) {
        synchronized (this) {
            if (released) {
                return;
            }
            metrics.shardsReading.decrementAndGet();
            metrics.lag.forget(shardId);
            lineage.halted(shardId);
        }
        halts.lineageHalted(shardId, start, readAny);
    }

    /** Every known shard with its state, last saved position and lag, for consoles. */
    public synchronized List<ShardStatus> shards() {
        long now = run.clock().millis();
        List<ShardStatus> shards = new ArrayList<>();
        lineage.states().forEach((shardId, state) -> shards.add(new ShardStatus(shardId, state,
                store.lastWritten(shardId), metrics.lag.millisBehind(shardId, now))));
        return shards;
    }

    /**
     * The checkpointed position of every shard this coordinator knows, its own and other owners' ({@code null} for
     * one without a checkpoint), with their parents, for the start of a gap: the last acknowledged change of each.
     */
    public synchronized ShardCheckpoints positions() {
        Map<String, ShardPosition> positions = new HashMap<>();
        Map<String, String> parents = new HashMap<>();
        lineage.states().keySet().forEach(shardId -> {
            positions.put(shardId, store.load(shardId));
            String parent = lineage.parentOf(shardId);
            if (parent != null) {
                parents.put(shardId, parent);
            }
        });
        return new ShardCheckpoints(positions, parents);
    }

    /** For tests and health: how many shards are in each lineage state. */
    public synchronized long shardCount(ShardLineageTracker.State state) {
        return lineage.count(state);
    }
}
