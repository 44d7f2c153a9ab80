package dev.ddbcdc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.ddbcdc.localaws.LocalAws;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts records into a table's stream quickly: BatchWriteItem of 25 new items from two threads, and between equal parts
 * a forced shard rollover, so the records lie across several shard generations (parent, child, grandchild...).
 */
final class StreamFiller {

    private static final int BATCH = 25;
    private static final int THREADS = 2;

    private StreamFiller() {
    }

    /** Writes {@code count} items {@code <prefix>-<n>} in {@code generations} shard generations. */
    static void fill(LocalAws aws, String table, String prefix, int count, int generations) {
        DynamoDbClient client = aws.dynamoDbLocal().client();
        int perGeneration = (count + generations - 1) / generations;
        int written = 0;
        for (int g = 0; g < generations && written < count; g++) {
            int part = Math.min(perGeneration, count - written);
            write(client, table, prefix, written, part);
            written += part;
            if (g < generations - 1) {
                aws.dynamoDbLocal().triggerShardRollovers();
            }
        }
    }

    /** Writes items {@code from} to {@code from + count - 1}, in parallel batches. */
    static void write(DynamoDbClient client, String table, String prefix, int from, int count) {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> parts = new ArrayList<>();
            int perThread = (count + THREADS - 1) / THREADS;
            for (int t = 0; t < THREADS; t++) {
                int start = from + t * perThread;
                int end = Math.min(from + count, start + perThread);
                parts.add(threads.submit(() -> writeRange(client, table, prefix, start, end)));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not fill " + table, e);
        } finally {
            threads.shutdown();
        }
    }

    private static void writeRange(DynamoDbClient client, String table, String prefix, int start, int end) {
        for (int i = start; i < end; i += BATCH) {
            List<WriteRequest> batch = new ArrayList<>();
            for (int j = i; j < Math.min(end, i + BATCH); j++) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(prefix, j)).build())
                        .build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(table, batch);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    static Map<String, AttributeValue> item(String prefix, int n) {
        return Map.of("pk", AttributeValue.fromS(key(prefix, n)),
                "n", AttributeValue.fromN(Integer.toString(n)),
                "payload", AttributeValue.fromS("change number " + n + " of a benchmark stream"));
    }

    static String key(String prefix, int n) {
        return String.format(Locale.ROOT, "%s-%08d", prefix, n);
    }
}
