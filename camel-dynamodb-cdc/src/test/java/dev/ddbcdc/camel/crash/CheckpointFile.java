package dev.ddbcdc.camel.crash;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.CheckpointValues;

/**
 * What a {@code FileCheckpointRepository} file says once its writer is dead: the last value of every key (the file is
 * appended to, so later lines win), read as the consumer's positions: per shard {@code seq:<n>}, {@code from:<millis>}
 * or {@code END}; per export data file {@code line:<n>} or {@code END}; the snapshot's stage.
 */
record CheckpointFile(Map<String, String> shards, Map<String, String> dataFiles, String snapshot, boolean tornLine) {

    private static final String SNAPSHOT = "/snapshot";

    static CheckpointFile read(Path file) throws IOException {
        Map<String, String> shards = new HashMap<>();
        Map<String, String> dataFiles = new HashMap<>();
        String snapshot = null;
        if (!Files.exists(file)) {
            return new CheckpointFile(shards, dataFiles, null, false);
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        boolean torn = !content.isEmpty() && !content.endsWith("\n");
        String[] lines = content.split("\n");
        int complete = torn ? lines.length - 1 : lines.length;
        for (int i = 0; i < complete; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = line.substring(0, eq);
            String value = CheckpointValues.read(key, line.substring(eq + 1));
            int snapshotAt = key.indexOf(SNAPSHOT + "/");
            if (snapshotAt >= 0) {
                dataFiles.put(key.substring(snapshotAt + SNAPSHOT.length() + 1), value);
            } else if (key.endsWith(SNAPSHOT)) {
                snapshot = value;
            } else if (key.substring(key.lastIndexOf('/') + 1).startsWith("shardId")) {
                shards.put(key.substring(key.lastIndexOf('/') + 1), value);
            }
        }
        return new CheckpointFile(shards, dataFiles, snapshot, torn);
    }

    /** The snapshot's stage (EXPORTING, LOADING, DONE), or null before an export was requested. */
    String snapshotStage() {
        return snapshot == null ? null : snapshot.split(" ")[0];
    }

    /** The export ARN of the snapshot, or null. */
    String exportArn() {
        return snapshot == null ? null : snapshot.split(" ")[3];
    }

    /** Whether this checkpoint says the record at {@code sequence} of {@code shard} was acknowledged. */
    boolean covers(String shard, String sequence) {
        String value = shards.get(shard);
        if (value == null || value.startsWith("from:")) {
            return false;
        }
        if ("END".equals(value)) {
            return true;
        }
        String acknowledged = value.substring("seq:".length()).split("@")[0]; // seq:<n>@<created millis>
        return new BigInteger(sequence).compareTo(new BigInteger(acknowledged)) <= 0;
    }

    /** Whether this checkpoint says line {@code line} of data file {@code dataFile} was acknowledged. */
    boolean covers(String dataFile, long line) {
        if ("DONE".equals(snapshotStage())) {
            return true;
        }
        String value = dataFiles.get(dataFile);
        if (value == null) {
            return false;
        }
        if ("END".equals(value)) {
            return true;
        }
        return line <= Long.parseLong(value.substring("line:".length()));
    }
}
