package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code startPosition=AT_TIMESTAMP} against DynamoDB Local: the changes made before the time (made to look ten
 * minutes old) are not delivered, those made after it are, across a shard rollover; a restart goes on from the
 * checkpoint, whatever the time; a time beyond the stream's 24-hour retention fails the start and reads nothing.
 */
class StartAtTimestampTest {

    static final String TABLE = "timed";

    LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        ddb = LocalDynamoDb.start();
        Tables.createWithStream(ddb.client(), TABLE, StreamViewType.NEW_IMAGE);
    }

    @AfterEach
    void stop() {
        ddb.close();
    }

    void put(String pk) {
        ddb.client().putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    static List<String> keys(List<Exchange> received) {
        return received.stream().map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class))
                .toList();
    }

    @Test
    void changesFromTheTimeOnAreDeliveredAndThoseBeforeAreNot() throws Exception {
        put("before-1");
        put("before-2");
        ddb.dilateEventTimes(Duration.ofMinutes(10)); // their records now look ten minutes old
        put("after-1");
        ddb.triggerShardRollovers();
        put("after-2");
        Instant threeMinutesAgo = Instant.now().minus(3, ChronoUnit.MINUTES);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("cp.dat").toFile());
        String uri = CdcHarness.uri(ddb, TABLE, "checkpointRepository=#checkpoints&startPosition=AT_TIMESTAMP"
                                               + "&startTimestamp=" + threeMinutesAgo);
        try (CdcHarness cdc = new CdcHarness().bind("checkpoints", checkpoints).start(uri)) {
            List<Exchange> received = cdc.await(2, Duration.ofSeconds(30));
            cdc.assertNoMoreThan(2, Duration.ofMillis(500));
            assertEquals(List.of("after-1", "after-2"), keys(received));
            assertEquals(2, cdc.consumer().getMetrics().recordsBeforeStart.get(), "the two older records, passed");
        }
        // the checkpoint decides now: nothing again, the next change
        put("after-3");
        String later = CdcHarness.uri(ddb, TABLE, "checkpointRepository=#checkpoints&startPosition=AT_TIMESTAMP"
                                                 + "&startTimestamp=" + Instant.now().toEpochMilli());
        try (CdcHarness again = new CdcHarness().bind("checkpoints", checkpoints).start(later)) {
            List<Exchange> received = again.await(1, Duration.ofSeconds(30));
            again.assertNoMoreThan(1, Duration.ofMillis(500));
            assertEquals(List.of("after-3"), keys(received));
        }
    }

    @Test
    void aTimeBeyondTheStreamsRetentionFailsTheStart() {
        put("any");
        Instant dayAndAnHourAgo = Instant.now().minus(Duration.ofHours(25));
        String message = StartupValidationTest.startFailure(new CdcHarness(), CdcHarness.uri(ddb, TABLE,
                "startPosition=AT_TIMESTAMP&startTimestamp=" + dayAndAnHourAgo));
        assertTrue(message.contains("startTimestamp " + dayAndAnHourAgo.truncatedTo(ChronoUnit.MILLIS)
                                    + " is more than 24 hours ago, the stream's retention"), message);
        assertTrue(message.contains("startPosition=TRIM_HORIZON"), message);
    }
}
