package dev.ddbcdc.camel.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DynamoDB checkpoint store against DynamoDB Local, through real HTTP and the real SDK. */
class DynamoDbStateRepositoryTest {

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

    static DynamoDbStateRepository configured(String table) {
        return configured(new DynamoDbStateRepository(), ddb, table);
    }

    /** A store configured as a user would: endpoint and static credentials, its own client built at start. */
    static <T extends DynamoDbStoreSupport> T configured(T repository, LocalDynamoDb ddb, String table) {
        repository.setTableName(table);
        repository.setRegion("us-east-1");
        repository.setUriEndpointOverride(ddb.endpoint().toString());
        repository.setAccessKey(LocalDynamoDb.ACCESS_KEY);
        repository.setSecretKey(LocalDynamoDb.SECRET_KEY);
        return repository;
    }

    private <T extends DynamoDbStoreSupport> T started(T repository) {
        repository.start();
        started.add(repository);
        return repository;
    }

    private static String newTable() {
        return "checkpoints-" + TABLES.incrementAndGet();
    }

    @Test
    void writesThroughOverwritesAndRemoves() {
        String table = newTable();
        DynamoDbStateRepository repository = started(configured(table));
        assertNull(repository.getState("dynamodb-cdc/c/arn/shard-1"));
        repository.setState("dynamodb-cdc/c/arn/shard-1", "v1 seq:100");
        repository.setState("dynamodb-cdc/c/arn/shard-1", "v1 seq:200");
        repository.setState("dynamodb-cdc/c/arn/shard-2", "v1 END");
        assertEquals("v1 seq:200", repository.getState("dynamodb-cdc/c/arn/shard-1"));
        // another instance (its own client) reads it at once: reads are strongly consistent, nothing is cached
        assertEquals("v1 END", started(configured(table)).getState("dynamodb-cdc/c/arn/shard-2"));
        repository.setState("dynamodb-cdc/c/arn/shard-2", null);
        assertNull(repository.getState("dynamodb-cdc/c/arn/shard-2"));
        Map<String, AttributeValue> item = ddb.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS("dynamodb-cdc/c/arn/shard-1")))).item();
        assertEquals(Map.of("id", AttributeValue.fromS("dynamodb-cdc/c/arn/shard-1"), "v",
                AttributeValue.fromS("v1 seq:200")), item, "one readable item per key: id and v");
        // data file keys are long (S3 keys), within DynamoDB's 2048 bytes for a partition key
        String dataFileKey = "dynamodb-cdc/c/arn/snapshot/" + "exports/".repeat(200) + "data/abc.json.gz";
        repository.setState(dataFileKey, "v1 line:1000");
        assertEquals("v1 line:1000", repository.getState(dataFileKey));
        assertThrows(IllegalArgumentException.class, () -> repository.setState("k".repeat(2049), "v"));
    }

    @Test
    void compareAndSetOnAbsentExpectedAndWrongValues() {
        DynamoDbStateRepository repository = started(configured(newTable()));
        assertTrue(repository.compareAndSet("epoch", null, "1"), "absent -> 1");
        assertFalse(repository.compareAndSet("epoch", null, "9"), "no longer absent");
        assertFalse(repository.compareAndSet("epoch", "0", "9"), "wrong expected value");
        assertEquals("1", repository.getState("epoch"));
        assertTrue(repository.compareAndSet("epoch", "1", "2"));
        assertEquals("2", repository.getState("epoch"));
        assertFalse(repository.compareAndSet("epoch", "1", null), "a delete with the wrong expected value");
        assertTrue(repository.compareAndSet("epoch", "2", null), "a delete with the expected value");
        assertNull(repository.getState("epoch"));
        assertTrue(repository.compareAndSet("never", null, null), "delete-if-absent of an absent key");
        repository.setState("there", "x");
        assertFalse(repository.compareAndSet("there", null, null), "delete-if-absent of a present key");
        assertEquals("x", repository.getState("there"));
        assertFalse(repository.compareAndSet("missing", "x", "y"), "an expected value of an absent key");
        assertNull(repository.getState("missing"));
    }

    @Test
    void fencedWritesLandOnlyUnderTheCurrentEpoch() {
        DynamoDbStateRepository repository = started(configured(newTable()));
        assertThrows(IllegalArgumentException.class, () -> repository.setStateIf("epoch", null, "position", "x"),
                "a write guarded by an absent other key cannot be made atomic");
        assertFalse(repository.setStateIf("epoch", "1", "position", "seq:1"), "no epoch yet");
        assertNull(repository.getState("position"));
        repository.setState("epoch", "1");
        assertTrue(repository.setStateIf("epoch", "1", "position", "seq:1"));
        assertEquals("seq:1", repository.getState("position"));
        assertTrue(repository.compareAndSet("epoch", "1", "2"), "a new leader takes epoch 2");
        assertFalse(repository.setStateIf("epoch", "1", "position", "seq:0"), "the deposed leader is refused");
        assertFalse(repository.setStateIf("epoch", "1", "position", null), "also for a delete");
        assertEquals("seq:1", repository.getState("position"));
        assertTrue(repository.setStateIf("epoch", "2", "position", "seq:2"));
        assertTrue(repository.setStateIf("epoch", "2", "position", null), "a fenced delete");
        assertNull(repository.getState("position"));
        assertEquals("2", repository.getState("epoch"), "the guard itself is not written");
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        DynamoDbStateRepository repository = started(configured(newTable()));
        repository.setState("counter", "0");
        // 8 x 200 passes as well, but takes 11-18 s: DynamoDB Local answers one call at a time (about 1.3 ms each),
        // and a contended increment costs several refused compare-and-sets; 8 x 25 still races hard and is quick
        int threads = 8;
        int increments = 25;
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // half the writers use their own repository (their own client), as separate instances would
                DynamoDbStateRepository writer = t % 2 == 0 ? repository : started(configured(repository.getTableName()));
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            String current = writer.getState("counter");
                            if (writer.compareAndSet("counter", current, Integer.toString(Integer.parseInt(current) + 1))) {
                                break;
                            }
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Integer.toString(threads * increments), repository.getState("counter"),
                "every increment landed exactly once (" + refused.get() + " compare-and-sets were refused)");
        assertTrue(refused.get() > 0, "the writers did race");
    }

    @Test
    void afterANewLeaderTookTheEpochNoWriteOfTheOldOneLands() throws Exception {
        String table = newTable();
        DynamoDbStateRepository leader = started(configured(table));
        DynamoDbStateRepository successor = started(configured(table));
        leader.setState("epoch", "7");
        AtomicBoolean taken = new AtomicBoolean();
        AtomicReference<String> lastAccepted = new AtomicReference<>();
        AtomicInteger acceptedAfterTake = new AtomicInteger();
        AtomicInteger refusedWrites = new AtomicInteger();
        CountDownLatch someWritten = new CountDownLatch(30);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int seq = 1; refusedWrites.get() < 30; seq++) {
                    boolean takenBefore = taken.get();
                    if (leader.setStateIf("epoch", "7", "position", "seq:" + seq)) {
                        lastAccepted.set("seq:" + seq);
                        if (takenBefore) {
                            acceptedAfterTake.incrementAndGet();
                        }
                    } else {
                        refusedWrites.incrementAndGet();
                    }
                    someWritten.countDown();
                }
            });
            Future<String> take = pool.submit(() -> {
                someWritten.await();
                assertTrue(successor.compareAndSet("epoch", "7", "8"), "the successor takes epoch 8");
                taken.set(true);
                return successor.getState("position");
            });
            String atTake = take.get();
            writer.get();
            assertEquals(0, acceptedAfterTake.get(), "a write begun after the take was accepted");
            assertEquals(atTake, successor.getState("position"),
                    "the position the successor read right after taking the epoch was not moved by the old leader");
            assertEquals(lastAccepted.get(), atTake, "the old leader's last accepted write is the one that stays");
            assertTrue(successor.setStateIf("epoch", "8", "position", "seq:new-leader"));
            assertEquals("seq:new-leader", leader.getState("position"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createsTheTableOnDemandOrFailsClearlyWithoutIt() {
        String table = newTable();
        DynamoDbStateRepository strict = configured(table);
        strict.setCreateTable(false);
        IllegalStateException missing = assertThrows(IllegalStateException.class, strict::start);
        assertTrue(missing.getMessage().contains(table) && missing.getMessage().contains("createTable")
                   && missing.getMessage().contains("create-table"), missing.getMessage());

        started(configured(table)).setState("k", "v");
        TableDescription created = ddb.client().describeTable(b -> b.tableName(table)).table();
        assertEquals(TableStatus.ACTIVE, created.tableStatus());
        assertEquals(BillingMode.PAY_PER_REQUEST, created.billingModeSummary().billingMode());
        assertEquals("id", created.keySchema().get(0).attributeName());
        assertEquals(KeyType.HASH, created.keySchema().get(0).keyType());
        assertEquals(1, created.keySchema().size());

        // the existing table is used as it is, also without createTable, and also by a second creating start
        DynamoDbStateRepository existing = configured(table);
        existing.setCreateTable(false);
        assertEquals("v", started(existing).getState("k"));
        assertEquals("v", started(configured(table)).getState("k"));
    }

    @Test
    void aTableWithAnotherKeySchemaFailsTheStart() {
        ddb.client().createTable(b -> b.tableName("orders-not-checkpoints").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        ddb.client().createTable(b -> b.tableName("numeric-id").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        for (String table : List.of("orders-not-checkpoints", "numeric-id")) {
            DynamoDbStateRepository repository = configured(table);
            IllegalStateException wrong = assertThrows(IllegalStateException.class, repository::start);
            assertTrue(wrong.getMessage().contains(table) && wrong.getMessage().contains("'id'"), wrong.getMessage());
        }
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                configured("orders-not-checkpoints")::start);
        assertTrue(wrong.getMessage().contains("pk (HASH, S), sk (RANGE, N)"), wrong.getMessage());
    }

    @Test
    void optionsAreCheckedAndSecretsNeverPrinted() {
        DynamoDbStateRepository repository = configured(newTable());
        repository.setSessionToken("the-session-token");
        String text = repository.toString();
        assertFalse(text.contains(LocalDynamoDb.SECRET_KEY) || text.contains("the-session-token"), text);
        assertTrue(text.contains("credentials=static"), text);

        DynamoDbStateRepository halfCredentials = new DynamoDbStateRepository();
        halfCredentials.setAccessKey("AKIA");
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class, halfCredentials::start);
        assertEquals("accessKey and secretKey must be set together", half.getMessage());

        DynamoDbStateRepository badName = new DynamoDbStateRepository();
        badName.setTableName("no spaces");
        assertThrows(IllegalArgumentException.class, badName::start);

        RuntimeCamelException notStarted = assertThrows(RuntimeCamelException.class,
                () -> new DynamoDbStateRepository().getState("k"));
        assertTrue(notStarted.getMessage().contains("not started"), notStarted.getMessage());
    }

    @Test
    void aGivenClientIsUsedAndLeftOpen() {
        DynamoDbStateRepository repository = new DynamoDbStateRepository();
        repository.setTableName(newTable());
        repository.setDynamoDbClient(ddb.client());
        repository.start();
        repository.setState("k", "v");
        assertTrue(repository.toString().contains("given client"), repository.toString());
        repository.stop();
        // the test kit's client still works: the repository did not close it
        assertEquals("v", ddb.client().getItem(b -> b.tableName(repository.getTableName()).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS("k")))).item().get("v").s());
    }
}
