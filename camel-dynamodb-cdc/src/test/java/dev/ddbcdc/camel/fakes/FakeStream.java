package dev.ddbcdc.camel.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.port.StreamProxy;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SequenceNumberRange;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/**
 * A DynamoDB stream in memory, behind {@link StreamProxy}: shards with parents, open or closed, each with its records
 * (increasing sequence numbers, given creation times). Iterators honour TRIM_HORIZON (the oldest record not trimmed),
 * LATEST (after the last record at the time the iterator is taken) and AFTER_SEQUENCE_NUMBER; an iterator after a
 * trimmed record, or reading from a trimmed position, throws {@link TrimmedDataAccessException}; a shard no longer
 * listed answers {@link ResourceNotFoundException}. Every call is counted and every iterator request kept in order.
 */
public final class FakeStream implements StreamProxy {

    /** One GetShardIterator call. */
    public record IteratorCall(String shardId, ShardIteratorType type, String sequenceNumber) {
    }

    private static final class FakeShard {
        final String id;
        final String parentId;
        final String startingSequenceNumber;
        final List<Record> records = new ArrayList<>();
        boolean closed;
        boolean listed = true;
        /** The first {@code trimmed} records are gone. */
        int trimmed;
        /** The next GetRecords calls that answer TrimmedDataAccessException whatever the position. */
        int trimmedFaults;
        int getRecordsCalls;

        FakeShard(String id, String parentId, String startingSequenceNumber) {
            this.id = id;
            this.parentId = parentId;
            this.startingSequenceNumber = startingSequenceNumber;
        }
    }

    private record Cursor(String shardId, int index) {
    }

    private final String streamArn;
    private final Map<String, FakeShard> shards = new LinkedHashMap<>();
    private final Map<String, Cursor> iterators = new HashMap<>();
    private final List<IteratorCall> iteratorCalls = new ArrayList<>();
    private long nextSequenceNumber = 1_000;
    private int listCalls;
    private int iteratorsIssued;

    public FakeStream(String streamArn) {
        this.streamArn = streamArn;
    }

    /** Adds an open shard ({@code parentId} may be {@code null}). */
    public synchronized FakeStream shard(String shardId, String parentId) {
        if (shards.containsKey(shardId)) {
            throw new IllegalArgumentException("shard " + shardId + " exists");
        }
        shards.put(shardId, new FakeShard(shardId, parentId, Long.toString(nextSequenceNumber)));
        return this;
    }

    /** Appends a record created at {@code created} to an open shard; returns its sequence number. */
    public synchronized String record(String shardId, Instant created) {
        FakeShard shard = shard(shardId);
        if (shard.closed) {
            throw new IllegalStateException("shard " + shardId + " is closed");
        }
        String sequenceNumber = Long.toString(nextSequenceNumber++);
        shard.records.add(Record.builder()
                .eventID("event-" + sequenceNumber)
                .eventName(OperationType.INSERT)
                .eventSource("aws:dynamodb")
                .dynamodb(d -> d.sequenceNumber(sequenceNumber)
                        .approximateCreationDateTime(created)
                        .keys(Map.of("pk", AttributeValue.fromS(shardId + "-" + sequenceNumber)))
                        .newImage(Map.of("pk", AttributeValue.fromS(shardId + "-" + sequenceNumber)))
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                        .sizeBytes(10L))
                .build());
        return sequenceNumber;
    }

    /** Closes a shard: its ending sequence number is listed, and reading past its last record ends the shard. */
    public synchronized FakeStream close(String shardId) {
        shard(shardId).closed = true;
        return this;
    }

    /** The shard is no longer listed (trimmed away with all its records). */
    public synchronized FakeStream unlist(String shardId) {
        shard(shardId).listed = false;
        return this;
    }

    /** Trims the first {@code count} records of the shard. */
    public synchronized FakeStream trim(String shardId, int count) {
        shard(shardId).trimmed = count;
        return this;
    }

    /** The next {@code times} GetRecords calls on the shard answer TrimmedDataAccessException. */
    public synchronized FakeStream failGetRecordsAsTrimmed(String shardId, int times) {
        shard(shardId).trimmedFaults = times;
        return this;
    }

    private FakeShard shard(String shardId) {
        FakeShard shard = shards.get(shardId);
        if (shard == null) {
            throw new IllegalArgumentException("no shard " + shardId);
        }
        return shard;
    }

    @Override
    public synchronized List<Shard> listShards(String arn) {
        checkArn(arn);
        listCalls++;
        List<Shard> listed = new ArrayList<>();
        for (FakeShard shard : shards.values()) {
            if (!shard.listed) {
                continue;
            }
            String ending = !shard.closed ? null
                    : shard.records.isEmpty() ? shard.startingSequenceNumber
                    : shard.records.get(shard.records.size() - 1).dynamodb().sequenceNumber();
            listed.add(Shard.builder()
                    .shardId(shard.id)
                    .parentShardId(shard.parentId)
                    .sequenceNumberRange(SequenceNumberRange.builder()
                            .startingSequenceNumber(shard.startingSequenceNumber)
                            .endingSequenceNumber(ending)
                            .build())
                    .build());
        }
        return listed;
    }

    @Override
    public synchronized String shardIterator(String arn, String shardId, ShardPosition position) {
        checkArn(arn);
        ShardIteratorType type = position.iteratorType();
        iteratorCalls.add(new IteratorCall(shardId, type, position.sequenceNumber()));
        FakeShard shard = shards.get(shardId);
        if (shard == null || !shard.listed) {
            throw ResourceNotFoundException.builder().message("Requested resource not found: Shard does not exist")
                    .build();
        }
        int index;
        switch (type) {
            case TRIM_HORIZON:
                index = shard.trimmed;
                break;
            case LATEST:
                index = shard.records.size();
                break;
            case AFTER_SEQUENCE_NUMBER:
                int at = indexOf(shard, position.sequenceNumber());
                if (at < 0) {
                    throw new IllegalArgumentException("shard " + shardId + " has no record "
                                                       + position.sequenceNumber());
                }
                if (at + 1 < shard.trimmed) {
                    throw TrimmedDataAccessException.builder().message("records after sequence number "
                                                                       + position.sequenceNumber() + " were trimmed")
                            .build();
                }
                index = at + 1;
                break;
            default:
                throw new IllegalArgumentException("unsupported iterator type " + type);
        }
        return issue(shardId, index);
    }

    private static int indexOf(FakeShard shard, String sequenceNumber) {
        for (int i = 0; i < shard.records.size(); i++) {
            if (shard.records.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private String issue(String shardId, int index) {
        String iterator = "iterator-" + (++iteratorsIssued) + "-" + shardId;
        iterators.put(iterator, new Cursor(shardId, index));
        return iterator;
    }

    @Override
    public synchronized GetRecordsResponse getRecords(String shardIterator, int limit) {
        Cursor cursor = iterators.get(shardIterator);
        if (cursor == null) {
            throw ExpiredIteratorException.builder().message("Iterator expired: " + shardIterator).build();
        }
        FakeShard shard = shards.get(cursor.shardId());
        shard.getRecordsCalls++;
        if (!shard.listed) {
            throw ResourceNotFoundException.builder().message("Shard " + shard.id + " does not exist").build();
        }
        if (shard.trimmedFaults > 0) {
            shard.trimmedFaults--;
            throw TrimmedDataAccessException.builder().message("trimmed").build();
        }
        if (cursor.index() < shard.trimmed) {
            throw TrimmedDataAccessException.builder().message("the iterator's position was trimmed").build();
        }
        int end = Math.min(shard.records.size(), cursor.index() + limit);
        List<Record> page = new ArrayList<>(shard.records.subList(cursor.index(), end));
        String next = shard.closed && end == shard.records.size() ? null : issue(shard.id, end);
        return GetRecordsResponse.builder().records(page).nextShardIterator(next).build();
    }

    private void checkArn(String arn) {
        if (!streamArn.equals(arn)) {
            throw ResourceNotFoundException.builder().message("no stream " + arn).build();
        }
    }

    /** Every GetShardIterator call so far, in order. */
    public synchronized List<IteratorCall> iteratorCalls() {
        return List.copyOf(iteratorCalls);
    }

    /** The GetShardIterator calls for one shard, in order. */
    public synchronized List<IteratorCall> iteratorCalls(String shardId) {
        return iteratorCalls.stream().filter(c -> c.shardId().equals(shardId)).toList();
    }

    public synchronized int getRecordsCalls(String shardId) {
        return shard(shardId).getRecordsCalls;
    }

    public synchronized int listCalls() {
        return listCalls;
    }
}
