package dev.ddbcdc.camel.aws;

import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.checkpoint.ShardPosition;
import dev.ddbcdc.camel.port.StreamProxy;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** {@link StreamProxy} over the AWS SDK's DynamoDbStreamsClient. */
public final class SdkStreamProxy implements StreamProxy {

    private final DynamoDbStreamsClient client;

    public SdkStreamProxy(DynamoDbStreamsClient client) {
        this.client = client;
    }

    @Override
    public List<Shard> listShards(String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String exclusiveStart = null;
        do {
            String start = exclusiveStart;
            DescribeStreamResponse page = client.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(start));
            shards.addAll(page.streamDescription().shards());
            exclusiveStart = page.streamDescription().lastEvaluatedShardId();
        } while (exclusiveStart != null);
        return shards;
    }

    @Override
    public String shardIterator(String streamArn, String shardId, ShardPosition position) {
        return client.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(position.iteratorType()).sequenceNumber(position.sequenceNumber()))
                .shardIterator();
    }

    @Override
    public GetRecordsResponse getRecords(String shardIterator, int limit) {
        return client.getRecords(b -> b.shardIterator(shardIterator).limit(limit));
    }
}
