package dev.ddbcdc.camel.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * How far the consumer is behind the head of the stream. DynamoDB Streams reports no "millis behind latest", so
 * each shard being read tracks the creation time of the newest record its last GetRecords call returned; a call that
 * returned nothing on an open shard means the shard is caught up. The lag is the largest
 * {@code now - creation time} over the shards that are not caught up, 0 when all are. Creation times are
 * DynamoDB's approximate ones (whole seconds), so the figure is exact to about a second.
 */
public final class StreamLag {

    private static final long CAUGHT_UP = Long.MAX_VALUE;

    private final Map<String, Long> newestReadMillis = new ConcurrentHashMap<>();

    /** A GetRecords call on the shard returned records, the newest created at {@code creationMillis}. */
    void read(String shardId, long creationMillis) {
        newestReadMillis.put(shardId, creationMillis);
    }

    /** A GetRecords call on the open shard returned nothing: it is at the head of the stream. */
    void caughtUp(String shardId) {
        newestReadMillis.put(shardId, CAUGHT_UP);
    }

    /** The shard is no longer read (finished or stopped). */
    void forget(String shardId) {
        newestReadMillis.remove(shardId);
    }

    /** Forgets the shards {@code which} accepts (those of one bucket's run that ended). */
    void forgetIf(Predicate<String> which) {
        newestReadMillis.keySet().removeIf(which);
    }

    /** A new start: no shard is read yet. */
    void clear() {
        newestReadMillis.clear();
    }

    /** The lag behind the stream head at {@code nowMillis}, in milliseconds (0 when no shard is behind). */
    public long millisBehind(long nowMillis) {
        long oldest = CAUGHT_UP;
        for (long millis : newestReadMillis.values()) {
            oldest = Math.min(oldest, millis);
        }
        return oldest == CAUGHT_UP ? 0 : Math.max(0, nowMillis - oldest);
    }

    /** One shard's lag at {@code nowMillis}: 0 when caught up, -1 when it is not being read. */
    public long millisBehind(String shardId, long nowMillis) {
        Long newest = newestReadMillis.get(shardId);
        if (newest == null) {
            return -1;
        }
        return newest == CAUGHT_UP ? 0 : Math.max(0, nowMillis - newest);
    }

    public long millisBehind() {
        return millisBehind(System.currentTimeMillis());
    }
}
