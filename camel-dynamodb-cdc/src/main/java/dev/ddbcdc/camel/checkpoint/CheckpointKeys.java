package dev.ddbcdc.camel.checkpoint;

/**
 * Every key the consumer writes into its repositories, built in this one place. In the checkpoint repository
 * ({@code StateRepository}):
 * <ul>
 * <li>{@code dynamodb-cdc/<consumerId>/<streamArn>/<shardId>}: the shard's position.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<streamArn>}: the stream marker, written once the first start has fixed its
 * positions. Shards found after that are read from their oldest record, whatever {@code startPosition} says.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<tableArn>/followed-stream}: the ARN of the stream this consumer follows, so
 * that a stream replaced while the consumer was stopped is noticed at the next start.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<tableArn>/generation}: the {@link Generation} of the keys below (none: the
 * first).</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<tableArn>/leader}: the epoch of the instance that leads (clustered consumers
 * only, {@link LeaderEpoch}); every checkpoint write of that leader is guarded by it. With shard buckets each unit
 * has its own: {@code .../leader/bucket-07}, {@code .../leader/snapshot}.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<tableArn>/snapshot}: the snapshot's phase, export ARN and export time.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<tableArn>/snapshot/<dataFileS3Key>}: the last acknowledged line of an
 * export data file, or its end sentinel. The data file key contains the export id.</li>
 * <li>{@code dynamodb-cdc/<consumerId>/<tableArn>/snapshot/scan/<scanStartMillis>/<segment>-of-<segments>}: the key of
 * the last acknowledged item of a Scan segment, or its end sentinel ({@link ScanPosition}). The scan's start time and
 * segmentation are part of the key, so a later scan never reads another's positions.</li>
 * </ul>
 * In the idempotent repository: {@code dynamodb-cdc/event/<eventID>} for a delivered stream record,
 * {@code dynamodb-cdc/item/<dataFileS3Key>#<line>} for a delivered export item and
 * {@code dynamodb-cdc/item/scan/<scanStartMillis>/<serialized key>} for a delivered scan item (the same id at every
 * restart of one scan, whichever segmentation it has).
 * <p>
 * The stream ARN begins with the table ARN, so the namespace is the table plus the consumer id. From the second
 * {@link Generation} on, the shard, stream marker, snapshot and data file keys carry it after the consumer id
 * ({@code dynamodb-cdc/<consumerId>/generation-2/...}); the followed stream, generation and leader keys do not.
 */
public final class CheckpointKeys {

    private static final String PREFIX = "dynamodb-cdc/";
    private static final String STREAM_INFIX = "/stream/";

    private final String streamPrefix;
    private final String snapshotKey;
    private final String followedStreamKey;
    private final String leaderKey;
    private final String generationKey;
    private final int generation;
    private final String consumerId;
    private final String streamArn;

    /** The keys of the first generation. */
    public CheckpointKeys(String consumerId, String streamArn) {
        this(consumerId, streamArn, 1);
    }

    /** The keys of {@code generation} (1 and up). */
    public CheckpointKeys(String consumerId, String streamArn, int generation) {
        String ofGeneration = PREFIX + consumerId + (generation > 1 ? "/generation-" + generation : "") + "/";
        this.consumerId = consumerId;
        this.streamArn = streamArn;
        this.generation = generation;
        this.streamPrefix = ofGeneration + streamArn;
        this.snapshotKey = ofGeneration + tableArnOf(streamArn) + "/snapshot";
        this.followedStreamKey = PREFIX + consumerId + "/" + tableArnOf(streamArn) + "/followed-stream";
        this.leaderKey = PREFIX + consumerId + "/" + tableArnOf(streamArn) + "/leader";
        this.generationKey = PREFIX + consumerId + "/" + tableArnOf(streamArn) + "/generation";
    }

    /** The keys of {@code other} generation, on the same stream. */
    public CheckpointKeys of(Generation other) {
        return new CheckpointKeys(consumerId, streamArn, other.number());
    }

    /** The keys of another stream of the same table ({@code streamArn}), in the same generation. */
    public CheckpointKeys ofStream(String otherStreamArn) {
        return new CheckpointKeys(consumerId, otherStreamArn, generation);
    }

    /** The generation these keys are of. */
    public int generation() {
        return generation;
    }

    /** The key of the consumer's current {@link Generation} on the table. */
    public String generationKey() {
        return generationKey;
    }

    /** A stream ARN is {@code <tableArn>/stream/<label>}. */
    static String tableArnOf(String streamArn) {
        int stream = streamArn.lastIndexOf(STREAM_INFIX);
        return stream > 0 ? streamArn.substring(0, stream) : streamArn;
    }

    public String shard(String shardId) {
        return streamPrefix + "/" + shardId;
    }

    public String streamMarker() {
        return streamPrefix;
    }

    public String followedStream() {
        return followedStreamKey;
    }

    public String leader() {
        return leaderKey;
    }

    /** The leader key of one unit of a consumer whose shards are spread in buckets ({@code bucket-07}, {@code snapshot}). */
    public String leader(String unit) {
        return leaderKey + "/" + unit;
    }

    public String snapshot() {
        return snapshotKey;
    }

    public String dataFile(String dataFileS3Key) {
        return snapshotKey + "/" + dataFileS3Key;
    }

    /** The position of segment {@code segment} (from 0) of {@code segments} of the scan begun at {@code scanStartMillis}. */
    public String scanSegment(long scanStartMillis, int segment, int segments) {
        return snapshotKey + "/scan/" + scanStartMillis + "/" + segment + "-of-" + segments;
    }

    /** The id under which a delivered stream record is kept in the idempotent repository. */
    public static String deliveredRecord(String eventId) {
        return PREFIX + "event/" + eventId;
    }

    /** The id under which a delivered snapshot item is kept in the idempotent repository. */
    public static String deliveredItem(String dataFileS3Key, long line) {
        return PREFIX + "item/" + dataFileS3Key + "#" + line;
    }

    /**
     * The id under which a delivered scan item is kept in the idempotent repository.
     *
     * @param itemPosition the position after the item ({@link ScanPosition#after}), whose text is its exact key
     */
    public static String deliveredScanItem(long scanStartMillis, ScanPosition itemPosition) {
        return PREFIX + "item/scan/" + scanStartMillis + "/" + itemPosition.keyText();
    }
}
