package dev.ddbcdc.localaws;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalDynamoDbTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    @Test
    void rolloverClosesOpenShardsAndOpensChildren() {
        String streamArn = Tables.createWithStream(ddb.client(), "rollover", StreamViewType.NEW_AND_OLD_IMAGES);
        ddb.client().putItem(b -> b.tableName("rollover").item(Map.of("pk", AttributeValue.fromS("a"))));
        List<Shard> before = Tables.shards(ddb.streamsClient(), streamArn);
        assertEquals(1, before.size());
        assertNull(before.get(0).sequenceNumberRange().endingSequenceNumber());

        ddb.triggerShardRollovers();

        List<Shard> after = Tables.shards(ddb.streamsClient(), streamArn);
        assertEquals(2, after.size());
        Shard parent = after.stream().filter(s -> s.shardId().equals(before.get(0).shardId())).findFirst().orElseThrow();
        Shard child = after.stream().filter(s -> !s.shardId().equals(parent.shardId())).findFirst().orElseThrow();
        assertNotNull(parent.sequenceNumberRange().endingSequenceNumber(), "parent is closed");
        assertEquals(parent.shardId(), child.parentShardId());
    }

    @Test
    void dilationPastRetentionTrimsRecords() {
        String streamArn = Tables.createWithStream(ddb.client(), "dilate", StreamViewType.NEW_IMAGE);
        ddb.client().putItem(b -> b.tableName("dilate").item(Map.of("pk", AttributeValue.fromS("a"))));
        Shard shard = Tables.shards(ddb.streamsClient(), streamArn).get(0);
        ddb.dilateEventTimes(Duration.ofHours(25));
        String iterator = ddb.streamsClient().getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThrows(TrimmedDataAccessException.class,
                () -> ddb.streamsClient().getRecords(b -> b.shardIterator(iterator)));
    }
}
