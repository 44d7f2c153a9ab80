package dev.ddbcdc.camel.cluster;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.CheckpointValues;
import dev.ddbcdc.camel.checkpoint.LeaderEpoch;

/**
 * Reads every row of the shared checkpoint store every few milliseconds from a thread of the test and checks that no
 * stored position ever moves backwards: a shard's {@code seq:<n>} only rises, {@code from:} is never written over a
 * {@code seq:}, {@code END} stays; a data file's {@code line:<n>} only rises, {@code END} stays; the leader epoch
 * only rises, the consumer's and each unit's ({@code .../leader/bucket-3} with {@code clusterMode=BUCKETS}).
 */
final class PositionSampler implements AutoCloseable {

    private static final List<String> SNAPSHOT_STAGES = List.of("EXPORTING", "LOADING", "DONE");

    private final String store;
    private final long intervalMillis;
    private final Map<String, String> last = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private int samples;
    private int changes;

    PositionSampler(String store, long intervalMillis) {
        this.store = store;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::run, "position-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                sample(CheckpointStore.rows(store));
                Thread.sleep(intervalMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
        }
    }

    synchronized void sample(Map<String, String> rows) {
        samples++;
        rows.forEach((key, stored) -> {
            String before = last.put(key, stored);
            if (before == null || before.equals(stored)) {
                return;
            }
            changes++;
            String problem = backwards(key, before, stored);
            if (problem != null && violations.size() < 50) {
                violations.add(key + ": " + problem + " (" + before + " -> " + stored + ")");
            }
        });
    }

    /** Why the move from stored value {@code beforeStored} to {@code afterStored} goes backwards, or null. */
    static String backwards(String key, String beforeStored, String afterStored) {
        if (key.endsWith("/leader") || key.contains("/leader/")) {
            return LeaderEpoch.epochOf(key, afterStored) < LeaderEpoch.epochOf(key, beforeStored)
                    ? "the epoch fell" : null;
        }
        String before = CheckpointValues.read(key, beforeStored);
        String after = CheckpointValues.read(key, afterStored);
        if (key.endsWith("/snapshot")) {
            return SNAPSHOT_STAGES.indexOf(after.split(" ")[0]) < SNAPSHOT_STAGES.indexOf(before.split(" ")[0])
                    ? "the snapshot went back a stage" : null;
        }
        if ("END".equals(before)) {
            return "END was written over";
        }
        if (before.startsWith("seq:")) {
            if (!after.startsWith("seq:") && !"END".equals(after)) {
                return "a sequence number position was replaced by " + after;
            }
            if (after.startsWith("seq:") && new BigInteger(sequenceOf(after)).compareTo(
                    new BigInteger(sequenceOf(before))) < 0) {
                return "the sequence number fell";
            }
        }
        if (before.startsWith("line:") && after.startsWith("line:")
            && Long.parseLong(after.substring(5)) < Long.parseLong(before.substring(5))) {
            return "the line fell";
        }
        return null;
    }

    synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    synchronized int samples() {
        return samples;
    }

    synchronized int changes() {
        return changes;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        if (failure != null) {
            throw new AssertionError("The position sampler failed", failure);
        }
    }

    /** The sequence number of a {@code seq:<n>} or {@code seq:<n>@<created millis>} position. */
    private static String sequenceOf(String position) {
        return position.substring(4).split("@")[0];
    }
}
