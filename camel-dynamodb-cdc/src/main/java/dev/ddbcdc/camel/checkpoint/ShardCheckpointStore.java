package dev.ddbcdc.camel.checkpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.StateRepository;

/**
 * Shard positions and the stream marker of one stream, over a Camel {@link StateRepository}. A consumer whose shards
 * are spread in buckets ({@link #ofUnit}) keeps a first-start marker per bucket besides the stream's: a bucket led for
 * the first time after the stream was started elsewhere joins that start instead of making its own.
 */
public final class ShardCheckpointStore {

    private final StateRepository<String, String> repository;
    private final CheckpointKeys keys;
    /** The unit whose first start {@link #streamStarted()} tells ({@code bucket-07}), or {@code null}: the consumer. */
    private final String unit;
    /** The last position this instance saved per shard it reads, for consoles (removed at the shard's end). */
    private final Map<String, ShardPosition> written = new ConcurrentHashMap<>();

    public ShardCheckpointStore(StateRepository<String, String> repository, CheckpointKeys keys) {
        this(repository, keys, null);
    }

    private ShardCheckpointStore(StateRepository<String, String> repository, CheckpointKeys keys, String unit) {
        this.repository = repository;
        this.keys = keys;
        this.unit = unit;
    }

    /** The same positions, for one unit of a consumer whose shards are spread in buckets ({@code bucket-07}). */
    public ShardCheckpointStore ofUnit(String unit) {
        return new ShardCheckpointStore(repository, keys, unit);
    }

    /** The stored position of a shard, or {@code null} if it has none. */
    public ShardPosition load(String shardId) {
        String value = CheckpointValues.read(keys.shard(shardId), repository.getState(keys.shard(shardId)));
        try {
            return ShardPosition.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Checkpoint key " + keys.shard(shardId) + " holds an unreadable value '"
                                            + value + "'; remove it to read the shard from its oldest record",
                    e);
        }
    }

    public void save(String shardId, ShardPosition position) {
        repository.setState(keys.shard(shardId), CheckpointValues.write(position.serialize()));
        if (position.isEnd()) {
            written.remove(shardId);
        } else {
            written.put(shardId, position);
        }
    }

    /** The position this instance last wrote for a shard it reads, or {@code null} (none yet, or the shard ended). */
    public ShardPosition lastWritten(String shardId) {
        return written.get(shardId);
    }

    public String key(String shardId) {
        return keys.shard(shardId);
    }

    /** Whether this consumer (or this unit of it) already made its first start on this stream. */
    public boolean streamStarted() {
        String marker = unitMarker();
        return CheckpointValues.read(marker, repository.getState(marker)) != null;
    }

    private String unitMarker() {
        return unit == null ? keys.streamMarker() : keys.streamMarker() + "/" + unit;
    }

    /**
     * When this consumer made its first start on this stream ({@link #markStreamStarted}), or {@code null} when it did
     * not (or the marker holds no time).
     */
    public Long streamStartedMillis() {
        if (unit != null && !streamStarted()) {
            return null;
        }
        StreamStart start = StreamStart.parse(CheckpointValues.read(keys.streamMarker(),
                repository.getState(keys.streamMarker())));
        return start == null ? null : start.millis();
    }

    /**
     * The first start of a consumer on a stream: when, and how it began ({@code how}: the start position it fixed,
     * {@code null} in a marker written before it was recorded).
     */
    public record StreamStart(long millis, String how) {
        static StreamStart parse(String value) {
            if (value == null || !value.startsWith("started:")) {
                return null;
            }
            String rest = value.substring("started:".length());
            int space = rest.indexOf(' ');
            try {
                return new StreamStart(Long.parseLong(space < 0 ? rest : rest.substring(0, space)),
                        space < 0 ? null : rest.substring(space + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        String serialize() {
            return "started:" + millis + (how == null ? "" : " " + how);
        }
    }

    /**
     * For a unit that did not start on this stream yet: the stream's first start, made by another unit of the
     * consumer, which this one joins; {@code null} when none was made (or this is not a unit, or it started already).
     */
    public StreamStart startedElsewhere() {
        if (unit == null || streamStarted()) {
            return null;
        }
        return StreamStart.parse(CheckpointValues.read(keys.streamMarker(), repository.getState(keys.streamMarker())));
    }

    /** The shard positions and stream marker of another stream of the table (a replaced one), same generation. */
    public ShardCheckpointStore ofStream(String streamArn) {
        return new ShardCheckpointStore(repository, keys.ofStream(streamArn), unit);
    }

    /** Records this consumer's (or unit's) first start on the stream. */
    public void markStreamStarted(long millis) {
        markStreamStarted(millis, null);
    }

    /**
     * Records this consumer's (or unit's) first start on the stream and how it began; a unit's also marks the
     * stream's, once, for the units that start later to join.
     */
    public void markStreamStarted(long millis, String how) {
        String value = CheckpointValues.write(new StreamStart(millis, how).serialize());
        if (unit != null && startedElsewhere() == null) {
            repository.setState(keys.streamMarker(), value);
        }
        repository.setState(unitMarker(), value);
    }

    /** The ARN of the stream this consumer followed last on this table, or {@code null} when none was recorded. */
    public String followedStream() {
        return CheckpointValues.read(keys.followedStream(), repository.getState(keys.followedStream()));
    }

    public void followStream(String streamArn) {
        repository.setState(keys.followedStream(), CheckpointValues.write(streamArn));
    }

    public String followedStreamKey() {
        return keys.followedStream();
    }

    /** The consumer's current generation on the table (the first when none was recorded). */
    public Generation generation() {
        String key = keys.generationKey();
        String value = CheckpointValues.read(key, repository.getState(key));
        try {
            return Generation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Checkpoint key " + key + " holds an unreadable value '" + value + "'", e);
        }
    }

    /** Records {@code next} as the consumer's generation: from now on its keys are the ones read and written. */
    public void beginGeneration(Generation next) {
        repository.setState(keys.generationKey(), CheckpointValues.write(next.serialize()));
    }

    public String generationKey() {
        return keys.generationKey();
    }
}
