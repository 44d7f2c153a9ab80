package dev.ddbcdc.bench;

import java.util.function.Consumer;

import dev.ddbcdc.localaws.Tables;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The latency floor: the bare SDK following the open shard from LATEST, asking again 5 ms after an empty answer and
 * at once after a full one. What polling this hot costs in calls is why the consumer does not do it.
 */
final class BareStreamTail implements AutoCloseable {

    private static final long EMPTY_PAUSE_MILLIS = 5;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long calls;

    BareStreamTail(DynamoDbStreamsClient streams, String streamArn, Consumer<Record> onRecord) {
        Shard open = Tables.shards(streams, streamArn).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).findFirst().orElseThrow();
        String first = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(open.shardId())
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        thread = new Thread(() -> follow(streams, first, onRecord), "bare-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(DynamoDbStreamsClient streams, String first, Consumer<Record> onRecord) {
        String iterator = first;
        while (running && iterator != null) {
            String current = iterator;
            GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(current).limit(1000));
            calls++;
            response.records().forEach(onRecord);
            iterator = response.nextShardIterator();
            if (response.records().isEmpty()) {
                try {
                    Thread.sleep(EMPTY_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long calls() {
        return calls;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
