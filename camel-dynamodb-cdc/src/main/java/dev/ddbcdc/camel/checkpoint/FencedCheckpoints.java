package dev.ddbcdc.camel.checkpoint;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint repository as one leader sees it: reads pass through, and every write is conditional on the leader's
 * {@link LeaderEpoch} still being the stored one. A refused write changes nothing; when the epoch key indeed holds
 * another value it is counted, logged once per leadership, and reported once to {@code deposed}, because it proves
 * that another instance has taken the lead (the cluster service may tell this instance later, or never, if it was
 * stalled). A refusal while the key still holds this leader's epoch (a conditional write the SDK retried after its
 * first attempt landed) is tried again.
 */
public final class FencedCheckpoints implements StateRepository<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(FencedCheckpoints.class);
    /** Tries of one write while the guard still holds this leader's epoch. */
    private static final int ATTEMPTS = 3;

    private final FencedStateRepository repository;
    private final String epochKey;
    private final LeaderEpoch epoch;
    private final AtomicLong refused;
    private final Runnable deposed;
    private final AtomicBoolean reported = new AtomicBoolean();

    /**
     * @param refused counts the refused writes (the consumer's counter, across leaderships)
     * @param deposed called once, at the first refused write
     */
    public FencedCheckpoints(FencedStateRepository repository, String epochKey, LeaderEpoch epoch, AtomicLong refused,
                             Runnable deposed) {
        this.repository = repository;
        this.epochKey = epochKey;
        this.epoch = epoch;
        this.refused = refused;
        this.deposed = deposed;
    }

    @Override
    public String getState(String key) {
        return repository.getState(key);
    }

    @Override
    public void setState(String key, String value) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (repository.setStateIf(epochKey, epoch.stored(), key, value)) {
                return;
            }
            if (!epoch.stored().equals(repository.getState(epochKey))) {
                refuse(key);
                return;
            }
            // the guard still holds this leader's epoch: a refusal over the network whose first attempt landed, or
            // whose answer was lost; writing the same value again is harmless
        }
        throw new IllegalStateException("Checkpoint write of " + key + " refused " + ATTEMPTS + " times although "
                                        + epochKey + " still holds this leader's epoch: the checkpoint repository "
                                        + "does not implement setStateIf as FencedStateRepository requires");
    }

    private void refuse(String key) {
        refused.incrementAndGet();
        if (reported.compareAndSet(false, true)) {
            LOG.warn("Checkpoint write refused: this instance ({}) led with epoch {}, but {} now holds '{}', so another"
                     + " instance has taken the lead. Nothing is read here any more; the new leader resumes from the"
                     + " stored positions and delivers again what this instance delivered without storing (key {})",
                    epoch.member(), epoch.epoch(), epochKey, repository.getState(epochKey), key);
            deposed.run();
        }
    }

    /** The repository's lifecycle is the consumer's: this view of it has none. */
    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    public LeaderEpoch epoch() {
        return epoch;
    }
}
