package dev.ddbcdc.camel.cluster;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import dev.ddbcdc.camel.options.ClusterModeRules;
import dev.ddbcdc.camel.stream.ShardOwnership;

/**
 * A fixed number of shard buckets: a shard belongs to bucket {@code crc32(shardId) mod count}, the same on every
 * member and in every version (CRC-32 of the id's UTF-8 bytes, a published checksum, unlike
 * {@code String.hashCode} spreads neighbouring ids evenly). Each bucket is a cluster namespace of its own, led by one
 * member at a time, so a cluster service that spreads namespaces over members (Camel's
 * {@code RebalancingCamelClusterService}) spreads the shards; the snapshot has a namespace of its own too.
 */
public final class ShardBuckets {

    private static final String SNAPSHOT = "snapshot";

    private final int count;
    private final int width;

    public ShardBuckets(int count) {
        if (count < 1 || count > ClusterModeRules.MAX_BUCKETS) {
            throw new IllegalArgumentException("shardBuckets must be between 1 and " + ClusterModeRules.MAX_BUCKETS
                                               + ", was " + count);
        }
        this.count = count;
        this.width = Integer.toString(count - 1).length();
    }

    public int count() {
        return count;
    }

    /** The bucket of a shard: the same for every member that asks. */
    public int bucketOf(String shardId) {
        CRC32 crc = new CRC32();
        crc.update(shardId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    /** The shards of one bucket. */
    public ShardOwnership ownership(int bucket) {
        checkBucket(bucket);
        return shardId -> bucketOf(shardId) == bucket;
    }

    /** The name of a bucket where names must be told apart (leader keys, logs): {@code bucket-07} of 16. */
    public String unit(int bucket) {
        checkBucket(bucket);
        return "bucket-" + pad(bucket);
    }

    /** The name of the snapshot's unit. */
    public static String snapshotUnit() {
        return SNAPSHOT;
    }

    /** The cluster namespace of a bucket: the consumer's namespace and {@code -b07}, at most 63 characters. */
    public String namespace(String base, int bucket) {
        checkBucket(bucket);
        return ClusterNamespace.withSuffix(base, "-b" + pad(bucket));
    }

    /** The cluster namespace of the snapshot: the consumer's namespace and {@code -snapshot}. */
    public static String snapshotNamespace(String base) {
        return ClusterNamespace.withSuffix(base, "-" + SNAPSHOT);
    }

    private String pad(int bucket) {
        String digits = Integer.toString(bucket);
        return "0".repeat(width - digits.length()) + digits;
    }

    private void checkBucket(int bucket) {
        if (bucket < 0 || bucket >= count) {
            throw new IllegalArgumentException("bucket " + bucket + " of " + count);
        }
    }
}
