package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.CheckpointValues;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.crash.CrashAudit;
import dev.ddbcdc.camel.crash.CrashTest;
import dev.ddbcdc.camel.crash.SinkLine;
import dev.ddbcdc.camel.crash.TableWriter;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** What the cluster tests share: the table, the endpoint URI, and the audit of a run's sinks. */
final class ClusterScenario {

    static final boolean SOAK = Boolean.getBoolean("reliability.soak");
    static final String CONSUMER_ID = "cluster";
    /** The members' ZooKeeper session timeout: a dead or stalled leader's lock goes after this. */
    static final int SESSION_TIMEOUT_MS = 2000;
    /** ZooKeeper's tick: sessions expire on tick boundaries; the smallest session timeout it grants is 2 ticks. */
    static final int TICK_MS = 200;

    private ClusterScenario() {
    }

    /** A ZooKeeper server on a free port with a {@value #TICK_MS} ms tick, so that short sessions are granted. */
    static TestingServer startZooKeeper() throws Exception {
        return new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1), true);
    }

    /** The members' cluster service: Camel's ZooKeeperClusterService on {@code server}. */
    static String zooKeeper(TestingServer server) {
        return "zookeeper:" + server.getConnectString() + ":" + SESSION_TIMEOUT_MS;
    }

    /** A table with a NEW_AND_OLD_IMAGES stream (and, for a snapshot, point-in-time recovery and a bucket). */
    static void createTable(LocalAws aws, String table, String bucket) {
        Tables.createWithStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        if (bucket != null) {
            Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
            aws.createBucket(bucket);
        }
    }

    /**
     * The members' endpoint URI (the child adds the cluster service): snapshot then stream into {@code bucket}, or
     * stream-only from the oldest record when {@code bucket} is null.
     */
    static String uri(LocalAws aws, String table, String bucket) {
        return "dynamodb-cdc:" + table + "?region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint()
               + "&s3UriEndpointOverride=" + aws.s3Endpoint() + "&accessKey=" + LocalDynamoDb.ACCESS_KEY
               + "&secretKey=" + LocalDynamoDb.SECRET_KEY + "&consumerId=" + CONSUMER_ID
               + "&idlePollDelay=50&pollDelay=0&shardDiscoveryInterval=500&checkpointRepository=#checkpoints"
               + (bucket == null ? "&startPosition=TRIM_HORIZON"
                       : "&exportPollInterval=100&exportS3Bucket=" + bucket + "&maxConcurrentDataFiles=1");
    }

    /** Every shard of the table's stream as DescribeStream lists it (all pages), with its parent and range. */
    static List<Shard> shards(LocalAws aws, String table) {
        String streamArn = aws.dynamoDb().describeTable(b -> b.tableName(table)).table().latestStreamArn();
        List<Shard> shards = new ArrayList<>();
        String after = null;
        do {
            String from = after;
            StreamDescription page = aws.streams().describeStream(b -> b.streamArn(streamArn)
                    .exclusiveStartShardId(from)).streamDescription();
            shards.addAll(page.shards());
            after = page.lastEvaluatedShardId();
        } while (after != null);
        return shards;
    }

    /** The stream's lineage: each shard that has a parent, to its parent. */
    static Map<String, String> parents(List<Shard> shards) {
        Map<String, String> parents = new HashMap<>();
        shards.stream().filter(s -> s.parentShardId() != null)
                .forEach(s -> parents.put(s.shardId(), s.parentShardId()));
        return parents;
    }

    /** The export ARN the shared checkpoints name, or null. */
    static String exportArn(String store) throws SQLException {
        for (Map.Entry<String, String> row : CheckpointStore.rows(store).entrySet()) {
            if (row.getKey().endsWith("/snapshot")) {
                return SnapshotState.parse(CheckpointValues.read(row.getKey(), row.getValue())).exportArn();
            }
        }
        return null;
    }

    /**
     * The {@link CrashAudit} checks on the merged sinks: every write delivered, every export item delivered (with a
     * snapshot), per-key order, the sink replayed by document version equals the table.
     */
    static CrashAudit audit(LocalAws aws, String table, String store, List<SinkLine> merged,
                            List<TableWriter.Write> writes, boolean snapshot) throws IOException, SQLException {
        CrashAudit audit = new CrashAudit(merged);
        audit.everyWriteDelivered(writes);
        if (snapshot) {
            String exportArn = exportArn(store);
            if (exportArn == null) {
                audit.violation("the checkpoints name no export");
            } else {
                audit.everyExportItemDelivered(CrashTest.exportContent(aws, exportArn));
            }
        }
        audit.perKeyOrderHeld();
        audit.sinkEqualsTable(CrashTest.scan(aws, table));
        return audit;
    }
}
