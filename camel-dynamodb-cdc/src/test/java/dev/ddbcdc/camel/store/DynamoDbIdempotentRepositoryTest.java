package dev.ddbcdc.camel.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DynamoDB idempotent repository against DynamoDB Local. */
class DynamoDbIdempotentRepositoryTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private final List<DynamoDbStoreSupport> started = new ArrayList<>();

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    @AfterEach
    void stop() {
        started.forEach(DynamoDbStoreSupport::stop);
    }

    private <T extends DynamoDbStoreSupport> T started(T repository) {
        repository.start();
        started.add(repository);
        return repository;
    }

    private static DynamoDbIdempotentRepository configured(String table) {
        return DynamoDbStateRepositoryTest.configured(new DynamoDbIdempotentRepository(), ddb, table);
    }

    private static String newTable() {
        return "delivered-" + TABLES.incrementAndGet();
    }

    @Test
    void addContainsRemoveAndConfirm() {
        String table = newTable();
        DynamoDbIdempotentRepository repository = started(configured(table));
        assertFalse(repository.contains("event-1"));
        assertTrue(repository.add("event-1"));
        assertFalse(repository.add("event-1"), "already there");
        assertTrue(repository.contains("event-1"));
        assertTrue(started(configured(table)).contains("event-1"), "another instance sees it at once");
        assertTrue(repository.confirm("event-1"));
        assertTrue(repository.remove("event-1"));
        assertFalse(repository.remove("event-1"), "already removed");
        assertFalse(repository.contains("event-1"));
        assertTrue(repository.add("event-1"), "added again after its removal");

        Map<String, AttributeValue> item = ddb.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS("idempotent/event-1")))).item();
        long expiresAt = Long.parseLong(item.get("expiresAt").n());
        long inSevenDays = Instant.now().plus(Duration.ofDays(7)).getEpochSecond();
        assertTrue(Math.abs(expiresAt - inSevenDays) < 60, "TTL in epoch seconds, 7 days ahead: " + expiresAt);
    }

    @Test
    void anExpiredKeyCountsAsAbsentBeforeDynamoDbDeletesIt() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00.200Z"));
        DynamoDbIdempotentRepository repository = configured(newTable());
        repository.setClock(clock);
        repository.setExpireAfter("10s");
        started(repository);
        assertTrue(repository.add("event"));
        clock.advance(Duration.ofMillis(9_700));
        assertTrue(repository.contains("event"), "alive for at least 10 s");
        assertFalse(repository.add("event"));
        // the TTL is in whole seconds, rounded up: the key is gone within expireAfter + 1 s
        clock.advance(Duration.ofMillis(1_100));
        assertFalse(repository.contains("event"), "expired (DynamoDB's TTL deletion is lazy)");
        assertFalse(repository.remove("event"), "removing an expired key removes nothing that counted");
        assertTrue(repository.add("event"));
        clock.advance(Duration.ofSeconds(11));
        assertTrue(repository.add("event"), "an expired key is replaced by a new add");
        assertTrue(repository.contains("event"));
    }

    @Test
    void racingAddsOfOneKeyLetExactlyOneWin() throws Exception {
        String table = newTable();
        List<DynamoDbIdempotentRepository> instances = List.of(started(configured(table)), started(configured(table)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int key = 0; key < 10; key++) {
                String id = "event-" + key;
                List<Future<Boolean>> adds = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    DynamoDbIdempotentRepository instance = instances.get(t % 2);
                    adds.add(pool.submit(() -> instance.add(id)));
                }
                int won = 0;
                for (Future<Boolean> add : adds) {
                    won += add.get() ? 1 : 0;
                }
                assertEquals(1, won, "exactly one add of " + id + " wins");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clearRemovesOnlyItsOwnKeysFromASharedTable() {
        String table = newTable();
        DynamoDbStateRepository checkpoints = started(DynamoDbStateRepositoryTest.configured(new DynamoDbStateRepository(),
                ddb, table));
        DynamoDbIdempotentRepository delivered = started(configured(table));
        DynamoDbIdempotentRepository other = configured(table);
        other.setKeyPrefix("other-route/");
        started(other);
        checkpoints.setState("dynamodb-cdc/c/arn/shard-1", "v1 seq:1");
        for (int i = 0; i < 30; i++) {
            assertTrue(delivered.add("event-" + i));
        }
        assertTrue(other.add("event-0"), "another prefix keeps its own keys");
        delivered.clear();
        for (int i = 0; i < 30; i++) {
            assertFalse(delivered.contains("event-" + i));
        }
        assertTrue(other.contains("event-0"));
        assertEquals("v1 seq:1", checkpoints.getState("dynamodb-cdc/c/arn/shard-1"), "checkpoints are untouched");
    }

    @Test
    void theRepositoryThatCreatesTheTableEnablesTtl() {
        String table = newTable();
        DynamoDbIdempotentRepository repository = configured(table);
        repository.setTtlAttribute("ttl");
        started(repository);
        TimeToLiveDescription ttl = ddb.client().describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus(), "DynamoDB Local accepts UpdateTimeToLive");
        assertEquals("ttl", ttl.attributeName());
        assertTrue(repository.add("k"));
        assertTrue(ddb.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS("idempotent/k")))).item().containsKey("ttl"));
        // a second start finds TTL on and changes nothing
        started(configured(table));
    }

    @Test
    void expireAfterTakesMillisIsoAndCamelDurations() {
        assertEquals(Duration.ofDays(7), DynamoDbIdempotentRepository.DEFAULT_EXPIRE_AFTER);
        assertEquals(Duration.ofMillis(604_800_000), DynamoDbIdempotentRepository.parseDuration("604800000"));
        assertEquals(Duration.ofDays(7), DynamoDbIdempotentRepository.parseDuration("P7D"));
        assertEquals(Duration.ofHours(12), DynamoDbIdempotentRepository.parseDuration("PT12H"));
        assertEquals(Duration.ofMinutes(90), DynamoDbIdempotentRepository.parseDuration("1h30m"));
        assertEquals(Duration.ofDays(2), DynamoDbIdempotentRepository.parseDuration("2d"));
        for (String bad : new String[] { "0", "", "-PT1H", "soon", "PT" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DynamoDbIdempotentRepository.parseDuration(bad), bad);
            assertTrue(e.getMessage().contains("expireAfter"), e.getMessage());
        }
        DynamoDbIdempotentRepository repository = new DynamoDbIdempotentRepository();
        repository.setExpireAfter("PT1H");
        assertTrue(repository.toString().contains("expireAfter=PT1H"), repository.toString());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
