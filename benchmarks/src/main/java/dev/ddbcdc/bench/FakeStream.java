package dev.ddbcdc.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.SequenceNumberRange;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A simulated DynamoDB stream in this JVM, behind the real SDK interface: {@code lineages} chains of
 * {@code generations} shards each (the last generation open, the others closed), each shard holding
 * {@code recordsPerShard} records that are made when read, not stored. DescribeStream pages 100 shards at a time as
 * AWS does. Counts the calls made to it. By default every record is the INSERT of an item of its own; with
 * {@code keys} above 0 each shard's records are changes of {@code keys} items in turn (record i changes item
 * {@code i mod keys}): each item's first change an INSERT, then MODIFYs, every fifth of them a REMOVE (which ones depends on the item).
 */
final class FakeStream implements DynamoDbStreamsClient {

    static final String STREAM_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/fake/stream/2026-01-01T00:00:00.000";
    private static final int PAGE = 100;
    private static final String ZEROS = "000000000000000000000";

    private final List<Shard> shards = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final int recordsPerShard;
    private final int keys;
    private final Instant created;
    final AtomicLong describeStreamCalls = new AtomicLong();
    final AtomicLong getRecordsCalls = new AtomicLong();
    final AtomicLong getShardIteratorCalls = new AtomicLong();

    FakeStream(int lineages, int generations, int recordsPerShard) {
        this(lineages, generations, recordsPerShard, 0);
    }

    /** @param keys items each shard's records change in turn, or 0 for an item of its own per record */
    FakeStream(int lineages, int generations, int recordsPerShard, int keys) {
        this(lineages, generations, recordsPerShard, keys, Instant.now());
    }

    /**
     * @param keys    items each shard's records change in turn, or 0 for an item of its own per record
     * @param created the creation time of every record: two streams made with the same arguments, in any JVM, hold
     *                the same shards and records (what the members of the scale-out scenario need)
     */
    FakeStream(int lineages, int generations, int recordsPerShard, int keys, Instant created) {
        this.recordsPerShard = recordsPerShard;
        this.keys = keys;
        this.created = created;
        for (int g = 0; g < generations; g++) {
            for (int l = 0; l < lineages; l++) {
                int ordinal = shards.size();
                String parent = g == 0 ? null : id(g - 1, l);
                boolean open = g == generations - 1;
                SequenceNumberRange range = SequenceNumberRange.builder().startingSequenceNumber(sequence(ordinal, 0))
                        .endingSequenceNumber(open ? null : sequence(ordinal, recordsPerShard - 1)).build();
                shards.add(Shard.builder().shardId(id(g, l)).parentShardId(parent).sequenceNumberRange(range).build());
                ordinals.put(id(g, l), ordinal);
            }
        }
    }

    int shardCount() {
        return shards.size();
    }

    long totalRecords() {
        return (long) shards.size() * recordsPerShard;
    }

    private static String id(int generation, int lineage) {
        return String.format(Locale.ROOT, "shardId-%05d-%08d", generation, lineage);
    }

    /** 21 digits, zero-padded, as DynamoDB's; made cheaply, since the fake's own cost is in what is measured. */
    private static String sequence(int ordinal, int index) {
        String digits = Long.toString((ordinal + 1L) * 100_000_000L + index);
        return ZEROS.substring(digits.length()) + digits;
    }

    @Override
    public DescribeStreamResponse describeStream(DescribeStreamRequest request) {
        describeStreamCalls.incrementAndGet();
        int from = request.exclusiveStartShardId() == null ? 0 : ordinals.get(request.exclusiveStartShardId()) + 1;
        int limit = request.limit() == null ? PAGE : Math.min(PAGE, request.limit());
        int to = Math.min(shards.size(), from + limit);
        String last = to < shards.size() ? shards.get(to - 1).shardId() : null;
        return DescribeStreamResponse.builder().streamDescription(d -> d.streamArn(STREAM_ARN)
                .streamStatus(StreamStatus.ENABLED).streamViewType(StreamViewType.NEW_IMAGE)
                .shards(shards.subList(from, to)).lastEvaluatedShardId(last)).build();
    }

    @Override
    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
        getShardIteratorCalls.incrementAndGet();
        int ordinal = ordinals.get(request.shardId());
        int index = switch (request.shardIteratorType()) {
            case TRIM_HORIZON -> 0;
            case LATEST -> recordsPerShard;
            case AT_SEQUENCE_NUMBER -> indexOf(request.sequenceNumber());
            case AFTER_SEQUENCE_NUMBER -> indexOf(request.sequenceNumber()) + 1;
            default -> throw new IllegalArgumentException("iterator type " + request.shardIteratorType());
        };
        return GetShardIteratorResponse.builder().shardIterator(ordinal + "/" + index).build();
    }

    private static int indexOf(String sequenceNumber) {
        return (int) (Long.parseLong(sequenceNumber) % 100_000_000L);
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest request) {
        getRecordsCalls.incrementAndGet();
        String[] iterator = request.shardIterator().split("/");
        int ordinal = Integer.parseInt(iterator[0]);
        int index = Integer.parseInt(iterator[1]);
        int limit = request.limit() == null ? 1000 : request.limit();
        int end = Math.min(recordsPerShard, index + limit);
        List<Record> records = new ArrayList<>(Math.max(0, end - index));
        for (int i = index; i < end; i++) {
            records.add(record(ordinal, i));
        }
        boolean open = shards.get(ordinal).sequenceNumberRange().endingSequenceNumber() == null;
        String next = end >= recordsPerShard && !open ? null : ordinal + "/" + end;
        return GetRecordsResponse.builder().records(records).nextShardIterator(next).build();
    }

    /** The primary key of a shard's record {@code index} when the stream changes {@code keys} items in turn. */
    static String keyOf(int index, int keys) {
        return "item-" + (index % keys);
    }

    /** The operation of a shard's record {@code index} when the stream changes {@code keys} items in turn. */
    static OperationType operationOf(int index, int keys) {
        int change = index / keys;
        if (change == 0) {
            return OperationType.INSERT;
        }
        return (change + index % keys) % 5 == 0 ? OperationType.REMOVE : OperationType.MODIFY;
    }

    private Record record(int ordinal, int index) {
        if (keys > 0) {
            return change(ordinal, index);
        }
        String key = "item-" + ordinal + "-" + index;
        Map<String, AttributeValue> keys = Map.of("pk", AttributeValue.fromS(key));
        return Record.builder().eventID(ordinal + "-" + index).eventName(OperationType.INSERT).eventSource("aws:dynamodb")
                .dynamodb(StreamRecord.builder().keys(keys)
                        .newImage(Map.of("pk", AttributeValue.fromS(key), "n", AttributeValue.fromN(
                                Integer.toString(index))))
                        .sequenceNumber(sequence(ordinal, index)).sizeBytes(40L)
                        .approximateCreationDateTime(created).streamViewType(StreamViewType.NEW_IMAGE).build())
                .build();
    }

    private Record change(int ordinal, int index) {
        String key = keyOf(index, keys);
        OperationType operation = operationOf(index, keys);
        Map<String, AttributeValue> keyAttributes = Map.of("pk", AttributeValue.fromS(key));
        StreamRecord.Builder change = StreamRecord.builder().keys(keyAttributes)
                .sequenceNumber(sequence(ordinal, index)).sizeBytes(120L).approximateCreationDateTime(created).streamViewType(StreamViewType.NEW_IMAGE);
        if (operation != OperationType.REMOVE) {
            change.newImage(Map.of("pk", AttributeValue.fromS(key), "n", AttributeValue.fromN(Integer.toString(index)),
                    "status", AttributeValue.fromS(index % 2 == 0 ? "OPEN" : "SHIPPED"),
                    "total", AttributeValue.fromN((index % 1000) + "." + (index % 100)),
                    "customer", AttributeValue.fromS("customer-" + (index % 97))));
        }
        return Record.builder().eventID(ordinal + "-" + index).eventName(operation).eventSource("aws:dynamodb")
                .dynamodb(change.build()).build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
