package dev.ddbcdc.camel;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.checkpoint.JdbcStateRepository;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a durable checkpoint store (a file, a database table) a restart resumes exactly where the acknowledged records end. */
class RestartTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    static void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    static List<String> keys(List<Exchange> exchanges) {
        return exchanges.stream().map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class))
                .collect(Collectors.toList());
    }

    CdcHarness harness(File checkpoints) {
        return new CdcHarness().bind("checkpoints", new FileCheckpointRepository(checkpoints));
    }

    @Test
    void resumesAfterTheLastAcknowledgedRecordAcrossARollover() throws Exception {
        Tables.createWithStream(ddb.client(), "restart", StreamViewType.NEW_IMAGE);
        File checkpoints = dir.resolve("checkpoints.dat").toFile();
        String uri = CdcHarness.uri(ddb, "restart", "checkpointRepository=#checkpoints&startPosition=TRIM_HORIZON");
        for (int i = 0; i < 5; i++) {
            put("restart", "first" + i);
        }
        try (CdcHarness first = harness(checkpoints).start(uri)) {
            first.await(5, Duration.ofSeconds(20));
        }
        put("restart", "while-down-1");
        ddb.triggerShardRollovers();
        put("restart", "while-down-2");

        try (CdcHarness second = harness(checkpoints).start(uri)) {
            List<Exchange> events = second.await(2, Duration.ofSeconds(20));
            second.assertNoMoreThan(2, Duration.ofMillis(800));
            assertEquals(List.of("while-down-1", "while-down-2"), keys(events));
        }
    }

    @Test
    void resumesFromCheckpointsInADatabaseTable() throws Exception {
        Tables.createWithStream(ddb.client(), "restart_jdbc", StreamViewType.NEW_IMAGE);
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:" + dir.resolve("checkpoints") + ";DB_CLOSE_DELAY=0");
        String uri = CdcHarness.uri(ddb, "restart_jdbc", "checkpointRepository=#checkpoints&startPosition=TRIM_HORIZON");
        for (int i = 0; i < 3; i++) {
            put("restart_jdbc", "first" + i);
        }
        try (CdcHarness first = new CdcHarness().bind("checkpoints", new JdbcStateRepository(database)).start(uri)) {
            first.await(3, Duration.ofSeconds(20));
        }
        put("restart_jdbc", "while-down");

        // a new repository on the same database file, as after a restart on another host
        try (CdcHarness second = new CdcHarness().bind("checkpoints", new JdbcStateRepository(database)).start(uri)) {
            List<Exchange> events = second.await(1, Duration.ofSeconds(20));
            second.assertNoMoreThan(1, Duration.ofMillis(800));
            assertEquals(List.of("while-down"), keys(events));
        }
    }

    @Test
    void latestFirstStartIsKeptAcrossARestartBeforeAnyRecord() throws Exception {
        Tables.createWithStream(ddb.client(), "restart_latest", StreamViewType.NEW_IMAGE);
        put("restart_latest", "before-first-start");
        File checkpoints = dir.resolve("latest.dat").toFile();
        String uri = CdcHarness.uri(ddb, "restart_latest", "checkpointRepository=#checkpoints");
        try (CdcHarness first = harness(checkpoints).start(uri)) {
            CdcHarness.awaitCondition(() -> first.consumer().getMetrics().getRecordsCalls.get() > 0,
                    Duration.ofSeconds(10), () -> "first poll");
        }
        put("restart_latest", "while-down");
        try (CdcHarness second = harness(checkpoints).start(uri)) {
            List<Exchange> events = second.await(1, Duration.ofSeconds(20));
            second.assertNoMoreThan(2, Duration.ofMillis(500));
            assertTrue(keys(events).contains("while-down"), "written while down is delivered: " + keys(events));
        }
    }

    @Test
    void aFailedExchangeIsNotAcknowledgedAndIsDeliveredAgainAfterRestart() throws Exception {
        Tables.createWithStream(ddb.client(), "poison", StreamViewType.NEW_IMAGE);
        File checkpoints = dir.resolve("poison.dat").toFile();
        String uri = CdcHarness.uri(ddb, "poison", "checkpointRepository=#checkpoints&startPosition=TRIM_HORIZON");
        put("poison", "a");
        put("poison", "poison");
        put("poison", "b");
        AtomicInteger poisonAttempts = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Exchange> poison = new java.util.concurrent.atomic.AtomicReference<>();
        String checkpointed;
        try (CdcHarness failing = harness(checkpoints).behaviour(exchange -> {
            if ("poison".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))) {
                poisonAttempts.incrementAndGet();
                poison.set(exchange);
                throw new IllegalStateException("sink refuses poison");
            }
        }).start(uri)) {
            CdcHarness.awaitCondition(() -> poisonAttempts.get() >= 2, Duration.ofSeconds(20),
                    () -> "poison retried after a rewind, attempts=" + poisonAttempts.get());
            assertEquals(List.of("a"), keys(failing.received), "nothing after the failed record is delivered");
            assertTrue(failing.consumer().getMetrics().failedExchanges.get() >= 1);
            assertTrue(failing.handled.stream().anyMatch(t -> "sink refuses poison".equals(t.getMessage())),
                    "the failure reached the exception handler: " + failing.handled);
            String poisonEvent = poison.get().getMessage().getHeader(DynamoDbCdcConstants.EVENT_ID, String.class);
            String poisonShard = poison.get().getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID, String.class);
            assertTrue(failing.handledMessages.contains("Error processing change " + poisonEvent + " of shard "
                                                        + poisonShard),
                    "the handler is told which record failed: " + failing.handledMessages);
        }
        checkpointed = java.nio.file.Files.readString(checkpoints.toPath());
        try (CdcHarness healthy = harness(checkpoints).start(uri)) {
            List<Exchange> events = healthy.await(2, Duration.ofSeconds(20));
            healthy.assertNoMoreThan(2, Duration.ofMillis(500));
            assertEquals(List.of("poison", "b"), keys(events), "a was acknowledged, poison was not");
            for (Exchange event : events) {
                String sequence = event.getMessage().getHeader(DynamoDbCdcConstants.SEQUENCE_NUMBER, String.class);
                assertFalse(checkpointed.contains(sequence), "the checkpoint did not pass the poison record: it holds "
                                                             + checkpointed + ", not " + sequence);
            }
        }
        assertTrue(checkpointed.contains("seq:"), "a, before the poison record, was checkpointed: " + checkpointed);
    }

    @Test
    void idempotentRepositoryFiltersRecordsAlreadyDelivered() throws Exception {
        Tables.createWithStream(ddb.client(), "idem", StreamViewType.NEW_IMAGE);
        MemoryIdempotentRepository delivered = new MemoryIdempotentRepository();
        put("idem", "one");
        put("idem", "two");
        // no checkpoint repository: the second start reads from TRIM_HORIZON again, the repository filters
        String uri = CdcHarness.uri(ddb, "idem", "startPosition=TRIM_HORIZON&idempotentRepository=#delivered");
        try (CdcHarness first = new CdcHarness().bind("delivered", delivered).start(uri)) {
            first.await(2, Duration.ofSeconds(20));
        }
        put("idem", "three");
        try (CdcHarness second = new CdcHarness().bind("delivered", delivered).start(uri)) {
            List<Exchange> events = second.await(1, Duration.ofSeconds(20));
            second.assertNoMoreThan(1, Duration.ofMillis(500));
            assertEquals(List.of("three"), keys(events));
            assertEquals(2, second.consumer().getMetrics().recordsAlreadyDelivered.get());
        }
    }
}
