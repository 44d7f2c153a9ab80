package dev.ddbcdc.camel.checkpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leader epoch and the fenced view of the store, over a small in-memory store with the conditional write. */
class FencedCheckpointsTest {

    /** The smallest faithful store: one monitor makes each conditional write atomic. */
    static class MapStore extends ServiceSupport implements FencedStateRepository {
        final Map<String, String> values = new HashMap<>();

        @Override
        public synchronized boolean setStateIf(String guardKey, String guardValue, String key, String value) {
            FencedStateRepository.checkGuard(guardKey, guardValue, key);
            if (!Objects.equals(values.get(guardKey), guardValue)) {
                return false;
            }
            setState(key, value);
            return true;
        }

        @Override
        public synchronized void setState(String key, String value) {
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
        }

        @Override
        public synchronized String getState(String key) {
            return values.get(key);
        }
    }

    static final String LEADER = "dynamodb-cdc/default/arn:aws:dynamodb:us-east-1:1:table/t/leader";

    @Test
    void everyLeaderTakesTheNextEpoch() {
        MapStore store = new MapStore();
        LeaderEpoch first = LeaderEpoch.take(store, LEADER, "a", 1000);
        LeaderEpoch second = LeaderEpoch.take(store, LEADER, "b", 2000);
        assertEquals(1, first.epoch());
        assertEquals(2, second.epoch());
        assertEquals("v1 2 b 2000", store.getState(LEADER));
        assertEquals(2, LeaderEpoch.epochOf(LEADER, store.getState(LEADER)));
    }

    @Test
    void aDeposedLeadersWritesAreRefusedCountedAndReportedOnce() {
        MapStore store = new MapStore();
        AtomicLong refused = new AtomicLong();
        AtomicInteger deposed = new AtomicInteger();
        FencedCheckpoints old = new FencedCheckpoints(store, LEADER, LeaderEpoch.take(store, LEADER, "a", 1), refused,
                deposed::incrementAndGet);
        old.setState("shard-1", "v1 seq:10");
        assertEquals("v1 seq:10", store.getState("shard-1"));

        FencedCheckpoints current = new FencedCheckpoints(store, LEADER, LeaderEpoch.take(store, LEADER, "b", 2),
                new AtomicLong(), () -> {
                });
        current.setState("shard-1", "v1 seq:20");
        old.setState("shard-1", "v1 seq:15"); // a late acknowledgement of the deposed leader
        old.setState("shard-1", "v1 seq:16");
        assertEquals("v1 seq:20", store.getState("shard-1"), "the position never moves backwards");
        assertEquals(2, refused.get());
        assertEquals(1, deposed.get());
        assertEquals("v1 seq:20", old.getState("shard-1"), "reads pass through");
    }

    /** A conditional write the SDK retried after its first attempt landed answers "refused"; the guard says otherwise. */
    @Test
    void aRefusalWhileTheGuardStillHoldsThisLeadersEpochIsTriedAgainNotTakenForADeposition() {
        AtomicInteger spurious = new AtomicInteger(1);
        MapStore store = new MapStore() {
            @Override
            public synchronized boolean setStateIf(String guardKey, String guardValue, String key, String value) {
                boolean written = super.setStateIf(guardKey, guardValue, key, value);
                return written && spurious.getAndDecrement() <= 0;
            }
        };
        AtomicLong refused = new AtomicLong();
        AtomicInteger deposed = new AtomicInteger();
        FencedCheckpoints leader = new FencedCheckpoints(store, LEADER, LeaderEpoch.take(store, LEADER, "a", 1),
                refused, deposed::incrementAndGet);
        spurious.set(1);
        leader.setState("shard-1", "v1 seq:10");
        assertEquals("v1 seq:10", store.getState("shard-1"));
        assertEquals(0, refused.get());
        assertEquals(0, deposed.get());
    }

    @Test
    void anUnreadableEpochNamesTheKeyAndTheWayOut() {
        MapStore store = new MapStore();
        store.setState(LEADER, "v1 x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LeaderEpoch.take(store, LEADER, "a", 1));
        assertTrue(e.getMessage().contains(LEADER) && e.getMessage().contains("remove it"), e.getMessage());
    }

    @Test
    void aWriteGuardedByAnotherAbsentKeyIsRefusedAsAMistake() {
        assertThrows(IllegalArgumentException.class, () -> new MapStore().setStateIf("guard", null, "key", "v"));
    }
}
