package dev.ddbcdc.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Steady writes: one PutItem every 1/rate seconds on a fixed schedule (a few writer threads, so a slow call does not
 * delay the next), each new key noted with the time its PutItem was issued, for {@link #latencyMicros(String)}.
 */
final class PacedWriter {

    private final Map<String, Long> issuedNanos = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();

    /** Writes {@code rate} items a second for {@code seconds}; returns when the last write is acknowledged. */
    void write(DynamoDbClient client, String table, String prefix, int rate, int seconds) throws InterruptedException {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String key = StreamFiller.key(prefix, i);
            int n = i;
            writers.execute(() -> {
                issuedNanos.put(key, System.nanoTime());
                client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(key),
                        "n", AttributeValue.fromN(Integer.toString(n)))));
                written.incrementAndGet();
            });
        }
        writers.shutdown();
        writers.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** Microseconds from the write of {@code key} until now, or -1 for a key this writer did not write. */
    long latencyMicros(String key) {
        Long issued = issuedNanos.remove(key);
        return issued == null ? -1 : (System.nanoTime() - issued) / 1000;
    }

    /** Whether {@code key} was among the first {@code writes} writes (keys are {@code <prefix>-<n>}). */
    static boolean among(String key, int writes) {
        int n = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
        return n < writes;
    }

    long written() {
        return written.get();
    }

    /** Writes not delivered yet. */
    int undelivered() {
        return issuedNanos.size();
    }
}
