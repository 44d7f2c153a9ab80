package dev.ddbcdc.camel.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Keeps changing a table from one thread, seeded: puts, updates and deletes of keys {@code k0..k<keys-1>}, each
 * change giving its key the next version {@code v} (a delete counts as a version too), so every write makes exactly
 * one stream record and the versions of a key tell the order its changes were made in. Records every write made.
 */
public final class TableWriter implements Runnable {

    /** One change the writer made (after DynamoDB acknowledged it). */
    public record Write(String key, long version, String op) {
        public String id() {
            return key + "#" + version;
        }
    }

    private final DynamoDbClient client;
    private final String table;
    private final Random random;
    private final int keys;
    private final double writesPerSecond;
    private final Map<String, Long> versions = new HashMap<>();
    private final Set<String> present = new HashSet<>();
    private final List<Write> written = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread thread;

    public TableWriter(DynamoDbClient client, String table, long seed, int keys, double writesPerSecond) {
        this.client = client;
        this.table = table;
        this.random = new Random(seed);
        this.keys = keys;
        this.writesPerSecond = writesPerSecond;
    }

    /** Puts items {@code k0..k<count-1>} at version 1, in batches, before the writer thread starts. */
    public void fill(int count) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "k" + i;
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(key, 1)).build()).build());
            if (batch.size() == 25 || i == count - 1) {
                Map<String, List<WriteRequest>> unprocessed = Map.of(table, batch);
                while (!unprocessed.isEmpty()) {
                    Map<String, List<WriteRequest>> request = unprocessed;
                    unprocessed = client.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
                batch = new ArrayList<>();
            }
        }
        synchronized (this) {
            for (int i = 0; i < count; i++) {
                recorded("k" + i, 1, "PUT");
            }
        }
    }

    public void start() {
        thread = new Thread(this, "table-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        long intervalNanos = (long) (1e9 / writesPerSecond);
        long next = System.nanoTime();
        try {
            while (running) {
                writeOne();
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private void writeOne() {
        String key = "k" + random.nextInt(keys);
        long version;
        synchronized (this) {
            version = versions.getOrDefault(key, 0L) + 1;
        }
        double dice = random.nextDouble();
        String op;
        if (!present.contains(key) || dice < 0.2) {
            client.putItem(b -> b.tableName(table).item(item(key, version)));
            op = "PUT";
        } else if (dice < 0.85) {
            client.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(key)))
                    .updateExpression("SET v = :v, payload = :p, n = :n")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)),
                            ":p", AttributeValue.fromS(payload(key, version)),
                            ":n", AttributeValue.fromN(Long.toString(random.nextLong())))));
            op = "UPDATE";
        } else {
            client.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(key))));
            op = "DELETE";
        }
        synchronized (this) {
            recorded(key, version, op);
        }
    }

    private void recorded(String key, long version, String op) {
        versions.put(key, version);
        if ("DELETE".equals(op)) {
            present.remove(key);
        } else {
            present.add(key);
        }
        written.add(new Write(key, version, op));
    }

    private Map<String, AttributeValue> item(String key, long version) {
        return Map.of("pk", AttributeValue.fromS(key), "v", AttributeValue.fromN(Long.toString(version)),
                "payload", AttributeValue.fromS(payload(key, version)),
                "n", AttributeValue.fromN(Long.toString(random.nextLong())));
    }

    private static String payload(String key, long version) {
        return "p" + key + "v" + version;
    }

    /** Stops the writer and waits for its last write; rethrows what made it fail, if anything did. */
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("The table writer failed", failure.get());
        }
    }

    public synchronized List<Write> written() {
        return new ArrayList<>(written);
    }

    public synchronized int count() {
        return written.size();
    }
}
