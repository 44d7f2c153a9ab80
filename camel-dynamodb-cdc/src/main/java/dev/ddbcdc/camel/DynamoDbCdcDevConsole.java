package dev.ddbcdc.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.camel.stream.ShardStatus;
import dev.ddbcdc.camel.stream.StreamMetrics;
import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code dynamodb-cdc} dev console: for every consumer of the CamelContext, its phase, its leadership and epoch
 * (standby), the shards it reads with their positions and lag, the snapshot's progress and the last error. Shown by
 * {@code camel get}/{@code camel cmd} of Camel JBang and on the management port's {@code /q/dev} endpoint; reads
 * in-memory state only (no AWS call, no checkpoint store read).
 */
@DevConsole(name = "dynamodb-cdc", displayName = "DynamoDB CDC",
            description = "Change data capture from DynamoDB: phase, leadership, shards and positions, snapshot")
public class DynamoDbCdcDevConsole extends AbstractDevConsole {

    public DynamoDbCdcDevConsole() {
        super("camel", "dynamodb-cdc", "DynamoDB CDC",
              "Change data capture from DynamoDB: phase, leadership, shards and positions, snapshot");
    }

    private List<DynamoDbCdcConsumer> consumers() {
        List<DynamoDbCdcConsumer> consumers = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof DynamoDbCdcConsumer consumer) {
                consumers.add(consumer);
            }
        }
        return consumers;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (DynamoDbCdcConsumer consumer : consumers()) {
            JsonObject status = status(consumer);
            text.append(String.format("%nRoute %s: table %s, consumerId %s, phase %s%n", status.get("routeId"),
                    status.get("table"), status.get("consumerId"), status.get("phase")));
            if (status.containsKey("cluster")) {
                JsonObject cluster = (JsonObject) status.get("cluster");
                text.append(String.format("    Cluster: namespace %s, member %s, leader %s, epoch %s, refused"
                                          + " checkpoint writes %s, leads %s%n", cluster.get("namespace"),
                        cluster.get("member"), cluster.get("leader"), cluster.get("epoch"),
                        cluster.get("refusedCheckpointWrites"), led(cluster.get("led"))));
            }
            text.append(String.format("    Records: delivered %s, acknowledged %s; lag %s ms%n",
                    status.get("recordsDelivered"), status.get("recordsAcknowledged"), status.get("lagMillis")));
            if (status.containsKey("snapshot")) {
                JsonObject snapshot = (JsonObject) status.get("snapshot");
                text.append(String.format("    Snapshot: data files %s of %s, items %s of %s acknowledged%n",
                        snapshot.get("dataFilesDone"), snapshot.get("dataFilesTotal"),
                        snapshot.get("itemsAcknowledged"), snapshot.get("itemsTotal")));
            }
            for (Object each : (List<?>) status.get("shards")) {
                JsonObject shard = (JsonObject) each;
                text.append(String.format("    Shard %s: %s, position %s, lag %s%n", shard.get("shardId"),
                        shard.get("state"), shard.getOrDefault("position", "-"),
                        shard.get("lagMillis").equals(-1L) ? "-" : shard.get("lagMillis") + " ms"));
            }
            if (status.containsKey("lastError")) {
                text.append(String.format("    Last error: %s%n", status.get("lastError")));
            }
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        consumers().forEach(consumer -> list.add(status(consumer)));
        root.put("consumers", list);
        return root;
    }

    private static JsonObject status(DynamoDbCdcConsumer consumer) {
        DynamoDbCdcConfiguration configuration = consumer.getEndpoint().getConfiguration();
        StreamMetrics stream = consumer.getMetrics();
        JsonObject status = new JsonObject();
        status.put("routeId", consumer.getRouteId());
        status.put("table", configuration.getTable());
        status.put("consumerId", configuration.getConsumerId());
        status.put("phase", consumer.getPhase().name());
        if (consumer.getClusterNamespace() != null) {
            JsonObject cluster = new JsonObject();
            cluster.put("namespace", consumer.getClusterNamespace());
            cluster.put("member", consumer.getClusterMember());
            cluster.put("leader", consumer.isLeader());
            cluster.put("epoch", consumer.getEpoch());
            cluster.put("refusedCheckpointWrites", consumer.getRefusedCheckpointWrites());
            cluster.put("led", new JsonArray(consumer.getBucketsLed()));
            status.put("cluster", cluster);
        }
        status.put("recordsDelivered", stream.recordsDelivered.sum());
        status.put("recordsAcknowledged", stream.recordsAcknowledged.sum());
        status.put("lagMillis", stream.lag.millisBehind());
        List<JsonObject> shards = new ArrayList<>();
        for (ShardStatus shard : consumer.getShards()) {
            JsonObject entry = new JsonObject();
            entry.put("shardId", shard.shardId());
            entry.put("state", shard.state().name());
            if (shard.position() != null) {
                entry.put("position", shard.position().serialize());
            }
            entry.put("lagMillis", shard.lagMillis());
            shards.add(entry);
        }
        status.put("shards", shards);
        SnapshotMode mode = configuration.effectiveSnapshotMode();
        if (mode != SnapshotMode.NONE) {
            SnapshotMetrics snapshot = consumer.getSnapshotMetrics();
            JsonObject progress = new JsonObject();
            progress.put("mode", mode.name());
            if (mode == SnapshotMode.SCAN) {
                progress.put("segmentsDone", snapshot.segmentsDone.get());
                progress.put("segmentsTotal", snapshot.segmentsTotal.get());
                progress.put("readUnits", Math.round(snapshot.readUnits.sum()));
            } else {
                progress.put("dataFilesDone", snapshot.dataFilesDone.get());
                progress.put("dataFilesTotal", snapshot.dataFilesTotal.get());
            }
            progress.put("itemsAcknowledged", snapshot.itemsAcknowledged.sum());
            progress.put("itemsTotal", snapshot.itemsTotal.get());
            status.put("snapshot", progress);
        }
        String lastError = consumer.getFailure() != null ? consumer.getFailure() : stream.lastError();
        if (lastError != null) {
            status.put("lastError", lastError);
        }
        return status;
    }

    private static String led(Object units) {
        return units instanceof List<?> list && !list.isEmpty()
                ? String.join(",", list.stream().map(String::valueOf).toList()) : "nothing";
    }
}
