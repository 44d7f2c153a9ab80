package dev.ddbcdc.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.flow.StreamChangedException;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a consumer starts: with {@code startPosition=LATEST} every change made after the route's start returned is
 * delivered (the start is fixed before it returns), and a stream replaced while the consumer was stopped is a gap,
 * surfaced under the loss policy and never read from LATEST.
 */
class StartAndReplacedStreamTest {

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

    static Set<String> keys(List<Exchange> exchanges) {
        return exchanges.stream().map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class))
                .collect(Collectors.toSet());
    }

    @Test
    void withLatestAChangeMadeRightAfterTheStartReturnedIsDelivered() throws Exception {
        for (int attempt = 0; attempt < 8; attempt++) {
            String table = "latest" + attempt;
            Tables.createWithStream(ddb.client(), table, StreamViewType.NEW_IMAGE);
            put(table, "before-start");
            try (CdcHarness cdc = new CdcHarness().start(CdcHarness.uri(ddb, table, "startPosition=LATEST"))) {
                put(table, "right-after-start");
                List<Exchange> events = cdc.await(1, Duration.ofSeconds(20));
                cdc.assertNoMoreThan(1, Duration.ofMillis(300));
                assertEquals(Set.of("right-after-start"), keys(events), "attempt " + attempt);
            }
        }
    }

    /** Disables and enables the table's stream: a new stream with a new ARN. */
    static String replaceStream(String table) {
        ddb.client().updateTable(b -> b.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        return ddb.client().updateTable(b -> b.tableName(table).streamSpecification(
                s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))).tableDescription()
                .latestStreamArn();
    }

    CdcHarness harness(FileCheckpointRepository checkpoints) {
        return new CdcHarness().bind("checkpoints", checkpoints);
    }

    @Test
    void aStreamReplacedWhileStoppedIsAGapSurfacedAndUnderFailNothingOfTheNewStreamIsRead() throws Exception {
        String oldArn = Tables.createWithStream(ddb.client(), "replacedFail", StreamViewType.NEW_IMAGE);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("fail.dat").toFile());
        String uri = CdcHarness.uri(ddb, "replacedFail", "checkpointRepository=#checkpoints");
        try (CdcHarness first = harness(checkpoints).start(uri)) {
            put("replacedFail", "old-stream");
            first.await(1, Duration.ofSeconds(20));
        }
        String newArn = replaceStream("replacedFail");
        assertNotEquals(oldArn, newArn);
        for (int i = 0; i < 100; i++) {
            put("replacedFail", "new-" + i);
        }

        try (CdcHarness second = harness(checkpoints).start(uri)) {
            second.awaitPhase(Phase.FAILED, Duration.ofSeconds(10));
            assertEquals(1, second.handled.size(), "told once: " + second.handled);
            Throwable gap = second.handled.get(0);
            assertInstanceOf(StreamChangedException.class, gap);
            assertTrue(gap.getMessage().contains(oldArn) && gap.getMessage().contains(newArn), gap.getMessage());
            assertTrue(gap.getMessage().contains("trimmedDataPolicy=CONTINUE"), "says how to go on: " + gap.getMessage());
            assertEquals(1, second.consumer().getMetrics().streamChanges.get());
            HealthCheck.Result readiness = HealthChecks.readiness(second);
            assertEquals(HealthCheck.State.DOWN, readiness.getState());
            assertTrue(readiness.getMessage().orElse("").contains(newArn), readiness.getMessage().toString());
            second.assertNoMoreThan(0, Duration.ofMillis(1500));
        }
        // and again at the next start: the gap is not forgotten until the user decides
        try (CdcHarness third = harness(checkpoints).start(uri)) {
            third.awaitPhase(Phase.FAILED, Duration.ofSeconds(10));
            assertEquals(1, third.handled.size());
        }
    }

    @Test
    void aStreamReplacedWhileStoppedUnderContinueIsReadFromItsOldestRecordNeverFromLatest() throws Exception {
        Tables.createWithStream(ddb.client(), "replacedGoOn", StreamViewType.NEW_IMAGE);
        FileCheckpointRepository checkpoints = new FileCheckpointRepository(dir.resolve("continue.dat").toFile());
        String uri = CdcHarness.uri(ddb, "replacedGoOn", "checkpointRepository=#checkpoints&trimmedDataPolicy=CONTINUE");
        try (CdcHarness first = harness(checkpoints).start(uri)) {
            put("replacedGoOn", "old-stream");
            first.await(1, Duration.ofSeconds(20));
        }
        String newArn = replaceStream("replacedGoOn");
        for (int i = 0; i < 100; i++) {
            put("replacedGoOn", "new-" + i);
        }

        try (CdcHarness second = harness(checkpoints).start(uri)) {
            List<Exchange> events = second.await(100, Duration.ofSeconds(30));
            assertEquals(100, keys(events).size(), "every change made on the new stream before the restart");
            assertTrue(keys(events).stream().allMatch(k -> k.startsWith("new-")), keys(events).toString());
            assertEquals(1, second.handled.size(), "the gap is still reported: " + second.handled);
            assertTrue(second.handled.get(0).getMessage().contains(newArn));
            assertEquals(Phase.STREAMING, second.consumer().getPhase());
        }
        // the new stream is now the followed one: a restart is an ordinary resume, no second report
        put("replacedGoOn", "after-restart");
        try (CdcHarness third = harness(checkpoints).start(uri)) {
            List<Exchange> events = third.await(1, Duration.ofSeconds(20));
            third.assertNoMoreThan(1, Duration.ofMillis(500));
            assertEquals(Set.of("after-restart"), keys(events));
            assertEquals(0, third.handled.size(), third.handled.toString());
        }
    }
}
