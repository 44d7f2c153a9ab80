package dev.ddbcdc.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.ddbcdc.localaws.Tables;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The stream baseline: one thread, the bare SDK, no Camel. Lists the shards, then reads each one, parents before
 * children, from TRIM_HORIZON with GetRecords of 1,000 until the shard ends (or, for the open shard, until every
 * expected record was seen). Touches each record's key so the records are really read.
 */
final class BareStreamRead {

    long records;
    long getRecordsCalls;

    /** Reads until {@code expected} records; returns the seconds it took. */
    double readAll(DynamoDbStreamsClient streams, String streamArn, long expected) {
        long start = System.nanoTime();
        for (Shard shard : parentsFirst(Tables.shards(streams, streamArn))) {
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null && records < expected) {
                String current = iterator;
                GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(current).limit(1000));
                getRecordsCalls++;
                response.records().forEach(r -> {
                    if (r.dynamodb().keys().isEmpty()) {
                        throw new IllegalStateException("record without keys");
                    }
                    records++;
                });
                iterator = response.nextShardIterator();
            }
        }
        if (records != expected) {
            throw new IllegalStateException("The bare loop read " + records + " records, expected " + expected);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Shards ordered so that each comes after its parent. */
    static List<Shard> parentsFirst(List<Shard> shards) {
        List<Shard> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        Set<String> listed = new HashSet<>();
        shards.forEach(s -> listed.add(s.shardId()));
        while (ordered.size() < shards.size()) {
            for (Shard shard : shards) {
                String parent = shard.parentShardId();
                if (!placed.contains(shard.shardId())
                    && (parent == null || !listed.contains(parent) || placed.contains(parent))) {
                    ordered.add(shard);
                    placed.add(shard.shardId());
                }
            }
        }
        return ordered;
    }
}
