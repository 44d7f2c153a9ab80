package dev.ddbcdc.camel.options;

/** How the instances of a clustered consumer share a table's stream. */
public enum ClusterMode {
    /** One instance reads every shard; the others stand by to take over. */
    STANDBY,
    /**
     * The shards are spread in a fixed number of buckets, each a cluster namespace of its own, over the instances by a
     * rebalancing cluster service: each reads the shards of the buckets it leads.
     */
    BUCKETS
}
