package dev.ddbcdc.camel.port;

import java.util.List;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/**
 * The three DynamoDB Streams calls the consumer makes, behind a narrow interface so that the stream engine can be
 * tested with small fakes. Failures come as the SDK's exceptions; the stream package classifies them.
 */
public interface StreamProxy {

    /** Every shard of the stream, all pages. */
    List<Shard> listShards(String streamArn);

    String shardIterator(String streamArn, String shardId, ShardPosition position);

    GetRecordsResponse getRecords(String shardIterator, int limit);
}
