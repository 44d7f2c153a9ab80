package dev.ddbcdc.camel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.aws.TableReference;
import dev.ddbcdc.camel.options.AwsOptions;
import dev.ddbcdc.camel.options.BridgeOptions;
import dev.ddbcdc.camel.options.BridgeRules;
import dev.ddbcdc.camel.options.ClusterMode;
import dev.ddbcdc.camel.options.ClusterModeRules;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.IncrementalExportFallback;
import dev.ddbcdc.camel.options.OutputFormat;
import dev.ddbcdc.camel.options.ScanOptions;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.camel.options.SnapshotModeRules;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.StartTimestamp;
import dev.ddbcdc.camel.options.StreamOptions;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.options.ViewOnRemove;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Every option of the {@code dynamodb-cdc} endpoint. */
@UriParams
public class DynamoDbCdcConfiguration implements Cloneable {

    /** The most changes in one exchange; a shard's reader holds at most this many in flight anyway. */
    static final int MAX_BATCH_SIZE = 10_000;
    /** The most lanes per shard: beyond that, threads cost more than they bring. */
    static final int MAX_LANES = 100;

    private static final long MINIMUM_STREAM_OVERLAP = 60_000;

    @UriPath(description = "The table to capture changes of: its name, or its ARN"
                           + " (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME; the region then defaults to the ARN's).")
    @Metadata(required = true)
    private String table;

    // ---- AWS connection
    @UriParam(label = "common", description = "The AWS region of the table, e.g. us-east-1. Defaults to the region of"
                                              + " a table ARN, else to the AWS SDK's default region chain.")
    private String region;
    @UriParam(label = "common", description = "Send DynamoDB and DynamoDB Streams requests to this endpoint instead of"
                                              + " AWS's, e.g. http://localhost:8000 for DynamoDB Local.")
    private String uriEndpointOverride;
    @UriParam(label = "advanced", description = "A DynamoDbClient to use instead of building one from these options.")
    @Metadata(autowired = true)
    private DynamoDbClient dynamoDbClient;
    @UriParam(label = "advanced", description = "A DynamoDbStreamsClient to use instead of building one from these"
                                                + " options.")
    @Metadata(autowired = true)
    private DynamoDbStreamsClient dynamoDbStreamsClient;

    // ---- credentials
    @UriParam(label = "security", secret = true, description = "AWS access key id (with secretKey).")
    private String accessKey;
    @UriParam(label = "security", secret = true, description = "AWS secret access key (with accessKey).")
    private String secretKey;
    @UriParam(label = "security", secret = true, description = "AWS session token, for temporary credentials (with"
                                                               + " accessKey and secretKey).")
    private String sessionToken;
    @UriParam(label = "security", description = "Use this profile of the AWS shared credentials and config files.")
    private String profileCredentialsName;
    @UriParam(label = "security", defaultValue = "false",
              description = "Use the AWS SDK's default credentials chain (environment, system properties, web identity,"
                            + " profile, container and instance roles). It is also used when no other credentials"
                            + " option is set.")
    private boolean useDefaultCredentialsProvider;
    @UriParam(label = "security", description = "Assume this IAM role through AWS STS, using the credentials the other"
                                                + " options give as the source identity.")
    private String stsRoleArn;
    @UriParam(label = "security", description = "External id to present when assuming stsRoleArn.")
    private String stsExternalId;
    @UriParam(label = "security", defaultValue = "camel-dynamodb-cdc",
              description = "Session name of the assumed stsRoleArn session.")
    private String stsRoleSessionName = "camel-dynamodb-cdc";
    @UriParam(label = "security", prefix = "stsHeaderOverrides.", multiValue = true,
              description = "HTTP headers to add to the STS AssumeRole request, as stsHeaderOverrides.NAME=VALUE.")
    private Map<String, Object> stsHeaderOverrides = new HashMap<>();
    @UriParam(label = "security",
              description = "Send the STS AssumeRole request of stsRoleArn to this endpoint instead of AWS's regional STS"
                            + " endpoint of the table's region, e.g. a VPC endpoint (https://vpce-...sts.REGION"
                            + ".vpce.amazonaws.com) or a local STS for testing. uriEndpointOverride does not apply to"
                            + " STS.")
    private String stsUriEndpointOverride;

    // ---- stream reading
    @UriParam(label = "consumer", defaultValue = "LATEST",
              description = "Where to start when there is no checkpoint yet: LATEST (changes made from now on),"
                            + " TRIM_HORIZON (every change still in the stream, up to 24 hours back) or AT_TIMESTAMP"
                            + " (changes made at or after startTimestamp). Not used with a snapshot: the stream then"
                            + " starts at the export time minus streamOverlap.")
    private StartPosition startPosition = StartPosition.LATEST;
    @UriParam(label = "consumer",
              description = "With startPosition=AT_TIMESTAMP: the time of the first changes to deliver, an ISO-8601"
                            + " instant such as 2026-12-01T08:00:00Z or epoch milliseconds. Changes from the start of"
                            + " its minute on are delivered (the stream's creation times are approximate); every"
                            + " shard is read from its oldest record. A time more than 24 hours ago (the stream's"
                            + " retention) fails the start.")
    private String startTimestamp;
    @UriParam(label = "consumer", defaultValue = "NEW_IMAGE",
              description = "The body of a REMOVE event: NEW_IMAGE (the removed item's key attributes) or OLD_IMAGE (the"
                            + " item before removal; needs stream view type NEW_AND_OLD_IMAGES).")
    private ViewOnRemove viewOnRemove = ViewOnRemove.NEW_IMAGE;
    @UriParam(label = "consumer", defaultValue = "1000",
              description = "Most records to ask for in one GetRecords call (1 to 1000).")
    private int maxRecordsPerRequest = 1000;
    @UriParam(label = "consumer", defaultValue = "50", javaType = "java.time.Duration",
              description = "Pause after a GetRecords call that returned records but not a full batch. A full batch is"
                            + " followed at once by the next call. On a shard with steady writes a change waits about"
                            + " half of it on average, and the shard costs at most 1000/pollDelay calls a second.")
    private long pollDelay = 50;
    @UriParam(label = "consumer", defaultValue = "1000", javaType = "java.time.Duration",
              description = "Pause after a GetRecords call that returned no records: the poll rate of an idle shard.")
    private long idlePollDelay = 1000;
    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration",
              description = "How often to list the stream's shards. Shards are also listed as soon as one ends, so"
                            + " its children are read without waiting for this interval.")
    private long shardDiscoveryInterval = 60_000;
    @UriParam(label = "consumer", defaultValue = "4",
              description = "Threads reading shards. More open shards than threads are read in turns; a DynamoDB"
                            + " table usually has few open shards at a time.")
    private int maxConcurrentShards = 4;
    @UriParam(label = "consumer", defaultValue = "FAIL",
              description = "What a gap does. When records not yet read were trimmed (older than 24 hours): FAIL stops"
                            + " the affected shard lineage, CONTINUE goes on from the oldest available record,"
                            + " RESNAPSHOT takes a new snapshot of the table and then reads the stream from its"
                            + " hand-over (under a new checkpoint generation; needs a snapshot that can be taken"
                            + " again: exportS3Bucket). All log the loss at ERROR, count it and pass it to the exception"
                            + " handler. After a snapshot it also applies when the stream may no longer hold the"
                            + " records from the export time minus streamOverlap: FAIL does not start the stream,"
                            + " RESNAPSHOT takes one new snapshot (not a second one in a row). And when the table's"
                            + " stream was replaced (disabled and enabled again): FAIL reads nothing (phase FAILED),"
                            + " CONTINUE reads the new stream from its oldest record at the next start, RESNAPSHOT takes"
                            + " a new snapshot at once, also while running. INCREMENTAL_EXPORT bridges every such gap with"
                            + " DynamoDB incremental exports (point-in-time recovery, written to exportS3Bucket whatever"
                            + " snapshotMode is) from the last acknowledged change to now, delivering each changed item"
                            + " as INSERT, MODIFY or REMOVE, then reads the stream from their end minus streamOverlap"
                            + " (see incrementalExportFallback).")
    private TrimmedDataPolicy trimmedDataPolicy = TrimmedDataPolicy.FAIL;
    @UriParam(label = "consumer", defaultValue = "FAIL",
              description = "With trimmedDataPolicy=INCREMENTAL_EXPORT: what a gap that cannot be bridged does, because"
                            + " point-in-time recovery is off or does not reach back to the gap's start (logged at"
                            + " ERROR with both times). FAIL stops as trimmedDataPolicy=FAIL does, RESNAPSHOT takes a"
                            + " new snapshot (needs one that can be taken again), CONTINUE goes on from the oldest"
                            + " available record.")
    private IncrementalExportFallback incrementalExportFallback = IncrementalExportFallback.FAIL;
    @UriParam(label = "consumer", javaType = "java.time.Duration",
              description = "Skip stream records older than this when they are read (their approximate creation time"
                            + " is more than this before now), like AWS Lambda's MaximumRecordAgeInSeconds: a consumer"
                            + " that fell behind catches up with the newest changes and drops the older ones. Unset"
                            + " (default): every record is delivered, however old. Each skip is a loss you chose: it is"
                            + " counted, logged at WARN (one line per GetRecords call) and passed to the exception"
                            + " handler; the skipped records are checkpointed. Snapshot items are never skipped.")
    private Long maxRecordAge;

    @UriParam(label = "consumer", defaultValue = "MAP",
              description = "The body of each exchange: MAP (the item as a Map of plain Java values), ENVELOPE (a Map with"
                            + " op, keys, before, after and source) or CLOUDEVENTS (Camel CloudEvent headers and the"
                            + " whole stream record as a JSON string, as TriggerMesh's AWSDynamoDBSource emits"
                            + " them). The headers are the same in every format.")
    private OutputFormat outputFormat = OutputFormat.MAP;

    // ---- snapshot: how it is taken
    @UriParam(label = "snapshot", enums = "EXPORT,SCAN,NONE",
              description = "How the table's snapshot is taken before the stream is read: EXPORT (a point-in-time"
                            + " recovery export to S3: exportS3Bucket or exportArn), SCAN (a parallel Scan of the"
                            + " table: no point-in-time recovery, no S3; see scanSegments and the scan read budget)"
                            + " or NONE (no snapshot: the stream from startPosition). Not set (the default): EXPORT"
                            + " when exportS3Bucket or exportArn is set, else NONE. Either snapshot delivers every"
                            + " item as a READ event, then reads the stream from the snapshot's start time minus"
                            + " streamOverlap.")
    private SnapshotMode snapshotMode;

    // ---- snapshot by parallel Scan
    @UriParam(label = "snapshot,scan", defaultValue = "4",
              description = "With snapshotMode=SCAN: the segments scanned in parallel (1 to 100), one thread each, each"
                            + " checkpointed by the key of its last acknowledged item. Four keep a route busy while"
                            + " each segment waits for its Scan calls; for tables of many GB, about one segment per"
                            + " 2 GB reads faster. Changing it in the middle of a scan has no effect until the next"
                            + " snapshot: the scan goes on with the segments it started with.")
    private Integer scanSegments;
    @UriParam(label = "snapshot,scan",
              description = "With snapshotMode=SCAN: read budget of the whole scan, in read capacity units a second"
                            + " (as DynamoDB reports them: 4 KB of items is one unit for a consistent read, half a unit"
                            + " for an eventually consistent one). Unset with the other budget options: no limit. At"
                            + " most one of scanReadUnitsPerSecond, scanItemsPerSecond and scanReadCapacityFraction.")
    private Double scanReadUnitsPerSecond;
    @UriParam(label = "snapshot,scan",
              description = "With snapshotMode=SCAN: read budget of the whole scan, in items a second.")
    private Double scanItemsPerSecond;
    @UriParam(label = "snapshot,scan",
              description = "With snapshotMode=SCAN: read budget of the whole scan, as a fraction (above 0, at most 1)"
                            + " of the table's provisioned read capacity when the scan starts. An on-demand table has"
                            + " none: the start fails; use scanReadUnitsPerSecond there.")
    private Double scanReadCapacityFraction;
    @UriParam(label = "snapshot,scan", defaultValue = "false",
              description = "With snapshotMode=SCAN: strongly consistent Scan reads (twice the read units of the"
                            + " default, eventually consistent reads).")
    private Boolean scanConsistentRead;
    @UriParam(label = "snapshot,scan", defaultValue = "0",
              description = "With snapshotMode=SCAN: the most items per Scan call. 0 (the default): as many as"
                            + " DynamoDB returns, up to 1 MB. Smaller pages spread a small read budget more evenly.")
    private Integer scanPageSize;
    @UriParam(label = "snapshot,scan", defaultValue = "300000", javaType = "java.time.Duration",
              description = "With snapshotMode=SCAN and acknowledgments, how long the items of a segment may stay"
                            + " uncompleted after its last page before the segment is read again from its last"
                            + " checkpointed key.")
    private Long scanAcknowledgmentTimeout;

    // ---- snapshot by export: point-in-time-recovery export to S3, then the stream
    @UriParam(label = "snapshot",
              description = "The S3 bucket of a snapshot by export: the consumer exports the table (point-in-time"
                            + " recovery export) into it, delivers every item as a READ event, then reads the stream"
                            + " from the export time minus streamOverlap. Setting it without snapshotMode selects"
                            + " snapshotMode=EXPORT. Needs point-in-time recovery enabled on the table.")
    private String exportS3Bucket;
    @UriParam(label = "snapshot", description = "Key prefix of the export in exportS3Bucket.")
    private String exportS3Prefix;
    @UriParam(label = "snapshot", description = "The AWS region of exportS3Bucket. Defaults to the table's region.")
    private String exportS3Region;
    @UriParam(label = "snapshot", description = "The AWS account id that owns exportS3Bucket, when it is another"
                                                + " account's bucket.")
    private String exportS3BucketOwner;
    @UriParam(label = "snapshot", description = "Encrypt the export with this AWS KMS key (id or ARN). Without it the"
                                                + " export is encrypted with S3-managed keys (AES256).")
    private String exportS3SseKmsKeyId;
    @UriParam(label = "snapshot", defaultValue = "DYNAMODB_JSON",
              description = "The export's file format: DYNAMODB_JSON or ION. Both are read with exact numbers.")
    private ExportFormat exportFormat = ExportFormat.DYNAMODB_JSON;
    @UriParam(label = "snapshot",
              description = "Use this existing export (its ARN) as the snapshot instead of requesting one. It must be a"
                            + " full export of this table; the bucket and format are taken from it.")
    private String exportArn;
    @UriParam(label = "snapshot", defaultValue = "30000", javaType = "java.time.Duration",
              description = "How often to ask whether the export has finished (DescribeExport). Exports take minutes"
                            + " to hours.")
    private long exportPollInterval = 30_000;
    @UriParam(label = "snapshot", defaultValue = "0",
              description = "Export data files read at the same time, each on its own thread. 0 (the default): one"
                            + " per processor available to the JVM; reading a data file keeps a processor busy, and"
                            + " more threads than processors cost more CPU per item.")
    private int maxConcurrentDataFiles;
    @UriParam(label = "snapshot",
              description = "Load the snapshot, then stop reading: the consumer ends in phase DONE (readiness stays"
                            + " UP) and the stream is not read; the table needs no stream. For backfills and"
                            + " migrations; stop the route once DONE. Needs a snapshot: snapshotMode=SCAN, or"
                            + " exportS3Bucket or exportArn.")
    private boolean snapshotOnly;
    @UriParam(label = "snapshot", defaultValue = "300000", javaType = "java.time.Duration",
              description = "With acknowledgments, how long the items of a data file may stay uncompleted after the"
                            + " file was read to its end before the file is read again from its last checkpointed"
                            + " line.")
    private long s3DataFileAcknowledgmentTimeout = 300_000;
    @UriParam(label = "snapshot", defaultValue = "300000", javaType = "java.time.Duration",
              description = "After the snapshot, stream records created at or after its start time (the export time,"
                            + " or the time the scan began) minus this overlap are delivered, so changes made around"
                            + " that time are not missed. At least 1 minute: an export is only guaranteed to hold the"
                            + " changes made up to about a minute before its export time.")
    private long streamOverlap = 300_000;
    @UriParam(label = "snapshot", description = "Send S3 requests to this endpoint instead of AWS's, e.g."
                                                + " http://localhost:9090 for a local S3.")
    private String s3UriEndpointOverride;
    @UriParam(label = "advanced", description = "An S3Client to read the export with instead of building one from"
                                                + " these options.")
    @Metadata(autowired = true)
    private S3Client s3Client;

    // ---- checkpoints and acknowledgments
    @UriParam(label = "consumer", defaultValue = "default",
              description = "Names this consumer's checkpoints, so two routes reading one table keep separate"
                            + " positions. Changing it starts over from startPosition.")
    private String consumerId = "default";
    @UriParam(label = "consumer",
              description = "Where shard positions are stored (org.apache.camel.spi.StateRepository<String,String>),"
                            + " e.g. the component's FileCheckpointRepository. Without one, positions live in memory"
                            + " and a restart begins again at startPosition.")
    private StateRepository<String, String> checkpointRepository;
    @UriParam(label = "consumer",
              description = "Records whose event id this repository already holds are not delivered again; delivered"
                            + " ones are added once their exchange completed. Turns at-least-once into effectively-once"
                            + " across a crash.")
    private IdempotentRepository idempotentRepository;
    @UriParam(label = "consumer", defaultValue = "true",
              description = "Checkpoint a record only after its exchange completed successfully (at-least-once). When"
                            + " false, a record is checkpointed once handed to the route, whatever its outcome.")
    private boolean acknowledgments = true;
    @UriParam(label = "consumer", defaultValue = "600000", javaType = "java.time.Duration",
              description = "With acknowledgments, how long an exchange may stay uncompleted (e.g. handed to an"
                            + " asynchronous endpoint) before its shard is rewound to the last checkpoint and read"
                            + " again.")
    private long shardAcknowledgmentTimeout = 600_000;

    // ---- batches
    @UriParam(label = "consumer,batch", defaultValue = "1",
              description = "The most changes per exchange (like Lambda's BatchSize). Above 1, the body is a List of"
                            + " exchanges, one per change with its own body and headers, all of one shard or one data"
                            + " file, in order; the batch is acknowledged when its exchange completes, and the route"
                            + " can report failed items (header or property CamelDynamoDbCdcBatchItemFailures).")
    private int batchSize = 1;
    @UriParam(label = "consumer,batch", defaultValue = "500", javaType = "java.time.Duration",
              description = "With batchSize above 1: how long a batch may wait for more changes before it is sent"
                            + " (like Lambda's MaximumBatchingWindowInSeconds); a full batch is sent at once, and so"
                            + " is the last batch of a data file or of a shard that ended.")
    private long batchWindow = 500;
    @UriParam(label = "consumer,batch", defaultValue = "false",
              description = "With batchSize above 1: a batch whose exchange failed is split in halves and sent again,"
                            + " the second half once the first completed, so that one poison change is isolated and"
                            + " the changes before it are acknowledged (like Lambda's BisectBatchOnFunctionError).")
    private boolean bisectBatchOnError;
    @UriParam(label = "consumer", defaultValue = "1",
              description = "Lanes per shard (like Lambda's ParallelizationFactor): a shard's records go to a lane by"
                            + " the hash of their key, so changes of one item stay in order while different items are"
                            + " delivered concurrently, each lane on a thread of its own (lanesPerShard times"
                            + " maxConcurrentShards threads). The checkpoint is still the highest position below which"
                            + " every record completed. With batches, a batch holds records of one lane.")
    private int lanesPerShard = 1;

    // ---- several instances
    @UriParam(label = "consumer,cluster",
              description = "Standby through this cluster service (org.apache.camel.cluster.CamelClusterService:"
                            + " ZooKeeper, Kubernetes Leases, a file lock): only the instance that leads the"
                            + " clusterNamespace reads; the others wait in phase STANDBY and take over from the shared"
                            + " checkpoints. Needs a checkpointRepository that fences: JdbcStateRepository or"
                            + " DynamoDbStateRepository (any hosts), FileCheckpointRepository (processes of one host).")
    private CamelClusterService clusterService;
    @UriParam(label = "consumer,cluster", defaultValue = "false",
              description = "Standby through the single cluster service of the CamelContext (as Camel's clustered"
                            + " route policy finds it), when clusterService is not set.")
    private boolean clustered;
    @UriParam(label = "consumer,cluster",
              description = "The cluster namespace whose leader reads. Default: dynamodb-cdc-<consumerId>-<table>,"
                            + " lower-cased, other characters replaced by '-', at most 63 characters (a hash is"
                            + " appended when anything was changed).")
    private String clusterNamespace;
    @UriParam(label = "consumer,cluster", defaultValue = "STANDBY",
              description = "How the instances of a clustered consumer share the stream. STANDBY: one reads, the"
                            + " others stand by. BUCKETS: the shards are spread in shardBuckets buckets, one cluster"
                            + " namespace each (<clusterNamespace>-b07), over the instances by Camel's"
                            + " RebalancingCamelClusterService, and each instance reads the shards of the buckets it"
                            + " leads; the snapshot runs under <clusterNamespace>-snapshot on one instance. Needs a"
                            + " cluster service that can give a namespace up (CamelPreemptiveClusterService:"
                            + " camel-kubernetes' KubernetesClusterService), which the consumer wraps in a"
                            + " RebalancingCamelClusterService unless it is one.")
    private ClusterMode clusterMode = ClusterMode.STANDBY;
    @UriParam(label = "consumer,cluster", defaultValue = "16",
              description = "With clusterMode=BUCKETS: the number of buckets a shard is spread in (crc32 of its id"
                            + " modulo this), 1 to 256. At most this many instances read at once; more buckets spread"
                            + " more evenly but cost a lease each. Keep it fixed for a consumer: a shard's bucket"
                            + " changes with it.")
    private int shardBuckets = 16;
    @UriParam(label = "consumer,cluster", defaultValue = "2000", javaType = "java.time.Duration",
              description = "With clusterMode=BUCKETS and a cluster service that is not a RebalancingCamelClusterService"
                            + " already: how often the consumer's rebalancing looks whether this instance leads more or"
                            + " fewer buckets than its share, in ms.")
    private long bucketRebalanceInterval = 2000;

    /** Checks values and combinations; every message names the option and what is allowed. */
    public void validate() {
        StartTimestamp.check(startPosition, startTimestamp, isSnapshotEnabled());
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("The table (the part after dynamodb-cdc:) must be a table name or ARN");
        }
        if (maxRecordsPerRequest < 1 || maxRecordsPerRequest > 1000) {
            throw new IllegalArgumentException(
                    "maxRecordsPerRequest must be between 1 and 1000 (GetRecords limit), was " + maxRecordsPerRequest);
        }
        if (maxConcurrentShards < 1) {
            throw new IllegalArgumentException("maxConcurrentShards must be at least 1, was " + maxConcurrentShards);
        }
        requireNotNegative("pollDelay", pollDelay);
        requireNotNegative("idlePollDelay", idlePollDelay);
        requirePositive("shardDiscoveryInterval", shardDiscoveryInterval);
        requirePositive("shardAcknowledgmentTimeout", shardAcknowledgmentTimeout);
        if (maxRecordAge != null) {
            requirePositive("maxRecordAge", maxRecordAge);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was "
                                               + batchSize);
        }
        requirePositive("batchWindow", batchWindow);
        if (lanesPerShard < 1 || lanesPerShard > MAX_LANES) {
            throw new IllegalArgumentException("lanesPerShard must be between 1 and " + MAX_LANES + ", was "
                                               + lanesPerShard);
        }
        if (consumerId == null || consumerId.isBlank() || consumerId.contains("/")) {
            throw new IllegalArgumentException("consumerId must be non-blank and contain no '/', was '" + consumerId + "'");
        }
        if (clusterNamespace != null && !isStandbyEnabled()) {
            throw new IllegalArgumentException("clusterNamespace is set but no cluster service is: set clusterService"
                                               + " (or clustered=true) to read only while leading the namespace");
        }
        if (clusterNamespace != null && !clusterNamespace.matches("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("clusterNamespace must be 1 to 63 lower-case letters, digits, '-' or"
                                               + " '.', beginning and ending with a letter or digit (every cluster"
                                               + " service can name a lease, znode or file after it), was '"
                                               + clusterNamespace + "'");
        }
        ClusterModeRules.check(clusterMode, shardBuckets, bucketRebalanceInterval, isStandbyEnabled(),
                trimmedDataPolicy);
        awsOptions().checkCredentials();
        TableReference.parse(table);
        validateSnapshot();
    }

    private void validateSnapshot() {
        BridgeRules.check(trimmedDataPolicy, incrementalExportFallback, exportS3Bucket != null, exportArn != null,
                isSnapshotEnabled());
        if (trimmedDataPolicy == TrimmedDataPolicy.RESNAPSHOT && (!isSnapshotEnabled() || exportArn != null)) {
            throw new IllegalArgumentException("trimmedDataPolicy=RESNAPSHOT recovers a gap by taking a new snapshot,"
                                               + " so it needs one this consumer can take: set exportS3Bucket (a new"
                                               + " export each time) or snapshotMode=SCAN"
                                               + (exportArn != null ? ", instead of exportArn, an existing export that"
                                                                      + " cannot be taken again" : "")
                                               + "; or use FAIL or CONTINUE");
        }
        SnapshotMode mode = effectiveSnapshotMode();
        if (mode == SnapshotMode.SCAN) {
            scanOptions();
        }
        if (maxConcurrentDataFiles < 0) {
            throw new IllegalArgumentException("maxConcurrentDataFiles must be 0 (one per processor) or more, was "
                                               + maxConcurrentDataFiles);
        }
        requirePositive("exportPollInterval", exportPollInterval);
        requirePositive("s3DataFileAcknowledgmentTimeout", s3DataFileAcknowledgmentTimeout);
        if (streamOverlap < MINIMUM_STREAM_OVERLAP) {
            throw new IllegalArgumentException("streamOverlap must be at least 60000 ms (1 minute): an export holds the"
                                               + " changes made up to about a minute before its export time, and the"
                                               + " stream must cover the rest; was " + streamOverlap + " ms");
        }
        if (exportArn != null) {
            if (trimmedDataPolicy != TrimmedDataPolicy.INCREMENTAL_EXPORT && (exportS3Bucket != null
                || exportS3Prefix != null || exportS3SseKmsKeyId != null || exportS3BucketOwner != null)) {
                throw new IllegalArgumentException("exportArn adopts an existing export, whose bucket, prefix and"
                                                   + " encryption are already fixed: remove exportS3Bucket,"
                                                   + " exportS3Prefix, exportS3SseKmsKeyId and exportS3BucketOwner");
            }
            String tableName = TableReference.parse(table).name();
            String expectedPart = ":table/" + tableName + "/export/";
            if (!exportArn.startsWith("arn:") || !exportArn.contains(expectedPart)) {
                throw new IllegalArgumentException("exportArn must be the ARN of an export of table " + tableName
                                                   + " (arn:aws:dynamodb:REGION:ACCOUNT:table/" + tableName
                                                   + "/export/ID), was '" + exportArn + "'");
            }
        }
        if (exportS3Bucket != null && exportS3Bucket.isBlank()) {
            throw new IllegalArgumentException("exportS3Bucket must not be blank");
        }
    }

    /** Whether the consumer starts with a snapshot: the snapshot mode is EXPORT or SCAN. */
    public boolean isSnapshotEnabled() {
        return effectiveSnapshotMode() != SnapshotMode.NONE;
    }

    /**
     * The snapshot mode in effect: {@code snapshotMode}, or without it EXPORT when exportS3Bucket or exportArn is set,
     * else NONE; throws when the options do not go together ({@link SnapshotModeRules}).
     */
    public SnapshotMode effectiveSnapshotMode() {
        List<String> export = new ArrayList<>();
        addIfSet(export, "exportS3Bucket", exportS3Bucket);
        addIfSet(export, "exportArn", exportArn);
        addIfSet(export, "exportS3Prefix", exportS3Prefix);
        addIfSet(export, "exportS3Region", exportS3Region);
        addIfSet(export, "exportS3BucketOwner", exportS3BucketOwner);
        addIfSet(export, "exportS3SseKmsKeyId", exportS3SseKmsKeyId);
        List<String> scan = new ArrayList<>();
        addIfSet(scan, "scanSegments", scanSegments);
        addIfSet(scan, "scanReadUnitsPerSecond", scanReadUnitsPerSecond);
        addIfSet(scan, "scanItemsPerSecond", scanItemsPerSecond);
        addIfSet(scan, "scanReadCapacityFraction", scanReadCapacityFraction);
        addIfSet(scan, "scanConsistentRead", scanConsistentRead);
        addIfSet(scan, "scanPageSize", scanPageSize);
        addIfSet(scan, "scanAcknowledgmentTimeout", scanAcknowledgmentTimeout);
        return SnapshotModeRules.resolve(snapshotMode, exportS3Bucket != null || exportArn != null, export, scan,
                snapshotOnly, trimmedDataPolicy == TrimmedDataPolicy.INCREMENTAL_EXPORT);
    }

    private static void addIfSet(List<String> names, String option, Object value) {
        if (value != null) {
            names.add(option);
        }
    }

    /** The options of a Scan snapshot as they are now, the defaults for those not set. */
    public ScanOptions scanOptions() {
        ScanOptions defaults = ScanOptions.defaults();
        return new ScanOptions(scanSegments != null ? scanSegments : defaults.segments(),
                SnapshotModeRules.budget(scanReadUnitsPerSecond, scanItemsPerSecond, scanReadCapacityFraction),
                scanConsistentRead != null ? scanConsistentRead : defaults.consistentRead(),
                scanPageSize != null ? scanPageSize : defaults.pageSize(),
                scanAcknowledgmentTimeout != null ? scanAcknowledgmentTimeout : defaults.acknowledgmentTimeout());
    }

    /** The threads the snapshot reads with (data files or segments) plus one for the snapshot's own task. */
    public int snapshotThreads() {
        return effectiveSnapshotMode() == SnapshotMode.SCAN ? scanOptions().segments() + 1
                : effectiveMaxConcurrentDataFiles() + 1;
    }

    private static void requireNotNegative(String option, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must not be negative, was " + value + " ms");
        }
    }

    private static void requirePositive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, was " + value + " ms");
        }
    }

    public DynamoDbCdcConfiguration copy() {
        try {
            DynamoDbCdcConfiguration copy = (DynamoDbCdcConfiguration) clone();
            copy.stsHeaderOverrides = new HashMap<>(stsHeaderOverrides);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** A description without secrets, for logs. */
    @Override
    public String toString() {
        return "DynamoDbCdcConfiguration[table=" + table + ", region=" + region + ", startPosition=" + startPosition
               + ", consumerId=" + consumerId + ", credentials=" + credentialsKind()
               + (snapshotMode != null ? ", snapshotMode=" + snapshotMode : "")
               + (exportS3Bucket != null ? ", exportS3Bucket=" + exportS3Bucket : "")
               + (exportArn != null ? ", exportArn=" + exportArn : "") + "]";
    }

    String credentialsKind() {
        return awsOptions().credentialsKind();
    }

    // ---- getters and setters

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getUriEndpointOverride() {
        return uriEndpointOverride;
    }

    public void setUriEndpointOverride(String uriEndpointOverride) {
        this.uriEndpointOverride = uriEndpointOverride;
    }

    public DynamoDbClient getDynamoDbClient() {
        return dynamoDbClient;
    }

    public void setDynamoDbClient(DynamoDbClient dynamoDbClient) {
        this.dynamoDbClient = dynamoDbClient;
    }

    public DynamoDbStreamsClient getDynamoDbStreamsClient() {
        return dynamoDbStreamsClient;
    }

    public void setDynamoDbStreamsClient(DynamoDbStreamsClient dynamoDbStreamsClient) {
        this.dynamoDbStreamsClient = dynamoDbStreamsClient;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSessionToken() {
        return sessionToken;
    }

    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
    }

    public String getProfileCredentialsName() {
        return profileCredentialsName;
    }

    public void setProfileCredentialsName(String profileCredentialsName) {
        this.profileCredentialsName = profileCredentialsName;
    }

    public boolean isUseDefaultCredentialsProvider() {
        return useDefaultCredentialsProvider;
    }

    public void setUseDefaultCredentialsProvider(boolean useDefaultCredentialsProvider) {
        this.useDefaultCredentialsProvider = useDefaultCredentialsProvider;
    }

    public String getStsRoleArn() {
        return stsRoleArn;
    }

    public void setStsRoleArn(String stsRoleArn) {
        this.stsRoleArn = stsRoleArn;
    }

    public String getStsExternalId() {
        return stsExternalId;
    }

    public void setStsExternalId(String stsExternalId) {
        this.stsExternalId = stsExternalId;
    }

    public String getStsRoleSessionName() {
        return stsRoleSessionName;
    }

    public void setStsRoleSessionName(String stsRoleSessionName) {
        this.stsRoleSessionName = stsRoleSessionName;
    }

    public Map<String, Object> getStsHeaderOverrides() {
        return stsHeaderOverrides;
    }

    public void setStsHeaderOverrides(Map<String, Object> stsHeaderOverrides) {
        this.stsHeaderOverrides = stsHeaderOverrides;
    }

    public String getStsUriEndpointOverride() {
        return stsUriEndpointOverride;
    }

    public void setStsUriEndpointOverride(String stsUriEndpointOverride) {
        this.stsUriEndpointOverride = stsUriEndpointOverride;
    }

    public StartPosition getStartPosition() {
        return startPosition;
    }

    public void setStartPosition(StartPosition startPosition) {
        this.startPosition = startPosition;
    }

    public String getStartTimestamp() {
        return startTimestamp;
    }

    public void setStartTimestamp(String startTimestamp) {
        this.startTimestamp = startTimestamp;
    }

    public ViewOnRemove getViewOnRemove() {
        return viewOnRemove;
    }

    public void setViewOnRemove(ViewOnRemove viewOnRemove) {
        this.viewOnRemove = viewOnRemove;
    }

    public int getMaxRecordsPerRequest() {
        return maxRecordsPerRequest;
    }

    public void setMaxRecordsPerRequest(int maxRecordsPerRequest) {
        this.maxRecordsPerRequest = maxRecordsPerRequest;
    }

    public long getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }

    public long getIdlePollDelay() {
        return idlePollDelay;
    }

    public void setIdlePollDelay(long idlePollDelay) {
        this.idlePollDelay = idlePollDelay;
    }

    public long getShardDiscoveryInterval() {
        return shardDiscoveryInterval;
    }

    public void setShardDiscoveryInterval(long shardDiscoveryInterval) {
        this.shardDiscoveryInterval = shardDiscoveryInterval;
    }

    public int getMaxConcurrentShards() {
        return maxConcurrentShards;
    }

    public void setMaxConcurrentShards(int maxConcurrentShards) {
        this.maxConcurrentShards = maxConcurrentShards;
    }

    public TrimmedDataPolicy getTrimmedDataPolicy() {
        return trimmedDataPolicy;
    }

    public void setTrimmedDataPolicy(TrimmedDataPolicy trimmedDataPolicy) {
        this.trimmedDataPolicy = trimmedDataPolicy;
    }

    public IncrementalExportFallback getIncrementalExportFallback() {
        return incrementalExportFallback;
    }

    public void setIncrementalExportFallback(IncrementalExportFallback incrementalExportFallback) {
        this.incrementalExportFallback = incrementalExportFallback;
    }

    public String getConsumerId() {
        return consumerId;
    }

    public void setConsumerId(String consumerId) {
        this.consumerId = consumerId;
    }

    public StateRepository<String, String> getCheckpointRepository() {
        return checkpointRepository;
    }

    public void setCheckpointRepository(StateRepository<String, String> checkpointRepository) {
        this.checkpointRepository = checkpointRepository;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public CamelClusterService getClusterService() {
        return clusterService;
    }

    public void setClusterService(CamelClusterService clusterService) {
        this.clusterService = clusterService;
    }

    public boolean isClustered() {
        return clustered;
    }

    public void setClustered(boolean clustered) {
        this.clustered = clustered;
    }

    public String getClusterNamespace() {
        return clusterNamespace;
    }

    public void setClusterNamespace(String clusterNamespace) {
        this.clusterNamespace = clusterNamespace;
    }

    /** Whether the consumer runs as one of several instances, reading only while it leads. */
    public ClusterMode getClusterMode() {
        return clusterMode;
    }

    public void setClusterMode(ClusterMode clusterMode) {
        this.clusterMode = clusterMode;
    }

    public int getShardBuckets() {
        return shardBuckets;
    }

    public void setShardBuckets(int shardBuckets) {
        this.shardBuckets = shardBuckets;
    }

    public long getBucketRebalanceInterval() {
        return bucketRebalanceInterval;
    }

    public void setBucketRebalanceInterval(long bucketRebalanceInterval) {
        this.bucketRebalanceInterval = bucketRebalanceInterval;
    }

    /** Whether the shards are spread in buckets over the instances (clusterMode=BUCKETS with a cluster service). */
    public boolean isBucketsEnabled() {
        return clusterMode == ClusterMode.BUCKETS && isStandbyEnabled();
    }

    public boolean isStandbyEnabled() {
        return clustered || clusterService != null;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getBatchWindow() {
        return batchWindow;
    }

    public void setBatchWindow(long batchWindow) {
        this.batchWindow = batchWindow;
    }

    public int getLanesPerShard() {
        return lanesPerShard;
    }

    public void setLanesPerShard(int lanesPerShard) {
        this.lanesPerShard = lanesPerShard;
    }

    public boolean isBisectBatchOnError() {
        return bisectBatchOnError;
    }

    public void setBisectBatchOnError(boolean bisectBatchOnError) {
        this.bisectBatchOnError = bisectBatchOnError;
    }

    public boolean isAcknowledgments() {
        return acknowledgments;
    }

    public void setAcknowledgments(boolean acknowledgments) {
        this.acknowledgments = acknowledgments;
    }

    public long getShardAcknowledgmentTimeout() {
        return shardAcknowledgmentTimeout;
    }

    public void setShardAcknowledgmentTimeout(long shardAcknowledgmentTimeout) {
        this.shardAcknowledgmentTimeout = shardAcknowledgmentTimeout;
    }

    public String getExportS3Bucket() {
        return exportS3Bucket;
    }

    public void setExportS3Bucket(String exportS3Bucket) {
        this.exportS3Bucket = exportS3Bucket;
    }

    public String getExportS3Prefix() {
        return exportS3Prefix;
    }

    public void setExportS3Prefix(String exportS3Prefix) {
        this.exportS3Prefix = exportS3Prefix;
    }

    public String getExportS3Region() {
        return exportS3Region;
    }

    public void setExportS3Region(String exportS3Region) {
        this.exportS3Region = exportS3Region;
    }

    public String getExportS3BucketOwner() {
        return exportS3BucketOwner;
    }

    public void setExportS3BucketOwner(String exportS3BucketOwner) {
        this.exportS3BucketOwner = exportS3BucketOwner;
    }

    public String getExportS3SseKmsKeyId() {
        return exportS3SseKmsKeyId;
    }

    public void setExportS3SseKmsKeyId(String exportS3SseKmsKeyId) {
        this.exportS3SseKmsKeyId = exportS3SseKmsKeyId;
    }

    public ExportFormat getExportFormat() {
        return exportFormat;
    }

    public void setExportFormat(ExportFormat exportFormat) {
        this.exportFormat = exportFormat;
    }

    public String getExportArn() {
        return exportArn;
    }

    public void setExportArn(String exportArn) {
        this.exportArn = exportArn;
    }

    public long getExportPollInterval() {
        return exportPollInterval;
    }

    public void setExportPollInterval(long exportPollInterval) {
        this.exportPollInterval = exportPollInterval;
    }

    public int getMaxConcurrentDataFiles() {
        return maxConcurrentDataFiles;
    }

    public boolean isSnapshotOnly() {
        return snapshotOnly;
    }

    public void setSnapshotOnly(boolean snapshotOnly) {
        this.snapshotOnly = snapshotOnly;
    }

    /** The data files read at once: {@code maxConcurrentDataFiles}, or one per available processor for 0. */
    public int effectiveMaxConcurrentDataFiles() {
        return maxConcurrentDataFiles > 0 ? maxConcurrentDataFiles : Runtime.getRuntime().availableProcessors();
    }

    public void setMaxConcurrentDataFiles(int maxConcurrentDataFiles) {
        this.maxConcurrentDataFiles = maxConcurrentDataFiles;
    }

    public long getS3DataFileAcknowledgmentTimeout() {
        return s3DataFileAcknowledgmentTimeout;
    }

    public void setS3DataFileAcknowledgmentTimeout(long s3DataFileAcknowledgmentTimeout) {
        this.s3DataFileAcknowledgmentTimeout = s3DataFileAcknowledgmentTimeout;
    }

    public long getStreamOverlap() {
        return streamOverlap;
    }

    public void setStreamOverlap(long streamOverlap) {
        this.streamOverlap = streamOverlap;
    }

    public String getS3UriEndpointOverride() {
        return s3UriEndpointOverride;
    }

    public void setS3UriEndpointOverride(String s3UriEndpointOverride) {
        this.s3UriEndpointOverride = s3UriEndpointOverride;
    }

    public S3Client getS3Client() {
        return s3Client;
    }

    public void setS3Client(S3Client s3Client) {
        this.s3Client = s3Client;
    }

    public Long getMaxRecordAge() {
        return maxRecordAge;
    }

    public void setMaxRecordAge(Long maxRecordAge) {
        this.maxRecordAge = maxRecordAge;
    }

    public OutputFormat getOutputFormat() {
        return outputFormat;
    }

    public void setOutputFormat(OutputFormat outputFormat) {
        this.outputFormat = outputFormat;
    }

    public SnapshotMode getSnapshotMode() {
        return snapshotMode;
    }

    public void setSnapshotMode(SnapshotMode snapshotMode) {
        this.snapshotMode = snapshotMode;
    }

    public Integer getScanSegments() {
        return scanSegments;
    }

    public void setScanSegments(Integer scanSegments) {
        this.scanSegments = scanSegments;
    }

    public Double getScanReadUnitsPerSecond() {
        return scanReadUnitsPerSecond;
    }

    public void setScanReadUnitsPerSecond(Double scanReadUnitsPerSecond) {
        this.scanReadUnitsPerSecond = scanReadUnitsPerSecond;
    }

    public Double getScanItemsPerSecond() {
        return scanItemsPerSecond;
    }

    public void setScanItemsPerSecond(Double scanItemsPerSecond) {
        this.scanItemsPerSecond = scanItemsPerSecond;
    }

    public Double getScanReadCapacityFraction() {
        return scanReadCapacityFraction;
    }

    public void setScanReadCapacityFraction(Double scanReadCapacityFraction) {
        this.scanReadCapacityFraction = scanReadCapacityFraction;
    }

    public Boolean getScanConsistentRead() {
        return scanConsistentRead;
    }

    public void setScanConsistentRead(Boolean scanConsistentRead) {
        this.scanConsistentRead = scanConsistentRead;
    }

    public Integer getScanPageSize() {
        return scanPageSize;
    }

    public void setScanPageSize(Integer scanPageSize) {
        this.scanPageSize = scanPageSize;
    }

    public Long getScanAcknowledgmentTimeout() {
        return scanAcknowledgmentTimeout;
    }

    public void setScanAcknowledgmentTimeout(Long scanAcknowledgmentTimeout) {
        this.scanAcknowledgmentTimeout = scanAcknowledgmentTimeout;
    }

    /** The stream engine's options as they are now, as an immutable value. */
    public StreamOptions streamOptions() {
        return new StreamOptions(startPosition, maxRecordsPerRequest, pollDelay, idlePollDelay, shardDiscoveryInterval,
                maxConcurrentShards, trimmedDataPolicy, shardAcknowledgmentTimeout,
                maxRecordAge != null ? maxRecordAge : StreamOptions.NO_MAX_RECORD_AGE,
                StartTimestamp.check(startPosition, startTimestamp, isSnapshotEnabled()));
    }

    /** The snapshot's options as they are now, as an immutable value. */
    public SnapshotOptions snapshotOptions() {
        if (effectiveSnapshotMode() == SnapshotMode.SCAN) {
            return SnapshotOptions.scan(consumerId, scanOptions(), streamOverlap, snapshotOnly);
        }
        return new SnapshotOptions(consumerId, exportArn, exportS3Bucket, exportS3Prefix, exportS3BucketOwner,
                exportS3SseKmsKeyId, exportFormat, exportPollInterval, effectiveMaxConcurrentDataFiles(),
                s3DataFileAcknowledgmentTimeout, streamOverlap, snapshotOnly);
    }

    /**
     * The options of the incremental exports that bridge a gap (trimmedDataPolicy=INCREMENTAL_EXPORT), or
     * {@code null} under another policy. They are always read in DYNAMODB_JSON, whatever exportFormat says.
     */
    public BridgeOptions bridgeOptions() {
        if (trimmedDataPolicy != TrimmedDataPolicy.INCREMENTAL_EXPORT) {
            return null;
        }
        return new BridgeOptions(new SnapshotOptions(consumerId, null, exportS3Bucket, exportS3Prefix,
                exportS3BucketOwner, exportS3SseKmsKeyId, ExportFormat.DYNAMODB_JSON, exportPollInterval,
                effectiveMaxConcurrentDataFiles(), s3DataFileAcknowledgmentTimeout, streamOverlap),
                incrementalExportFallback);
    }

    /** How to reach AWS, as an immutable value (its toString names no secret). */
    public AwsOptions awsOptions() {
        return new AwsOptions(table, region, uriEndpointOverride, accessKey, secretKey, sessionToken,
                profileCredentialsName, useDefaultCredentialsProvider, stsRoleArn, stsExternalId, stsRoleSessionName,
                stsHeaderOverrides, stsUriEndpointOverride, exportS3Region, s3UriEndpointOverride);
    }
}
