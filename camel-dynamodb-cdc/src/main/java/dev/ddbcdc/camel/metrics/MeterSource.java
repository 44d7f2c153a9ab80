package dev.ddbcdc.camel.metrics;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.ddbcdc.camel.aws.AwsAttemptMetrics;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.stream.StreamMetrics;

/**
 * What one consumer's meters read: its counters, its phase, and the tags that tell consumers apart. The counters are
 * the consumer's own; meters only read them.
 *
 * @param snapshot    the snapshot's counters, or null when the consumer takes no snapshot
 * @param awsAttempts the failed attempts of the consumer's own AWS clients, SDK retries included
 * @param cluster     the leadership of a clustered consumer, or null when it is not clustered
 */
public record MeterSource(String table, String consumerId, String routeId, StreamMetrics stream,
                          SnapshotMetrics snapshot, AwsAttemptMetrics awsAttempts, Supplier<Phase> phase,
                          Cluster cluster) {

    /**
     * What a clustered consumer's leadership meters read.
     *
     * @param unitsLed how many units this instance leads (its buckets and the snapshot's; 1 for a standby that leads)
     */
    public record Cluster(BooleanSupplier leader, LongSupplier epoch, LongSupplier refusedCheckpointWrites,
                          LongSupplier unitsLed) {
    }
}
