package dev.ddbcdc.camel;

import java.util.Map;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.StreamMetrics;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one {@code dynamodb-cdc} consumer, from its in-memory state only (no AWS call per check). DOWN when
 * the snapshot stopped in phase FAILED, or when a shard lineage halted because its records were trimmed
 * ({@code trimmedDataPolicy=FAIL}), or when the table was deleted or its stream disabled or replaced; UP otherwise
 * while the consumer runs, a standby in phase STANDBY included (it is ready to take over). The details give the
 * phase, the leadership (clustered only: with clusterMode=BUCKETS the buckets this instance leads), the snapshot's progress, the shards being read, the lag behind the stream head
 * and the last error.
 */
public final class DynamoDbCdcConsumerHealthCheck extends AbstractHealthCheck {

    private final DynamoDbCdcConsumer consumer;

    public DynamoDbCdcConsumerHealthCheck(DynamoDbCdcConsumer consumer, String routeId) {
        super("camel", "dynamodb-cdc-consumer-" + routeId);
        this.consumer = consumer;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Phase phase = consumer.getPhase();
        StreamMetrics stream = consumer.getMetrics();
        SnapshotMetrics snapshot = consumer.getSnapshotMetrics();
        long haltedLineages = consumer.shardCount(ShardLineageTracker.State.HALTED);
        builder.detail("table", consumer.getEndpoint().getConfiguration().getTable());
        builder.detail("consumerId", consumer.getEndpoint().getConfiguration().getConsumerId());
        builder.detail("phase", phase.name());
        if (consumer.getClusterNamespace() != null) {
            builder.detail("cluster.namespace", consumer.getClusterNamespace());
            builder.detail("cluster.leader", consumer.isLeader());
            builder.detail("cluster.epoch", consumer.getEpoch());
            builder.detail("checkpoints.refused", consumer.getRefusedCheckpointWrites());
            builder.detail("cluster.led", String.join(",", consumer.getBucketsLed()));
        }
        builder.detail("shards.reading", stream.shardsReading.get());
        builder.detail("shards.halted", haltedLineages);
        builder.detail("records.delivered", stream.recordsDelivered.sum());
        builder.detail("records.trimmedDataEvents", stream.trimmedDataEvents.get());
        if (phase == Phase.STREAMING) {
            builder.detail("stream.lagMillis", stream.lag.millisBehind());
        }
        SnapshotMode mode = consumer.getEndpoint().getConfiguration().effectiveSnapshotMode();
        if (mode != SnapshotMode.NONE) {
            builder.detail("snapshot.mode", mode.name());
            if (mode == SnapshotMode.SCAN) {
                builder.detail("snapshot.segments.done", snapshot.segmentsDone.get());
                builder.detail("snapshot.segments.total", snapshot.segmentsTotal.get());
                builder.detail("snapshot.readUnits", Math.round(snapshot.readUnits.sum()));
            } else {
                builder.detail("snapshot.dataFiles.done", snapshot.dataFilesDone.get());
                builder.detail("snapshot.dataFiles.total", snapshot.dataFilesTotal.get());
            }
            builder.detail("snapshot.items.acknowledged", snapshot.itemsAcknowledged.sum());
            builder.detail("snapshot.items.total", snapshot.itemsTotal.get());
        }
        String lastError = phase == Phase.FAILED ? consumer.getFailure() : stream.lastError();
        if (lastError != null) {
            builder.detail("lastError", lastError);
        }
        if (phase == Phase.FAILED) {
            builder.message(consumer.getFailure());
            builder.down();
        } else if (stream.streamProblem() != null && phase != Phase.STOPPED) {
            builder.message(stream.streamProblem());
            builder.down();
        } else if (haltedLineages > 0) {
            builder.message(haltedLineages + " shard lineage(s) halted after trimmed data (trimmedDataPolicy=FAIL): "
                            + stream.lastError());
            builder.down();
        } else if (phase == Phase.DONE) {
            builder.message("The snapshot is loaded and snapshotOnly is set: nothing more is read; stop the route");
            builder.up();
        } else if (phase == Phase.STOPPED) {
            builder.message("The consumer is stopped");
            builder.down();
        } else {
            builder.up();
        }
    }
}
