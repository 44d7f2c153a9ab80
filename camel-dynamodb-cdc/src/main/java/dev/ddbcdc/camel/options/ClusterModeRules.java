package dev.ddbcdc.camel.options;

/**
 * What {@code clusterMode=BUCKETS} asks of the other options, in one place; every message names the cause and the
 * fix.
 */
public final class ClusterModeRules {

    /** At most this many buckets: each one is a lease (Kubernetes) or znode per consumer. */
    public static final int MAX_BUCKETS = 256;

    private ClusterModeRules() {
    }

    /**
     * @param clustered whether a cluster service is configured (clusterService or clustered=true)
     */
    public static void check(ClusterMode mode, int shardBuckets, long rebalanceInterval, boolean clustered,
                             TrimmedDataPolicy trimmedDataPolicy) {
        if (shardBuckets < 1 || shardBuckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("shardBuckets must be between 1 and " + MAX_BUCKETS + ", was "
                                               + shardBuckets);
        }
        if (rebalanceInterval < 1) {
            throw new IllegalArgumentException("bucketRebalanceInterval must be positive, was " + rebalanceInterval);
        }
        if (mode != ClusterMode.BUCKETS) {
            return;
        }
        if (!clustered) {
            throw new IllegalArgumentException("clusterMode=BUCKETS spreads the shards over the instances through a"
                                               + " cluster service, and none is set: set clusterService (camel-kubernetes'"
                                               + " KubernetesClusterService) or clustered=true");
        }
        if (trimmedDataPolicy == TrimmedDataPolicy.RESNAPSHOT
            || trimmedDataPolicy == TrimmedDataPolicy.INCREMENTAL_EXPORT) {
            throw new IllegalArgumentException("trimmedDataPolicy=" + trimmedDataPolicy + " recovers a gap with a new"
                                               + " checkpoint generation, which clusterMode=BUCKETS does not begin"
                                               + " across its buckets yet: use clusterMode=STANDBY for it, or"
                                               + " trimmedDataPolicy=FAIL or CONTINUE with buckets");
        }
    }
}
