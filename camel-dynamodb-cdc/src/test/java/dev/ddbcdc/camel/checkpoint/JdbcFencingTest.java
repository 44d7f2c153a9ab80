package dev.ddbcdc.camel.checkpoint;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conditional writes of the JDBC checkpoint store, against an embedded H2 database. */
class JdbcFencingTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private JdbcDataSource database;
    private JdbcStateRepository repository;

    @BeforeEach
    void database() {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:fencing" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        repository = new JdbcStateRepository(database);
        repository.start();
    }

    @Test
    void compareAndSetInsertsReplacesAndRemovesOnlyFromTheExpectedValue() {
        assertTrue(repository.compareAndSet("k", null, "1"), "insert if absent");
        assertFalse(repository.compareAndSet("k", null, "x"), "present now");
        assertFalse(repository.compareAndSet("k", "0", "x"));
        assertTrue(repository.compareAndSet("k", "1", "2"));
        assertEquals("2", repository.getState("k"));
        assertTrue(repository.compareAndSet("k", "2", "2"), "the same value again");
        assertFalse(repository.compareAndSet("k", "1", null));
        assertTrue(repository.compareAndSet("k", "2", null), "removed");
        assertNull(repository.getState("k"));
        assertTrue(repository.compareAndSet("k", null, null), "absent stays absent");
        assertTrue(repository.compareAndSet("k", null, "3"), "inserted again");
        assertEquals("3", repository.getState("k"));
        assertThrows(IllegalArgumentException.class, () -> repository.setStateIf("epoch", null, "k", "x"));
    }

    @Test
    void aWriteFencedByAnEpochIsRefusedOnceAnotherLeaderTookTheNext() {
        assertTrue(repository.compareAndSet("epoch", null, "1"));
        assertTrue(repository.setStateIf("epoch", "1", "shard-1", "seq:10"), "inserts the key");
        assertTrue(repository.setStateIf("epoch", "1", "shard-1", "seq:11"), "updates it");
        assertTrue(repository.compareAndSet("epoch", "1", "2"));
        assertFalse(repository.setStateIf("epoch", "1", "shard-1", "seq:5"), "the deposed leader is fenced");
        assertFalse(repository.setStateIf("epoch", "1", "shard-2", "seq:5"), "also for a new key");
        assertFalse(repository.setStateIf("epoch", "1", "shard-1", null), "and its removals");
        assertEquals("seq:11", repository.getState("shard-1"));
        assertNull(repository.getState("shard-2"));
        assertEquals("2", repository.getState("epoch"), "a refused write leaves the guard as it was");
        assertTrue(repository.setStateIf("epoch", "2", "shard-1", null));
        assertNull(repository.getState("shard-1"));
    }

    @Test
    void eightThreadsCountExactly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(pool.submit(() -> {
                    for (int done = 0; done < 200;) {
                        String current = repository.getState("counter");
                        if (repository.compareAndSet("counter", current,
                                Integer.toString(current == null ? 1 : Integer.parseInt(current) + 1))) {
                            done++;
                        }
                    }
                }));
            }
            for (Future<?> thread : threads) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("1600", repository.getState("counter"));
    }

    /**
     * A leader writes under its epoch in a loop while a successor takes the next epoch: once the take returned, no
     * write of the old epoch lands (and none that the leader was told landed is missing).
     */
    @Test
    void noWriteOfAnEpochLandsAfterTheNextWasTaken() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertTrue(repository.compareAndSet("epoch", null, "1"));
            for (int epoch = 1; epoch <= 10; epoch++) { // the epoch taken in one round is the leader's in the next
                String current = Integer.toString(epoch);
                AtomicBoolean taken = new AtomicBoolean();
                AtomicBoolean lateWriteLanded = new AtomicBoolean();
                AtomicLong lastLanded = new AtomicLong(-1);
                AtomicInteger landed = new AtomicInteger();
                String key = "shard-" + (epoch % 3); // new and existing keys alike
                Future<?> leader = pool.submit(() -> {
                    for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        boolean takenBefore = taken.get();
                        if (repository.setStateIf("epoch", current, key, current + ":" + i)) {
                            landed.incrementAndGet();
                            lastLanded.set(i);
                            if (takenBefore) {
                                lateWriteLanded.set(true);
                            }
                        } else if (takenBefore) {
                            return; // fenced, as it must be once the take returned
                        }
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (landed.get() < 20 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(repository.compareAndSet("epoch", current, Integer.toString(epoch + 1)),
                        "took epoch " + (epoch + 1) + "; the epoch is " + repository.getState("epoch"));
                taken.set(true);
                String afterTake = repository.getState(key);
                leader.get(10, TimeUnit.SECONDS);
                assertFalse(lateWriteLanded.get(), "a write of epoch " + epoch + " landed after the take");
                assertEquals(current + ":" + lastLanded.get(), afterTake, "the last write the leader was told landed");
                assertEquals(afterTake, repository.getState(key), "nothing landed since");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A guarded write of a new key whose insert fails because another writer inserted the key meanwhile retries as an
     * update; the guard row must stay locked through that retry, or a new leader could take its epoch in between and
     * the deposed leader's write would still land.
     */
    @Test
    void aGuardedWriteRacingAnInsertOfItsKeyKeepsItsGuardLocked() throws Exception {
        assertTrue(repository.compareAndSet("epoch", null, "1"));
        AtomicBoolean insertedByOther = new AtomicBoolean();
        AtomicBoolean tookEpochMeanwhile = new AtomicBoolean();
        ExecutorService successor = Executors.newSingleThreadExecutor();
        List<Future<Integer>> takes = new ArrayList<>();
        JdbcStateRepository racing = new JdbcStateRepository(hooked(sql -> {
            if (sql.startsWith("INSERT") && insertedByOther.compareAndSet(false, true)) {
                // another writer inserts the key between the leader's update (no row) and its insert
                run("INSERT INTO dynamodb_cdc_checkpoint (key_hash, state_key, state_value) VALUES ('"
                    + JdbcStateRepository.hash("shard-9") + "', 'shard-9', 'other')");
            } else if (sql.endsWith("SET state_value = ? WHERE key_hash = ?") && insertedByOther.get()
                       && takes.isEmpty()) {
                // the retried update: can a new leader take the epoch now? (it waits while the guard row is locked)
                takes.add(successor.submit(() -> run("UPDATE dynamodb_cdc_checkpoint SET state_value = '2' WHERE"
                                                     + " key_hash = '" + JdbcStateRepository.hash("epoch")
                                                     + "' AND state_value = '1'")));
                try {
                    tookEpochMeanwhile.set(takes.get(0).get(300, TimeUnit.MILLISECONDS) == 1);
                } catch (TimeoutException waiting) {
                    tookEpochMeanwhile.set(false);
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        try {
            racing.start();
            boolean written = racing.setStateIf("epoch", "1", "shard-9", "seq:1");
            assertTrue(insertedByOther.get() && takes.size() == 1, "the race was run");
            assertFalse(written && tookEpochMeanwhile.get(), "a write of epoch 1 landed after epoch 2 was taken");
            assertEquals(written ? "seq:1" : "other", repository.getState("shard-9"));
            assertEquals(1, takes.get(0).get(10, TimeUnit.SECONDS), "the successor takes its epoch after the write");
        } finally {
            successor.shutdownNow();
        }
    }

    private interface Hook {
        void beforeUpdate(String sql) throws SQLException;
    }

    /** Runs one statement in a connection of its own (committed). */
    private int run(String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /** The database, with {@code hook} called before every executeUpdate of a prepared statement. */
    private DataSource hooked(Hook hook) {
        InvocationHandler dataSource = (proxy, method, args) -> {
            Object result = invoke(database, method, args);
            if (!method.getName().equals("getConnection")) {
                return result;
            }
            Connection connection = (Connection) result;
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (connectionProxy, connectionMethod, connectionArgs) -> {
                        Object made = invoke(connection, connectionMethod, connectionArgs);
                        if (!connectionMethod.getName().equals("prepareStatement")) {
                            return made;
                        }
                        PreparedStatement statement = (PreparedStatement) made;
                        String sql = (String) connectionArgs[0];
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {PreparedStatement.class}, (statementProxy, statementMethod, statementArgs) -> {
                                    if (statementMethod.getName().equals("executeUpdate")) {
                                        hook.beforeUpdate(sql);
                                    }
                                    return invoke(statement, statementMethod, statementArgs);
                                });
                    });
        };
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                dataSource);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
