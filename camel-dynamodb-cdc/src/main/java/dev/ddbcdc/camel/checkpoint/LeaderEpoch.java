package dev.ddbcdc.camel.checkpoint;

/**
 * The epoch of a clustered consumer's leadership, kept under {@link CheckpointKeys#leader()}: a number that every new
 * leader raises by compare-and-set when it takes the lead, with the member that took it and when. The stored value is
 * the leader's fence: {@link FencedCheckpoints} makes every later checkpoint write of that leader conditional on it,
 * so once another instance has taken a higher epoch, the old leader's writes (a stalled JVM that wakes up, late
 * acknowledgements of exchanges still in flight) are refused instead of moving a position backwards.
 *
 * @param epoch  the leader's epoch, 1 for the first
 * @param member the cluster member that took it
 * @param stored the exact stored value, the guard of every write of this leader
 */
public record LeaderEpoch(long epoch, String member, String stored) {

    private static final int ATTEMPTS = 20;

    /**
     * Takes the next epoch for {@code member}: reads the current one and writes the next by compare-and-set, again
     * when another instance wrote in between.
     *
     * @throws IllegalStateException when the epoch kept changing under every attempt, or is unreadable
     */
    public static LeaderEpoch take(FencedStateRepository repository, String key, String member, long nowMillis) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String current = repository.getState(key);
            long next = epochOf(key, current) + 1;
            String stored = CheckpointValues.write(next + " " + member + " " + nowMillis);
            if (repository.compareAndSet(key, current, stored)) {
                return new LeaderEpoch(next, member, stored);
            }
        }
        throw new IllegalStateException("Could not take the leader epoch under " + key + ": it changed under each of "
                                        + ATTEMPTS + " attempts; are several instances leading at once? Check the"
                                        + " cluster service");
    }

    /** The epoch a stored value holds, 0 for none. */
    public static long epochOf(String key, String stored) {
        String payload = CheckpointValues.read(key, stored);
        if (payload == null) {
            return 0;
        }
        int space = payload.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? payload : payload.substring(0, space));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Checkpoint key " + key + " holds an unreadable leader epoch '" + stored
                                            + "'; remove it to start again at epoch 1 (instances that failed to take over"
                                            + " try again by themselves)",
                    e);
        }
    }
}
