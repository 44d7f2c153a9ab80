package dev.ddbcdc.camel.cluster;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardBucketsTest {

    /** Shard ids as DynamoDB Streams makes them: a creation time and a random suffix. */
    static String shardId(Random random) {
        return String.format("shardId-%020d-%08x", 1_700_000_000_000L + random.nextInt(1_000_000_000),
                random.nextInt());
    }

    @Test
    void aShardsBucketIsFixedForEveryMemberAndVersion() {
        ShardBuckets buckets = new ShardBuckets(16);
        // pinned (zlib.crc32 agrees): members of different versions must agree, so it may never change
        assertEquals(8, buckets.bucketOf("shardId-00000001700000000000-0a1b2c3d"));
        assertEquals(buckets.bucketOf("shardId-x"), new ShardBuckets(16).bucketOf("shardId-x"));
        assertTrue(buckets.ownership(8).owns("shardId-00000001700000000000-0a1b2c3d"));
        assertFalse(buckets.ownership(9).owns("shardId-00000001700000000000-0a1b2c3d"));
    }

    @Test
    void shardsSpreadEvenlyOverTheBuckets() {
        ShardBuckets buckets = new ShardBuckets(16);
        int[] counts = new int[16];
        Random random = new Random(7);
        for (int i = 0; i < 16_000; i++) {
            counts[buckets.bucketOf(shardId(random))]++;
        }
        for (int bucket = 0; bucket < 16; bucket++) {
            assertTrue(counts[bucket] > 850 && counts[bucket] < 1150, "bucket " + bucket + ": " + counts[bucket]);
        }
    }

    @Test
    void bucketNamespacesAreValidDistinctAndShortEnough() {
        ShardBuckets buckets = new ShardBuckets(100);
        String shortBase = ClusterNamespace.derive("orders", "orders");
        assertEquals(shortBase + "-b07", buckets.namespace(shortBase, 7));
        assertEquals("bucket-07", buckets.unit(7));
        assertEquals(shortBase + "-snapshot", ShardBuckets.snapshotNamespace(shortBase));
        String longBase = ClusterNamespace.derive("a-consumer-with-a-rather-long-name", "and-a-table-with-one-too");
        Set<String> names = new HashSet<>();
        for (int bucket = 0; bucket < 100; bucket++) {
            String name = buckets.namespace(longBase, bucket);
            assertTrue(name.length() <= 63 && name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"), name);
            names.add(name);
        }
        names.add(ShardBuckets.snapshotNamespace(longBase));
        assertEquals(101, names.size());
        assertThrows(IllegalArgumentException.class, () -> new ShardBuckets(0));
        assertThrows(IllegalArgumentException.class, () -> new ShardBuckets(257));
        assertThrows(IllegalArgumentException.class, () -> buckets.namespace(shortBase, 100));
    }
}
