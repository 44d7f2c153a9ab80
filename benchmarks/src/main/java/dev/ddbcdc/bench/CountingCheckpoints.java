package dev.ddbcdc.bench;

import java.util.concurrent.atomic.AtomicLong;

import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import org.apache.camel.support.service.ServiceHelper;

/** A checkpoint store that counts the reads and writes made to the one it wraps. */
final class CountingCheckpoints implements FencedStateRepository {

    private final FencedStateRepository store;
    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();

    CountingCheckpoints(FencedStateRepository store) {
        this.store = store;
    }

    @Override
    public String getState(String key) {
        reads.incrementAndGet();
        return store.getState(key);
    }

    @Override
    public void setState(String key, String value) {
        writes.incrementAndGet();
        store.setState(key, value);
    }

    @Override
    public boolean setStateIf(String guardKey, String guardValue, String key, String value) {
        writes.incrementAndGet();
        return store.setStateIf(guardKey, guardValue, key, value);
    }

    @Override
    public void start() {
        ServiceHelper.startService(store);
    }

    @Override
    public void stop() {
        ServiceHelper.stopService(store);
    }
}
