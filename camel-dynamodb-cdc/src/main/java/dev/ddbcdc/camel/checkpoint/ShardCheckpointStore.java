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
        String value = CheckpointValues.read(keys.streamMarker(), repository.getState(keys.streamMarker()));
        if (value == null || !value.startsWith("started:")) {
            return null;
        }
        try {
            return Long.parseLong(value.substring("started:".length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * For a unit that did not start on this stream yet: when another unit of the consumer made the stream's first
     * start, or {@code null} when none did (or this is not a unit, or it started already).
     */
    public Long startedElsewhereMillis() {
        return unit == null || streamStarted() ? null : new ShardCheckpointStore(repository, keys).streamStartedMillis();
    }

    /** The shard positions and stream marker of another stream of the table (a replaced one), same generation. */
    public ShardCheckpointStore ofStream(String streamArn) {
        return new ShardCheckpointStore(repository, keys.ofStream(streamArn), unit);
    }

    /** Records this consumer's (or unit's) first start on the stream; a unit's also marks the stream's, once. */
    public void markStreamStarted(long millis) {
        if (unit != null && startedElsewhereMillis() == null) {
            repository.setState(keys.streamMarker(), CheckpointValues.write("started:" + millis));
        }
        repository.setState(unitMarker(), CheckpointValues.write("started:" + millis));
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
