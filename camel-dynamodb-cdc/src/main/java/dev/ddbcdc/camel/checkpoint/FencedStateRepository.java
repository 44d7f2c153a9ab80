package dev.ddbcdc.camel.checkpoint;

import org.apache.camel.spi.StateRepository;

/**
 * The smallest extension of Camel's {@link StateRepository} that lets several instances share one checkpoint store
 * safely: one conditional write. It is a compare-and-set when the guard is the written key itself, and a fenced
 * write when the guard is the leader's epoch key ({@link LeaderEpoch}): a deposed or stalled leader's late writes are
 * refused instead of moving a position backwards.
 * <p>
 * Implemented by {@link JdbcStateRepository} (one transaction that locks the guard row) and by the DynamoDB
 * checkpoint store (a conditional write, or a transaction with a condition check). {@link FileCheckpointRepository}
 * implements it for the instances of one host only (a file lock is not a cluster lock).
 */
public interface FencedStateRepository extends StateRepository<String, String> {

    /**
     * Atomically, writes {@code value} under {@code key} ({@code null} removes the key) if and only if
     * {@code guardKey} holds exactly {@code guardValue} at the time of the write.
     *
     * @param  guardKey   the key whose value decides; may be {@code key} itself (a compare-and-set)
     * @param  guardValue the value the guard must hold, or {@code null} for "the guard key is absent", which is
     *                    allowed only when {@code guardKey.equals(key)} (an insert if absent)
     * @return            whether the value was written; {@code false} when the guard held anything else
     */
    boolean setStateIf(String guardKey, String guardValue, String key, String value);

    /** A compare-and-set: writes {@code value} if {@code key} holds {@code expected} ({@code null}: absent). */
    default boolean compareAndSet(String key, String expected, String value) {
        return setStateIf(key, expected, key, value);
    }

    /** Refuses the one combination no store can make atomic cheaply: a write guarded by another, absent key. */
    static void checkGuard(String guardKey, String guardValue, String key) {
        if (guardValue == null && !guardKey.equals(key)) {
            throw new IllegalArgumentException("A write guarded by an absent key must write that key itself (guard "
                                               + guardKey + ", key " + key + ")");
        }
    }
}
